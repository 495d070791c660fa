"""Inter-annotator agreement over tokens and spans. Pure module (no Django).

Each token of the text carries each annotator's tag, or "none". Krippendorff's alpha comes
from the `krippendorff` package and Cohen's kappa from scikit-learn; Fleiss' kappa, a dozen
lines with no well-kept light implementation (statsmodels would bring pandas), is written
here and checked against Fleiss's published example.

numpy is imported inside the functions that use it: every web process imports this module (the
dashboard's URLs), few ever compute an agreement, and numpy is 20 MiB of each one's memory.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import combinations

NONE = "none"
TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Span:
    annotator: str
    start: int
    end: int
    tag: str


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word or punctuation token."""
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def token_labels(token_spans: list[tuple[int, int]], spans: list[Span], annotators: list[str]) -> list[list[str]]:
    """labels[a][t]: annotator a's tag on token t ("none" if untagged; the shortest span wins)."""
    starts = [s for s, _e in token_spans]
    ends = [e for _s, e in token_spans]
    index = {a: n for n, a in enumerate(annotators)}
    labels = [[NONE] * len(token_spans) for _ in annotators]
    width = [[math.inf] * len(token_spans) for _ in annotators]
    for span in spans:
        if span.annotator not in index:
            continue
        row = index[span.annotator]
        first = bisect_right(ends, span.start)  # first token ending after the span starts
        last = bisect_left(starts, span.end)  # tokens starting before the span ends
        size = span.end - span.start
        for t in range(first, last):
            if size < width[row][t]:
                labels[row][t] = span.tag
                width[row][t] = size
    return labels


def krippendorff_alpha(labels: list[list[str]]) -> float | None:
    """Nominal alpha over tokens; None when it is undefined (fewer than two annotators, no variation)."""
    import numpy as np

    if len(labels) < 2 or not labels[0]:
        return None
    import krippendorff

    categories = sorted({x for row in labels for x in row})
    if len(categories) < 2:
        return None
    code = {c: n for n, c in enumerate(categories)}
    data = np.array([[code[x] for x in row] for row in labels], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def fleiss_kappa(counts: list[list[int]]) -> float | None:
    """Fleiss' kappa from counts[subject][category] (each row sums to the number of raters)."""
    import numpy as np

    table = np.asarray(counts, dtype=float)
    if table.size == 0:
        return None
    n_subjects = table.shape[0]
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        return None
    n = raters[0]
    p_category = table.sum(axis=0) / (n_subjects * n)
    p_subject = ((table * table).sum(axis=1) - n) / (n * (n - 1))
    p_bar = p_subject.mean()
    p_expected = (p_category * p_category).sum()
    if p_expected == 1:
        return None
    return float((p_bar - p_expected) / (1 - p_expected))


def fleiss_from_labels(labels: list[list[str]]) -> float | None:
    import numpy as np

    if len(labels) < 2:
        return None
    categories = sorted({x for row in labels for x in row})
    code = {c: n for n, c in enumerate(categories)}
    counts = np.zeros((len(labels[0]), len(categories)), dtype=int)
    for row in labels:
        for t, x in enumerate(row):
            counts[t, code[x]] += 1
    return fleiss_kappa(counts.tolist())


def cohen_table(labels: list[list[str]]) -> list[list[float | None]]:
    """Pairwise Cohen's kappa, annotator × annotator (1.0 on the diagonal).

    Same formula as scikit-learn's cohen_kappa_score (a test checks they agree), computed from
    one confusion count per pair so that a class of forty stays fast.
    """
    import numpy as np

    size = len(labels)
    table: list[list[float | None]] = [[1.0 if i == j else None for j in range(size)] for i in range(size)]
    if size < 2 or not labels[0]:
        return table
    categories = sorted({x for row in labels for x in row})
    k = len(categories)
    code = {c: n for n, c in enumerate(categories)}
    coded = np.array([[code[x] for x in row] for row in labels], dtype=np.int64)
    n = coded.shape[1]
    for i, j in combinations(range(size), 2):
        confusion = np.bincount(coded[i] * k + coded[j], minlength=k * k).reshape(k, k)
        observed = np.trace(confusion) / n
        expected = float((confusion.sum(axis=1) * confusion.sum(axis=0)).sum()) / (n * n)
        value = None if expected == 1 else float((observed - expected) / (1 - expected))
        table[i][j] = table[j][i] = value
    return table


@dataclass(frozen=True)
class SpanScores:
    precision: float | None
    recall: float | None
    f1: float | None


def span_scores(predicted: list[Span], key: list[Span], *, overlap: bool) -> SpanScores:
    """Precision/recall/F1 of spans against a key: same tag and same offsets (or any overlap)."""

    def matches(a: Span, b: Span) -> bool:
        if a.tag != b.tag:
            return False
        return (a.start < b.end and b.start < a.end) if overlap else (a.start, a.end) == (b.start, b.end)

    return _scores(predicted, key, matches)


def _scores(predicted: list, key: list, matches) -> SpanScores:
    """Precision, recall and F1 of `predicted` against `key` under a `matches(p, k)` rule."""
    if not predicted and not key:
        return SpanScores(None, None, None)
    precision = sum(any(matches(p, k) for k in key) for p in predicted) / len(predicted) if predicted else None
    recall = sum(any(matches(p, k) for p in predicted) for k in key) / len(key) if key else None
    if precision is None or recall is None or precision + recall == 0:
        f1 = 0.0 if precision == 0 or recall == 0 else None
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return SpanScores(precision, recall, f1)


Passage = tuple[int, int, int]  # (article id, start, end)


@dataclass(frozen=True)
class LinkPair:
    """A link as agreement sees it: its two passages in article order, and its kind."""

    annotator: str
    first: Passage
    second: Passage
    kind: str

    @classmethod
    def of(cls, annotator: str, a: Passage, b: Passage, kind: str) -> LinkPair:
        first, second = sorted((a, b))
        return cls(annotator, first, second, kind)


def _same_passage(a: Passage, b: Passage) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def links_match(a: LinkPair, b: LinkPair, *, kind: bool) -> bool:
    """Two links join overlapping passages of the same two articles (and, with `kind`, say the same)."""
    same = _same_passage(a.first, b.first) and _same_passage(a.second, b.second)
    return same and (not kind or a.kind == b.kind)


def link_scores(predicted: list[LinkPair], key: list[LinkPair], *, kind: bool) -> SpanScores:
    """Pair-level precision/recall/F1 of one student's links against the key's."""
    return _scores(predicted, key, lambda p, k: links_match(p, k, kind=kind))


def link_agreement(links: dict[str, list[LinkPair]], *, kind: bool) -> float | None:
    """Mean pairwise F1 between annotators' links (symmetric: one's precision is the other's recall).

    Pairs in which neither annotator linked anything are left out; None when no pair is left.
    """
    values = [
        link_scores(links[a], links[b], kind=kind).f1 for a, b in combinations(sorted(links), 2) if links[a] or links[b]
    ]
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def disagreement(labels: list[list[str]]) -> list[float]:
    """Per token: 0 when every annotator gave the same label, up to 1 - 1/k when all differ."""
    if not labels:
        return []
    n = len(labels)
    out = []
    for column in zip(*labels, strict=True):
        most = max(column.count(x) for x in set(column))
        out.append(1 - most / n)
    return out
