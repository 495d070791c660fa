"""Find where articles report the same event or make the same point.

A pure package: plain data in, plain data out, no Django. Modules, in the order align() uses
them: lexicon (words, stems, stop list), figures (numbers, money, dates, names, quotations),
units (the sentences aligned and their features), scoring (candidate pairs, features, the
learned probabilities), grouping (events, points, passages), labels, engine (align itself).
Beside them: overrides (editors' corrections replayed), evaluation (scores against judged
pairs), training (fitting the pair models).
"""

from __future__ import annotations

from articles.alignment.figures import Quantity, quantities, quotations, same_figure
from articles.alignment.records import Alignment, Document, Event, Group, Params, Passage, Suggestion


def __getattr__(name: str):
    """`align` and `STAGES` load the engine (and numpy) on first use: the web workers import this
    package for its records and figures but never align, and numpy would cost each ~15 MiB."""
    if name in ("align", "STAGES"):
        from articles.alignment import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STAGES",
    "Alignment",
    "Document",
    "Event",
    "Group",
    "Params",
    "Passage",
    "Quantity",
    "Suggestion",
    "align",
    "quantities",
    "quotations",
    "same_figure",
]
