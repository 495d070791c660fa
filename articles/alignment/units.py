"""Alignment units: every sentence that carries content, with the features it is compared by.

Headlines and short lines are units; date lines ("Tue Jan 13, 2009 3:22pm EST"), bylines
("By Ana Ruiz, Reuters") and lines of reference marks ("[1] Source 1 [2] Source 2 [4] Source 4")
are not: they say when, who wrote and where from, not what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from articles.alignment import figures
from articles.alignment.lexicon import ATTRIBUTION, STOP_WORDS, is_content, stem, words
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


REFERENCE_MARK = re.compile(r"\[\d{1,3}\]")


def is_reference_line(text: str) -> bool:
    """A list of notes or sources: three reference marks ("[1]") or more, and at most two content
    words for each (a sentence citing three sources says more than that between its marks)."""
    marks = len(REFERENCE_MARK.findall(text))
    return marks >= 3 and sum(1 for w in words(text) if is_content(w)) <= 2 * marks


@dataclass(frozen=True)
class Reading:
    """What a sentence's text says, computed once per distinct text (wire copy repeats itself)."""

    stems: tuple[str, ...]
    terms: frozenset[str]
    bigrams: frozenset[str]
    names: frozenset[str]  # stems of the capitalized words
    quantities: tuple[figures.Quantity, ...]
    counts: frozenset[str]
    dates: frozenset[str]
    quotes: frozenset[str]
    wording: str  # the lower-cased words, space-separated, to find another unit's quotation in
    is_unit: bool  # carries content: not a date line, a byline or a list of references
    attributed: bool  # names its source: "police said", "according to officials"


@lru_cache(maxsize=100_000)
def read(text: str) -> Reading:
    ws = words(text)
    stems = tuple(stem(w) for w in ws if is_content(w))
    name_stems = {stem(w) for name in figures.names(text) for w in name.split()}
    return Reading(
        stems=stems,
        terms=frozenset(stems),
        bigrams=frozenset(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)),
        names=frozenset(s for s in name_stems if is_content(s)),
        quantities=tuple(figures.quantities(text)),
        counts=frozenset(figures.counts(text)),
        dates=frozenset(figures.dates(text)),
        quotes=frozenset(figures.quotations(text)),
        wording=" ".join(ws),
        is_unit=bool(stems) and not is_date_line(text) and not is_byline(text) and not is_reference_line(text),
        attributed=not ATTRIBUTION.isdisjoint(ws),
    )


@dataclass
class Unit:
    doc: int  # index of the document in the input list
    index: int  # sentence index inside its document
    position: int  # unit index inside its document (0 = headline or first line)
    text: str
    span: tuple[int, int]
    reading: Reading

    @property
    def stems(self) -> tuple[str, ...]:
        return self.reading.stems

    @property
    def terms(self) -> frozenset[str]:
        return self.reading.terms

    @property
    def bigrams(self) -> frozenset[str]:
        return self.reading.bigrams

    @property
    def names(self) -> frozenset[str]:
        return self.reading.names

    @property
    def quantities(self) -> tuple[figures.Quantity, ...]:
        return self.reading.quantities

    @property
    def counts(self) -> frozenset[str]:
        return self.reading.counts

    @property
    def dates(self) -> frozenset[str]:
        return self.reading.dates

    @property
    def quotes(self) -> frozenset[str]:
        return self.reading.quotes

    def quotes_from(self, other: Unit) -> bool:
        """Whether the two share a quotation, or one quotes words the other uses unquoted."""
        a, b = self.reading, other.reading
        if not (a.quotes or b.quotes):
            return False
        return (
            bool(a.quotes & b.quotes)
            or any(f" {q} " in f" {b.wording} " for q in a.quotes)
            or any(f" {q} " in f" {a.wording} " for q in b.quotes)
        )


def make_unit(doc: int, index: int, position: int, text: str, span: tuple[int, int]) -> Unit:
    return Unit(doc=doc, index=index, position=position, text=text, span=span, reading=read(text))


def units_of(documents: list[Document]) -> list[Unit]:
    """Every content sentence of every document, in document order."""
    out = []
    for d, document in enumerate(documents):
        position = 0
        for i, (start, end) in enumerate(document.sentences):
            text = document.text[start:end]
            reading = read(text)
            if not reading.is_unit:
                continue
            out.append(Unit(d, i, position, text, (start, end), reading))
            position += 1
    return out
