"""Alignment units: every sentence that carries content, with the features it is compared by.

Headlines and short lines are units; date lines ("Tue Jan 13, 2009 3:22pm EST") and bylines
("By Ana Ruiz, Reuters") are not: they say when and who wrote, not what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.alignment import figures
from articles.alignment.lexicon import STOP_WORDS, is_content, stem, words
from articles.alignment.records import Document

_DATE_WORDS_TEXT = """
    jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday
    sunday mon tue tues wed thu thur thurs fri sat sun am pm a.m p.m edt est gmt utc pst pdt cst cdt
    bst cet cest ist et pt updated posted published last modified ago hours hour minutes min mins
    read today yesterday
"""
DATE_WORDS = frozenset(_DATE_WORDS_TEXT.split())
BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|reporting|editing|compiled)\s+)?by\s+[A-Z][\w.'’-]{0,30}"
    r"(?:\s+[\w.'’&-]{1,30}){0,7}\s{0,3}[.,|–—-]?\s{0,3}[\w\s.,&/()-]{0,60}$",
    re.I,
)


def is_date_line(text: str) -> bool:
    """A line that only gives a date and time."""
    ws = words(text)
    has_digit = any(c.isdigit() for c in text)
    return (has_digit or bool(ws)) and all(w in DATE_WORDS or w in STOP_WORDS for w in ws) and len(text) < 80


def is_byline(text: str) -> bool:
    return len(text) < 120 and bool(BYLINE.match(text.strip()))


@dataclass
class Unit:
    doc: int  # index of the document in the input list
    index: int  # sentence index inside its document
    position: int  # unit index inside its document (0 = headline or first line)
    text: str
    span: tuple[int, int]
    stems: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # stems of the capitalized words
    quantities: list[figures.Quantity] = field(default_factory=list)
    counts: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)
    wording: str = ""  # the lower-cased words, space-separated, to find another unit's quotation in

    def quotes_from(self, other: Unit) -> bool:
        """Whether the two share a quotation, or one quotes words the other uses unquoted."""
        return (
            bool(self.quotes & other.quotes)
            or any(f" {q} " in f" {other.wording} " for q in self.quotes)
            or any(f" {q} " in f" {self.wording} " for q in other.quotes)
        )

    @property
    def terms(self) -> set[str]:
        return set(self.stems)

    @property
    def bigrams(self) -> set[str]:
        return {f"{a} {b}" for a, b in zip(self.stems, self.stems[1:], strict=False)}


def make_unit(doc: int, index: int, position: int, text: str, span: tuple[int, int]) -> Unit:
    name_stems = {stem(w) for name in figures.names(text) for w in name.split()}
    return Unit(
        doc=doc, index=index, position=position, text=text, span=span,
        stems=[stem(w) for w in words(text) if is_content(w)],
        names={s for s in name_stems if is_content(s)},
        quantities=figures.quantities(text), counts=figures.counts(text), dates=figures.dates(text),
        quotes=figures.quotations(text), wording=" ".join(words(text)),
    )  # fmt: skip


def units_of(documents: list[Document]) -> list[Unit]:
    """Every content sentence of every document, in document order."""
    out = []
    for d, document in enumerate(documents):
        position = 0
        for i, (start, end) in enumerate(document.sentences):
            text = document.text[start:end]
            if is_date_line(text) or is_byline(text) or not any(is_content(w) for w in words(text)):
                continue
            out.append(make_unit(d, i, position, text, (start, end)))
            position += 1
    return out
