"""Learning the pair models: labelled pairs from annotated corpora, and a logistic regression.

Pure Python (Newton's method on a dozen features needs no numerical library). A corpus's gold
is a list of annotated sentences, each with the document it sits in, its offsets in that
document's raw text, and the event instances it mentions; "strict" instances are those that
are not the corpus's seminal event. Two units are an event pair if their sentences share an
instance, a point pair if they share a strict one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from articles.alignment import scoring
from articles.alignment.records import Document, Params
from articles.alignment.units import Unit, units_of


@dataclass(frozen=True)
class Example:
    features: list[float]
    event: bool
    point: bool | None  # None: linked only through the seminal event, not a point example


def _annotated(unit: Unit, raw: str, sentences: list[dict]) -> dict | None:
    """The gold sentence this unit covers at least half of, located by its text in the raw file."""
    at = raw.find(unit.text)
    if at < 0:
        return None
    end = at + len(unit.text)
    for s in sentences:
        overlap = min(end, s["end"]) - max(at, s["start"])
        if overlap >= 0.5 * (s["end"] - s["start"]):
            return s
    return None


def examples(documents: list[Document], raws: dict[str, str], gold: list[dict], strict: set[str]) -> list[Example]:
    """Labelled candidate pairs of one corpus. `raws` maps a document's name to its raw text."""
    params = Params()
    units = units_of(documents)
    corpus = scoring.corpus_of(units, len(documents))
    by_doc: dict[str, list[dict]] = {}
    for s in gold:
        by_doc.setdefault(s["doc"], []).append(s)
    tagged = [_annotated(u, raws[documents[u.doc].name], by_doc.get(documents[u.doc].name, [])) for u in units]
    out = []
    pairs = scoring.candidates(corpus, params.neighbours, params.block_size)
    scoring.add_centrality(corpus, pairs)
    for i, j in pairs:
        a, b = tagged[i], tagged[j]
        if a is None or b is None:
            continue
        shared = set(a["actions"]) & set(b["actions"])
        point = bool(shared & strict) if (shared & strict or not shared) else None
        out.append(Example(scoring.features(corpus, i, j), bool(shared), point))
    return out


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and well conditioned)."""
    n = len(vector)
    m = [row[:] + [vector[r]] for r, row in enumerate(matrix)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[r][n] / m[r][r] if m[r][r] else 0.0 for r in range(n)]


def fit_logistic(xs: list[list[float]], ys: list[bool], l2: float = 1.0, rounds: int = 25) -> scoring.LogisticModel:
    """L2-regularized logistic regression by Newton's method; the bias is not penalized."""
    k = len(xs[0]) + 1
    rows = [[*x, 1.0] for x in xs]
    w = [0.0] * k
    for _ in range(rounds):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for row, y in zip(rows, ys, strict=True):
            z = max(-40.0, min(40.0, sum(a * b for a, b in zip(w, row, strict=True))))
            p = 1.0 / (1.0 + math.exp(-z))
            g, h = p - float(y), p * (1 - p)
            for a in range(k):
                grad[a] += g * row[a]
                ha = h * row[a]
                hess_a = hess[a]
                for b in range(a, k):
                    hess_a[b] += ha * row[b]
        for a in range(k - 1):
            grad[a] += l2 * w[a]
            hess[a][a] += l2
        for a in range(k):
            for b in range(a):
                hess[a][b] = hess[b][a]
        step = _solve(hess, grad)
        w = [x - s for x, s in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return scoring.LogisticModel(tuple(w[:-1]), w[-1])
