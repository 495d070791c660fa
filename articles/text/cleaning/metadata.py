"""The article's title, byline, standfirst and author bio, found around its main block.

A scraped text usually starts with the page's <title> ("Headline - Site"), and the headline
itself sits a few lines above the article's first paragraph, after the menus. The title is the
headline-shaped line nearest the article that matches the page title, else the nearest
headline-shaped line that is not chrome, else the page title without its site name.
"""

from __future__ import annotations

import re

from articles.text.cleaning.lexicon import COUNTER, is_interface
from articles.text.cleaning.lines import Line, ends_sentence, norm
from articles.text.cleaning.scoring import SEPARATORS, Judged

BYLINE = re.compile(
    r"^(?:by|von|par|por|di|door|автор|от)\s+(?P<name>[A-ZÀ-ÝА-Я][\w.'’-]+"
    r"(?:\s+(?:[A-ZÀ-ÝА-Я][\w.'’-]+|van|von|de|der|da|al|bin|and|&|,)){0,7})\s*(?:[|,–—-]\s*.*)?$",
    re.I,
)
# WordPress and most blog themes: "Posted on November 18, 2019 by Hanna Berg".
POSTED_BY = re.compile(
    r"^(?:posted|published|written|updated)\b.{0,60}?\bby\s+(?P<name>[A-ZÀ-ÝА-Я][\w.'’ -]{1,60})$", re.I
)
BARE_BY = re.compile(r"^(?:by|von|par|por|автор)[:]?$", re.I)
BIO_VERB = re.compile(r"^\s*(?:is|was|has|writes|teaches|serves|served|heads|leads|directs)\b")
SITE_SUFFIX = re.compile(r"\s+(?:[-|–—:»·]|::)\s+")
DATE_LIKE = re.compile(r"\b(?:\d{1,2}[:.]\d{2}|\d{4})\b")
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
TITLE_LOOKBACK = 40
STANDFIRST_MAX_WORDS = 70


def page_title_keys(first: Line) -> set[str]:
    """Normalized forms of the page's <title> line, with and without its site name."""
    parts = SITE_SUFFIX.split(first.text)
    keys = {norm(first.text)}
    for n in range(1, len(parts)):
        keys.add(norm(" - ".join(parts[:n])))
        keys.add(norm(" - ".join(parts[n:])))
    return {k for k in keys if len(k.split()) >= 3}


def without_site_suffix(title: str) -> str:
    """A page's <title> line without the site's name after it: "Headline - Vox", "Headline |
    National Review" become "Headline" (a last part of three words or fewer, each capitalized or a
    domain, after a headline of three words or more; a quoted last part is the headline's own)."""
    while True:
        parts = SITE_SUFFIX.split(title)
        last = parts[-1].split()
        head = title[: title.rfind(parts[-1])].rstrip(" -|–—:»·")
        if (
            len(parts) < 2
            or not 1 <= len(last) <= 3
            or len(head.split()) < 3
            or parts[-1][0] in "'\"‘“"
            or parts[-1][-1] in "'\"’”"
            or not all(w[0].isupper() or w[0].isdigit() or "." in w for w in last)
        ):
            return title
        title = head


def headline_shaped(judged: Judged, *, dated: bool = False) -> bool:
    """Whether the line could be a headline. `dated`: a short line with a year or a time may be one
    too (a line that is the page's own title: "2018 Boys State Swim Results")."""
    line = judged.line
    return (
        3 <= line.words <= TITLE_MAX_WORDS
        and len(line.text) <= TITLE_MAX_CHARS
        and judged.chrome_reason is None
        and not is_interface(line.text)
        and len(SEPARATORS.findall(line.text)) < 2
        and not BYLINE.match(line.text)
        and not COUNTER.search(line.text)
        and not (line.words <= 6 and DATE_LIKE.search(line.text) and not dated)
    )


def title_anchors(judged: list[Judged]) -> list[tuple[int, bool]]:
    """Indices of headline lines (after the first line) that match the page's <title>, and whether exactly."""
    keys = page_title_keys(judged[0].line)
    found = []
    for i in range(1, len(judged)):
        line = judged[i].line
        if not 3 <= line.words <= TITLE_MAX_WORDS:
            continue
        text = norm(line.text)
        exact = text in keys
        if (exact or (line.words >= 4 and any(text in key for key in keys))) and headline_shaped(judged[i]):
            found.append((i, exact))
    return found


def find_title(judged: list[Judged], start: int) -> int | None:
    """Return the index of the title line, looking back from the main block's first line `start`."""
    keys = page_title_keys(judged[0].line)
    window = range(start, max(0, start - TITLE_LOOKBACK), -1)
    for i in window:  # the page's own title repeated above the article, a year in it or not
        if norm(judged[i].line.text) in keys and headline_shaped(judged[i], dated=True):
            return i
    nearest_first = [i for i in window if headline_shaped(judged[i])]
    texts = {i: norm(judged[i].line.text) for i in nearest_first}
    for i in nearest_first:
        if any(texts[i] in key for key in keys):
            return i
    if headline_shaped(judged[0], dated=True):  # the page's <title> line itself
        return 0
    return next((i for i in nearest_first if not ends_sentence(judged[i].line.text)), None)


def find_byline(lines: list[Line]) -> tuple[list[Line], str] | None:
    """Return the byline's lines and its text, from the first lines given, or None."""
    for i, line in enumerate(lines):
        if (
            line.words <= 12
            and not COUNTER.search(line.text)
            and (BYLINE.match(line.text) or POSTED_BY.match(line.text))
        ):
            return [line], line.text
        if BARE_BY.match(line.text) and i + 1 < len(lines) and lines[i + 1].words <= 6:
            follow = lines[i + 1]
            return [line, follow], f"{line.text} {follow.text}"
    return None


def byline_author(byline: str) -> str:
    match = BYLINE.match(byline) or POSTED_BY.match(byline)
    return match.group("name").split(",")[0].strip() if match else ""


def is_standfirst(line: Line) -> bool:
    return ends_sentence(line.text) and 8 <= line.words <= STANDFIRST_MAX_WORDS


def find_bio(body: list[Line], author: str) -> Line | None:
    """A closing paragraph that introduces the byline's author."""
    if not author:
        return None
    surname = author.split()[-1]
    for line in reversed(body[-4:]):
        for name in (author, surname):
            if line.text.startswith(name) and BIO_VERB.match(line.text[len(name) :]):
                return line
    return None
