"""Render an article's paragraphs with highlights as inline <mark> elements.

Pure module (stdlib html.escape only), so the page reads without JavaScript. The text is cut at
every highlight boundary (annotations.text.coverage), and every mark carries a fixed amount of
detail whatever the number of highlights on it:

- a shallow stretch (at most DETAIL highlights) is one mark that names them: their ids, tags and
  annotators; its tags go commonest first, a tie to the innermost highlight's tag;
- deeper stretches are drawn by depth and tag: neighbours that look the same (the same commonest
  tag, the same tags present) make one mark, which gives how many highlights cover it, not who.

Every mark gives its start offset (`data-s`) and how many highlights begin inside it
(`data-begin`); the reader lists the highlights covering any spot on demand (its `?at=` list).
Still marks (`Painter(still=True)`, the aligned view, which has no script for them) say the same
in a title and carry neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from annotations.text.coverage import Coverage, Highlights, coverage

UNDERLINES = 3  # besides the tag that colours a mark, up to three more show as underlines


@dataclass(frozen=True)
class Drawing:
    html: str
    named: list[int]  # the highlights some mark names (positions in the coverage's `named`)


def _wraps(tags: list[str]) -> tuple[str, str]:
    """Every tag present shows: the first colours the mark, each next one adds an underline below it."""
    further = list(enumerate(tags[1 : 1 + UNDERLINES], start=1))
    opening = "".join(f'<span class="also l{level} t-{escape(tag)}">' for level, tag in reversed(further))
    return opening, "</span>" * len(further)


def _tags_by_count(tags: list[str], innermost: str) -> list[str]:
    """The distinct tags, commonest first; a tie goes to the innermost highlight's tag, then by name."""
    return sorted(set(tags), key=lambda tag: (-tags.count(tag), tag != innermost, tag))


class _Marks:
    """Writes the marks of one coverage; the parts that deep marks of one look share are built once."""

    def __init__(self, text: str, cover: Coverage, *, still: bool = False) -> None:
        self.text, self.cover, self.still = text, cover, still
        self.deep: dict[tuple[int, ...], tuple[str, str, str, str]] = {}
        # A shallow mark's parts but its offset, text and begin count, by the highlights covering
        # it: one highlight nested in another gives three stretches, two of them alike.
        self.shallow: dict[tuple[int, ...], tuple[str, str, str, str]] = {}

    def _deep_parts(self, look: tuple[int, ...]) -> tuple[str, str, str, str]:
        commonest, *present = look
        names = self.cover.tags
        tags = [
            names[commonest],
            *(tag for tag, here in zip(names, present, strict=True) if here and tag != names[commonest]),
        ]
        opening, closing = _wraps(tags)
        if self.still:  # the count goes between the first two parts
            return (
                f'<mark class="hl t-{escape(tags[0])} d4" title="Highlight: ',
                f' annotations ({escape(", ".join(tags))})">{opening}',
                "",
                f"{closing}</mark>",
            )
        return (
            f'<mark class="hl t-{escape(tags[0])} d4" role="button" data-s="',
            f'" data-tags="{escape(" ".join(tags))}"',
            f' annotations ({escape(", ".join(tags))})">{opening}',
            f"{closing}</mark>",
        )

    def _shallow_parts(self, covering: tuple[int, ...]) -> tuple[str, str, str, str]:
        ids, tags, who = self.cover.named.ids, self.cover.named.tags, self.cover.named.annotators
        order = _tags_by_count([tags[k] for k in covering], tags[covering[-1]])
        opening, closing = _wraps(order)
        label = escape("Highlight: " + "; ".join(f"{tags[k]} by {who[k]}" for k in covering))
        if self.still:
            return (
                f'<mark class="hl t-{escape(order[0])} d{len(covering)}" title="{label}">{opening}',
                "",
                "",
                f"{closing}</mark>",
            )
        return (
            f'<mark class="hl t-{escape(order[0])} d{len(covering)}" role="button" data-s="',
            f'" data-tags="{escape(" ".join(order))}" data-ids="{" ".join(str(ids[k]) for k in covering)}"',
            f' aria-label="{label}">{opening}',
            f"{closing}</mark>",
        )

    def _shallow(self, stretch: int, stop: int, begin: str) -> str:
        """One mark from stretch `stretch` up to stretch `stop`, which the same highlights cover."""
        key = tuple(self.cover.covering[stretch])
        parts = self.shallow.get(key) or self.shallow.setdefault(key, self._shallow_parts(key))
        a, b = self.cover.cuts[stretch], self.cover.cuts[stop]
        if self.still:
            return f"{parts[0]}{escape(self.text[a:b], quote=False)}{parts[3]}"
        return f"{parts[0]}{a}{parts[1]}{begin}{parts[2]}{escape(self.text[a:b], quote=False)}{parts[3]}"

    def write(self, out: list[str], start: int, end: int) -> None:
        """Append the HTML of text[start:end] (both cuts of the coverage)."""
        text, cuts, depth, begins, looks = (
            self.text,
            self.cover.cuts,
            self.cover.depth,
            self.cover.begins,
            self.cover.looks,
        )
        covering, deep = self.cover.covering, self.deep
        stretches = self.cover.stretches(start, end)
        i, stop = stretches.start, stretches.stop
        while i < stop:
            if not depth[i]:
                out.append(escape(text[cuts[i] : cuts[i + 1]], quote=False))
                i += 1
                continue
            if i in covering:
                # A cut where no highlight begins or ends (another passage's bound) splits no mark.
                j = i + 1
                while j < stop and not begins[j] and depth[j] == depth[i] and covering.get(j) == covering[i]:
                    j += 1
                out.append(self._shallow(i, j, f' data-begin="{begins[i]}"' if begins[i] else ""))
                i = j
                continue
            look, j = looks[i], i + 1
            while j < stop and looks[j] == look and depth[j] and j not in covering:
                j += 1
            parts = deep.get(look) or deep.setdefault(look, self._deep_parts(look))
            low, high = min(depth[i:j]), max(depth[i:j])
            count = low if low == high else f"{low} to {high}"
            if self.still:
                out.append(f"{parts[0]}{count}{parts[1]}{escape(text[cuts[i] : cuts[j]], quote=False)}{parts[3]}")
                i = j
                continue
            begun = sum(begins[i:j])
            out.append(
                f"{parts[0]}{cuts[i]}{parts[1]}{f' data-begin="{begun}"' if begun else ''} "
                f'aria-label="Highlight: {count}{parts[2]}'
                f"{escape(text[cuts[i] : cuts[j]], quote=False)}{parts[3]}"
            )
            i = j


