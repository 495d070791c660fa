"""What an HTML page shows that its extracted article does not: the page's text blocks left out.

The extractor keeps the article body and drops the rest of the page (menus, footers, related
links, banners). The import report lists what it dropped, so that a reader can see that nothing of
the article went with it, and an editor can add back what did. Pure text: no Django.
"""

from __future__ import annotations

import re

from articles.text.extraction import cap_markup

# Elements whose text is one block of the page as a reader sees it.
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "caption", "figcaption"})
BLOCKS |= {"blockquote", "pre", "address", "summary", "legend", "label"}
CONTAINERS = frozenset({"div", "section", "article", "aside", "header", "footer", "nav", "main", "form", "details"})
CONTAINERS |= {"table", "ul", "ol", "dl", "figure"}
UNSEEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object", "canvas"})
UNSEEN |= {"button", "select", "option"}
MAX_BLOCKS = 400  # a report lists at most this many
MAX_BLOCK_CHARS = 600

SHORT = 4  # a block of fewer words is kept only as a whole line, not as words inside a paragraph
KEPT_SHARE = 0.5  # a longer block is kept when half its three-word runs are
MARKUP = re.compile(r"<(?:[a-zA-Z][\w:-]*(?:\s[^<>]*)?|/[a-zA-Z][\w:-]*)>")  # "<source srcset=...>" as text
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    """The words of `text`, casefolded, between single spaces (and one before and after)."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def page_blocks(html: str) -> list[str]:
    """The visible text of the page, one block (a paragraph, an item, a cell, a heading) a line,
    in page order. Text sitting directly in a container (a menu's bare links) is a block too."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(cap_markup(html))
    except (etree.ParserError, ValueError):
        return []
    etree.strip_elements(root, *UNSEEN, with_tail=False)  # a script inside a paragraph is not its text
    blocks: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(loose).split())
        loose.clear()
        if text:
            blocks.append(text)

    def walk(element) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in UNSEEN or not tag:
                if child.tail and child.tail.strip():
                    loose.append(child.tail)
                continue
            if tag in BLOCKS:
                flush()
                text = " ".join(child.text_content().split())
                if text:
                    blocks.append(text)
            elif tag in CONTAINERS or tag in {"body", "br", "hr"}:
                flush()
                if child.text and child.text.strip():
                    loose.append(child.text)
                walk(child)
                flush()
            else:  # inline (a, span, strong...): its text joins the loose run
                if any(
                    isinstance(d.tag, str) and (d.tag in BLOCKS or d.tag in CONTAINERS) for d in child.iterdescendants()
                ):
                    flush()
                    if child.text and child.text.strip():
                        loose.append(child.text)
                    walk(child)
                    flush()
                else:
                    loose.append(" ".join(child.text_content().split()))
            if child.tail and child.tail.strip():
                loose.append(child.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return blocks


def kept_texts(text: str, paragraphs: list, removed: list[dict], *header: str) -> list[str]:
    """What of a page its article holds, for left_out(): its paragraphs (`[start, end, ...]` into
    `text`), the lines cleaning dropped (they were extracted, so not left out) and the header
    fields (title, standfirst, byline, bio)."""
    return [text[p[0] : p[1]] for p in paragraphs] + [row["line"] for row in removed] + list(header)


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def left_out(blocks: list[str], kept: list[str], *, cut: bool = True) -> list[str]:
    """The blocks whose text is not in `kept` (the article's text, its title, byline and the lines
    cleaning dropped), each once, in page order, cut to MAX_BLOCK_CHARS (`cut`). A long block counts as
    kept when most of its three-word runs are (the extractor may have left a link or a date out
    of a quoted post), a short one only as a whole line; what is page markup shown as text is no
    block of the page."""
    lines = [_norm(text) for text in kept]
    whole = set(lines)
    runs = set().union(*(_trigrams(line.split()) for line in lines)) if lines else set()
    seen: set[str] = set()
    out: list[str] = []
    for block in blocks:
        key = _norm(block)
        words = key.split()
        if not words or key in seen or key in whole or MARKUP.search(block):
            continue
        if len(words) >= SHORT:
            own = _trigrams(words)
            if own and len(own & runs) >= KEPT_SHARE * len(own):
                continue
        seen.add(key)
        out.append(block if len(block) <= MAX_BLOCK_CHARS or not cut else block[: MAX_BLOCK_CHARS - 1] + "…")
        if len(out) == MAX_BLOCKS:
            break
    return out


PROSE_WORDS = 25  # a left-out block this long that ends a sentence reads as a paragraph of prose
MISSED_PARAGRAPHS = 3  # ... and this many of them, holding
MISSED_SHARE = 0.75  # ... at least this share of the words kept, say the extractor missed a part


def missed_prose(left: list[str], kept_words: int) -> tuple[int, int] | None:
    """(paragraphs, words) of prose left out of the page when they say that part of the article
    was missed (an article cut in two by an advert), else None. On the development pages this
    flags the two whose article the extractor cut, and none of the others."""
    prose = [b for b in left if len(b.split()) >= PROSE_WORDS and _SENTENCE_END.search(b)]
    words = sum(len(b.split()) for b in prose)
    if len(prose) >= MISSED_PARAGRAPHS and words >= MISSED_SHARE * max(kept_words, 1):
        return len(prose), words
    return None


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")


def with_block(text: str, paragraphs: list, blocks: list[str], block: str) -> str:
    """`text` with `block` added as a paragraph of its own where the page has it: after the
    paragraph holding the nearest block of the page before it, else before the one holding the
    nearest block after it, else at the end. `paragraphs`: `[start, end, ...]` into `text`;
    `blocks`: the page's blocks in order (page_blocks). Paragraphs are blank-line separated, as a
    correction of the text reads them."""
    held = [_norm(text[p[0] : p[1]]) for p in paragraphs]
    key = _norm(block)
    at = next((k for k, b in enumerate(blocks) if _norm(b) == key), None)

    def holder(candidate: str) -> int | None:
        found = _norm(candidate)
        if len(found.split()) < SHORT:  # "Share" or a date may sit in any paragraph
            return next((i for i, h in enumerate(held) if h == found), None)
        return next((i for i, h in enumerate(held) if found in h), None)

    if at is not None:
        for before in reversed(blocks[:at]):
            if (i := holder(before)) is not None:
                end = paragraphs[i][1]
                return f"{text[:end]}\n\n{block}\n\n{text[end:].lstrip()}".rstrip() + "\n"
        for after in blocks[at + 1 :]:
            if (i := holder(after)) is not None:
                start = paragraphs[i][0]
                return f"{text[:start].rstrip()}\n\n{block}\n\n{text[start:]}".lstrip()
    return f"{text.rstrip()}\n\n{block}\n"
