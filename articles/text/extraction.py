"""Turn an uploaded file's bytes into text, or say clearly why it cannot be.

Pure module. UTF-8 is tried first; a byte-order mark selects UTF-16/32; anything else goes to
charset-normalizer, and the encoding it chose becomes a warning. HTML (by extension or by
content) goes through trafilatura's main-content extraction, which drops scripts, menus and
comments before our own cleaning sees the text, and reads the page's metadata (title, author,
date, description) so that cleaning need not guess them from the body.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from articles.text.bylines import byline_names, page_people

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
HTML_SNIFF = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
HTML_TAGS = re.compile(r"</?(?:p|div|span|a|br|h[1-6]|article|section|script|ul|li)\b[^>]*>", re.I)
LATIN_PAGES = {"cp1250", "cp1252", "latin_1", "iso8859_2", "iso8859_15", "mac_roman", "cp850", "iso8859_9", "cp1254"}
SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm")
# No real tag is this long; an element with 100,000 attributes makes the HTML parser quadratic.
MAX_TAG = 4096
TAG_NAME = re.compile(r"</?[A-Za-z][\w:-]{0,40}")


class ExtractionError(ValueError):
    """The file cannot be read as an article; the message says why, in one line."""


@dataclass(frozen=True)
class PageMetadata:
    """What an HTML page says about its article, outside the article's text."""

    title: str = ""
    author: str = ""
    date: str = ""
    description: str = ""
    sitename: str = ""


@dataclass
class Extracted:
    text: str
    encoding: str
    is_html: bool = False
    html_title: str = ""
    warnings: list[str] = field(default_factory=list)
    metadata: PageMetadata | None = None  # set for HTML pages only


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) for `data`, or raise ExtractionError."""
    warnings: list[str] = []
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
            if encoding != "utf-8-sig":
                warnings.append(f"decoded as {encoding.upper()} (byte-order mark)")
            return text, encoding, warnings
    if b"\x00" in data:
        raise ExtractionError("looks like a binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("looks like a binary file: no text encoding fits its bytes")
    encoding = best.encoding
    # On short texts the detector cannot tell the Latin code pages apart; Western European
    # (cp1252, a superset of printable Latin-1) is by far the most common on the web.
    if encoding in LATIN_PAGES:
        try:
            return data.decode("cp1252"), "cp1252", [*warnings, "not UTF-8; decoded as cp1252"]
        except UnicodeDecodeError:
            pass
    warnings.append(f"not UTF-8; decoded as {encoding}")
    return str(best), encoding, warnings


def looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > max(2, len(text) // 100)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(HTML_SNIFF.match(head)) or len(HTML_TAGS.findall(head)) >= 5


# A dateline set in its own element runs into the first sentence once the markup is gone:
# "Hong Kong (CNN Business)A muddled view" -> "Hong Kong (CNN Business) A muddled view".
DATELINE_JOINED = re.compile(r"^([^()\n]{0,40}\([^()\n]{2,30}\))(?=[A-Z])", re.M)


def html_extract(html: str) -> tuple[PageMetadata, str]:
    """Return the page's metadata and its main text, one paragraph per line.

    Tables stay in (a results table or a schedule is often the article); comments do not.
    """
    import trafilatura

    html = cap_markup(html)
    document = trafilatura.bare_extraction(html, include_comments=False, include_links=False, with_metadata=True)
    if document is None:
        return PageMetadata(), ""
    metadata = PageMetadata(
        title=_single_line(document.title),
        author=byline_names(_single_line(document.author), _single_line(document.sitename), page_people(html)),
        date=_single_line(document.date),
        description=_single_line(document.description),
        sitename=_single_line(document.sitename),
    )
    return metadata, DATELINE_JOINED.sub(r"\1 ", (document.text or "").strip(), count=1)


def cap_markup(html: str) -> str:
    """Return `html` with every tag longer than MAX_TAG characters cut to its bare name (`<div>`).

    One pass with str.find, so the cost is linear in the page whatever its tags hold.
    """
    pieces, position = [], 0
    while (start := html.find("<", position)) >= 0:
        end = html.find(">", start)
        if end < 0:
            break
        if end - start > MAX_TAG:
            name = TAG_NAME.match(html, start, start + 42)
            pieces.append(html[position:start])
            pieces.append(name.group(0) + ">" if name else "")
            position = end + 1
            continue
        pieces.append(html[position : end + 1])
        position = end + 1
    pieces.append(html[position:])
    return "".join(pieces)


def _single_line(value: object) -> str:
    return " ".join(str(value or "").split())


def extract(name: str, data: bytes, *, max_bytes: int) -> Extracted:
    """Return the text of an uploaded article file, or raise ExtractionError."""
    if len(data) > max_bytes:
        raise ExtractionError(f"is {len(data):,} bytes, over the {max_bytes:,}-byte limit for one article")
    if not data:
        raise ExtractionError("is empty")
    text, encoding, warnings = decode(data)
    if looks_binary(text):
        raise ExtractionError("looks like a binary file (control characters), not text")
    if not text.strip():
        raise ExtractionError("contains only whitespace")
    is_html = name.lower().endswith((".html", ".htm"))
    if not is_html and looks_like_html(text):
        is_html = True
        warnings.append("the file holds HTML, not plain text; its main content was extracted")
    if not is_html:
        return Extracted(text=text, encoding=encoding, warnings=warnings)
    metadata, body = html_extract(text)
    title = metadata.title
    if not body.strip():
        raise ExtractionError("is an HTML page with no article text that could be extracted")
    # The title goes first so that cleaning finds it where a scraped text file has it.
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return Extracted(text=body, encoding=encoding, is_html=True, html_title=title, warnings=warnings, metadata=metadata)
