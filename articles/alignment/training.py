"""Learning the pair models: labelled pairs from annotated corpora, and a logistic regression.

Newton's method on a few dozen features, with numpy. A corpus's gold
is a list of annotated sentences, each with the document it sits in, its offsets in that
document's raw text, and the event instances it mentions; "strict" instances are those that
are not the corpus's seminal event. Two units are an event pair if their sentences share an
instance, a point pair if they share a strict one.
"""

from __future__ import annotations

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
    for i, j in pairs.tolist():
        a, b = tagged[i], tagged[j]
        if a is None or b is None:
            continue
        shared = set(a["actions"]) & set(b["actions"])
        point = bool(shared & strict) if (shared & strict or not shared) else None
        out.append(Example(scoring.features(corpus, i, j), bool(shared), point))
    return out


def fit_logistic(xs: list[list[float]], ys: list[bool], l2: float = 1.0, rounds: int = 25) -> scoring.LogisticModel:
    """L2-regularized logistic regression by Newton's method; the bias is not penalized."""
    import numpy as np

    x = np.hstack([np.asarray(xs, dtype=float), np.ones((len(xs), 1))])
    y = np.asarray(ys, dtype=float)
    penalty = np.full(x.shape[1], float(l2))
    penalty[-1] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40.0, 40.0)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return scoring.LogisticModel(tuple(float(v) for v in w[:-1]), float(w[-1]))


L2 = 1.0


def fit_models(examples: list[Example], l2: float = L2) -> dict[str, scoring.LogisticModel]:
    """The "event" and "point" models fitted on `examples`."""
    models = {}
    for name in ("event", "point"):
        labelled = [(e.features, getattr(e, name)) for e in examples if getattr(e, name) is not None]
        models[name] = fit_logistic([x for x, _y in labelled], [y for _x, y in labelled], l2=l2)
    return models
