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
    located = [
        [[None, _locate(documents, *left)], [None, _locate(documents, *right)], same] for left, right, same in pairs
    ]
    return _score_located(alignment, located)


def _score_located(alignment: Alignment, pairs: list) -> Scores:
    """Scores of `pairs` given as [[_, (doc_id, offset)], [_, (doc_id, offset)], same]."""

    def groups_of(doc_id: int, offset: int) -> set[int]:
        return {
            g
            for g, group in enumerate(alignment.groups)
            for p in group.passages
            if p.doc_id == doc_id and p.start <= offset < p.end
        }

    tp = fp = fn = 0
    for (_l, left), (_r, right), same in pairs:
        a = groups_of(*left)
        b = groups_of(*right)
        predicted = bool(a & b)
        tp += predicted and same
        fp += predicted and not same
        fn += (not predicted) and same
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, fp, fn)


def score_groups(alignment: Alignment, documents: dict[str, Document], groups: list[dict]) -> Scores:
    """Pair scores against hand-made groups: `groups` are {"passages": [[prefix, phrase], ...]}.

    Two listed passages of different articles are linked in the gold if they are in one group,
    and predicted linked if the alignment puts them in one group.
    """
    listed = [(n, _locate(documents, *where)) for n, group in enumerate(groups) for where in group["passages"]]
    pairs = [
        [[None, a], [None, b], x == y] for k, (x, a) in enumerate(listed) for y, b in listed[k + 1 :] if a[0] != b[0]
    ]
    return _score_located(alignment, pairs)
