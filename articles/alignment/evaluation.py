"""Score an alignment against hand-judged sentence pairs: precision, recall, F1 of 'same group'.

Pure module, used by the tests and the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.alignment.records import Alignment, Document


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def _locate(documents: dict[str, Document], prefix: str, phrase: str) -> tuple[int, int]:
    doc = documents[prefix]
    at = doc.text.find(phrase)
    if at < 0:
        raise ValueError(f"{phrase!r} is not in article {prefix}")
    return doc.id, at


def score_pairs(alignment: Alignment, documents: dict[str, Document], pairs: list) -> Scores:
    """`documents` maps a name prefix to its Document; `pairs` are [[prefix, phrase], [prefix, phrase], same]."""

    def groups_of(doc_id: int, offset: int) -> set[int]:
        return {
            g
            for g, group in enumerate(alignment.groups)
            for p in group.passages
            if p.doc_id == doc_id and p.start <= offset < p.end
        }

    tp = fp = fn = 0
    for left, right, same in pairs:
        a = groups_of(*_locate(documents, *left))
        b = groups_of(*_locate(documents, *right))
        predicted = bool(a & b)
        tp += predicted and same
        fp += predicted and not same
        fn += (not predicted) and same
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, fp, fn)