def render_span(text: str, start: int, end: int, highlights: Highlights, *, still: bool = False) -> str:
    """HTML of text[start:end] with <mark> stretches for the highlights overlapping it."""
    # cut where they begin and end, but drawn from start to end
    return Painter(text, highlights.overlapping(start, end), (start, end), still=still).draw(start, end)


class Painter:
    """Draws spans of one text with the highlights overlapping each, as render_span does, from one
    coverage of the whole text cut at every span's bounds: the aligned view draws hundreds of
    passages, and each then costs its own stretches, not a pass over every highlight.

    `still`: marks to look at, not to press (a page without the reader's script): each says what
    covers it in its title, a tooltip, and carries no button role and no offsets or ids."""

    def __init__(self, text: str, highlights: Highlights, bounds: Iterable[int], *, still: bool = False) -> None:
        self._marks = _Marks(text, coverage(highlights, list(bounds)), still=still)

    def draw(self, start: int, end: int) -> str:
        """HTML of text[start:end]; both must be among the bounds given."""
        out: list[str] = []
        self._marks.write(out, start, end)
        return "".join(out)


def paragraph_cuts(paragraphs: list) -> list[int]:
    """Where the paragraphs begin and end: the cuts a coverage drawn by render_paragraphs needs."""
    return [bound for paragraph in paragraphs for bound in paragraph[:2]]


def render_paragraphs(text: str, paragraphs: list, cover: Coverage) -> Drawing:
    """The HTML of every paragraph with <mark> stretches, from a coverage cut at `paragraph_cuts`."""
    marks = _Marks(text, cover)
    out: list[str] = []
    for index, (p_start, p_end, kind, *_rest) in enumerate(paragraphs):
        element = "h2" if kind == "heading" else "p"
        css = {"heading": "para", "list_item": "para list-item", "footnote": "para footnote"}.get(kind, "para")
        out.append(f'<{element} id="p{index}" class="{css}" data-start="{p_start}" data-end="{p_end}">')
        marks.write(out, p_start, p_end)
        out.append(f"</{element}>\n")
    return Drawing("".join(out), sorted({k for row in cover.covering.values() for k in row}))
