"""Render an article's paragraphs with highlights as inline <mark> elements.

Pure module (stdlib html.escape only), so a page with thousands of highlights renders in
milliseconds and reads without JavaScript. Overlapping highlights split the text into
segments; each segment lists every highlight covering it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from annotations.text.spans import segments


@dataclass(frozen=True)
class Highlight:
    id: int
    start: int
    end: int
    tag: str
    annotator: str


def _label(first: list[Highlight], depth: int) -> str:
    parts = [f"{h.tag} by {h.annotator}" for h in first]
    if depth > len(first):
        parts.append(f"and {depth - len(first)} more")
    return "Highlight: " + "; ".join(parts)


def _tags_by_count(tags: list[str], innermost: str) -> list[str]:
    """The distinct tags, commonest first; a tie goes to the innermost highlight's tag."""
    counts = Counter(tags)
    return sorted(counts, key=lambda t: (-counts[t], t != innermost, t))


def render_span(text: str, start: int, end: int, relevant: list[tuple[int, int, int]], by_id: dict) -> str:
    """HTML of text[start:end] with <mark> segments for the (id, start, end) spans given."""
    if not relevant:
        return escape(text[start:end], quote=False)
    out: list[str] = []
    for seg in segments(start, end, relevant):
        piece = escape(text[seg.start : seg.end], quote=False)
        if not seg.depth:
            out.append(piece)
            continue
        top = by_id[seg.top]
        tags = _tags_by_count([by_id[i].tag for i in seg.covering], top.tag)
        starts = f' data-starts="{" ".join(map(str, seg.starts))}"' if seg.starts else ""
        label = escape(_label([by_id[i] for i in seg.first], seg.depth))
        # Every tag present shows: the commonest colours the mark, each other one adds an underline
        # below it, so a passage tagged claim by two and opinion by one shows both at a glance.
        for level, tag in enumerate(tags[1:4], start=1):
            piece = f'<span class="also l{level} t-{escape(tag)}">{piece}</span>'
        # The full list of covering highlights is computed in the browser from data-s,
        # so a stretch under sixty highlights does not carry sixty ids in its HTML.
        # Not focusable by default (a drag must be able to start on it): the reader's script
        # makes a mark focusable when it moves the keyboard focus there.
        out.append(
            f'<mark class="hl t-{escape(tags[0])} d{min(seg.depth, 4)}" role="button" data-s="{seg.start}" '
            f'data-top="{top.id}" data-tags="{escape(" ".join(tags))}"{starts} aria-label="{label}">{piece}</mark>'
        )
    return "".join(out)


def highlights_in(start: int, end: int, highlights: list[Highlight]) -> list[tuple[int, int, int]]:
    return [(h.id, h.start, h.end) for h in highlights if h.start < end and h.end > start]


def render_paragraphs(text: str, paragraphs: list, highlights: list[Highlight]) -> str:
    """Return the HTML of every paragraph, with <mark> segments for the highlights."""
    by_id = {h.id: h for h in highlights}
    spans = sorted(((h.id, h.start, h.end) for h in highlights), key=lambda x: (x[1], -x[2], x[0]))
    out: list[str] = []
    cursor = 0  # spans are sorted by start: skip the leading ones that end before this paragraph
    for index, (p_start, p_end, kind, *_rest) in enumerate(paragraphs):
        while cursor < len(spans) and spans[cursor][2] <= p_start:
            cursor += 1
        relevant = []
        for span in spans[cursor:]:
            if span[1] >= p_end:
                break
            if span[2] > p_start:
                relevant.append(span)
        element = "h2" if kind == "heading" else "p"
        css = {"heading": "para", "list_item": "para list-item", "footnote": "para footnote"}.get(kind, "para")
        out.append(f'<{element} id="p{index}" class="{css}" data-start="{p_start}" data-end="{p_end}">')
        out.append(render_span(text, p_start, p_end, relevant, by_id))
        out.append(f"</{element}>\n")
    return "".join(out)
