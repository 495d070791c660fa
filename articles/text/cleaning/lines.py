"""Lines of a scraped page and the shapes a line can have.

A scraped text has one paragraph per line; blank lines carry no meaning. Every rule in this
package judges `Line`s, which keep their 1-based number in the raw text so that a dropped line
can be reported and restored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# A paragraph ends a sentence when it ends with . ! ? … (or their CJK forms), optionally followed
# by closing quotes, brackets or footnote markers such as [1].
SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]|\[\d+\])*$")
ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)$")
LIST_ITEM = re.compile(r"^(?:[•·▪◦‣*\-–—]\s+|\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)")
FOOTNOTE = re.compile(r"^\[\d+\]")
WORD = re.compile(r"\w+(?:['’]\w+)*")
BULLET = re.compile(r"^[\s•·▪◦‣*>»|\-–—]+")

SHORT_WORDS = 12
PROSE_MIN_WORDS = 8
PROSE_LONG_WORDS = 25


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the raw text
    text: str  # stripped of surrounding whitespace
    words: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", len(WORD.findall(self.text)))


def split_lines(text: str) -> list[Line]:
    """Return the non-blank lines of `text`, stripped, with their 1-based line numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(n, s.strip()) for n, s in enumerate(lines, start=1) if s.strip()]


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Lower-cased, NFKC, single-spaced, without surrounding punctuation or list bullets."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = BULLET.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" \t:.,;!?…-–—|»«\"'“”’()[]")


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def is_heading_shaped(line: Line) -> bool:
    """Short, no sentence-ending punctuation, not a list item or footnote."""
    return (
        0 < line.words <= 20
        and not ends_sentence(line.text)
        and not LIST_ITEM.match(line.text)
        and not FOOTNOTE.match(line.text)
    )


def is_prose(line: Line) -> bool:
    """A line that reads as article body: a real sentence, or a long run of words."""
    return (line.words >= PROSE_MIN_WORDS and ends_sentence(line.text)) or line.words >= PROSE_LONG_WORDS


def paragraph_kind(line: Line) -> str:
    if FOOTNOTE.match(line.text):
        return "footnote"
    if LIST_ITEM.match(line.text):
        return "list_item"
    if line.words <= 15 and not ends_sentence(line.text) and not line.text.endswith((",", ";", ":")):
        return "heading"
    return "paragraph"
