"""Pair scoring: corpus statistics, candidate pairs by blocking, pair features, probabilities.

Candidates come from an inverted index of terms, names, figures, dates and quotations. A key
found in few units pairs them all; a common one pairs each unit only with its next few
neighbours in the key's posting list, so the work grows with the corpus, never with its square.
Each candidate pair gets a feature vector; a logistic model (weights learned on development
pairs, stored in weights.json) turns it into a probability.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from articles.alignment.figures import same_figure
from articles.alignment.units import Unit

FEATURES = (
    "cosine",
    "shared_weight",
    "rarest",
    "names",
    "names_apart",
    "figure",
    "date_shared",
    "date_apart",
    "quote",
    "bigrams",
    "both_lead",
    "one_lead",
    "document_cosine",
    "short",
    "central_min",
    "central_max",
    "topic_min",
    "topic_shared",
)
WEIGHTS = Path(__file__).with_name("weights.json")
SLIDE = 4  # neighbours paired along a common key's posting list


@dataclass
class Corpus:
    units: list[Unit]
    idf: dict[str, float]
    log_n: float
    norms: list[float]  # per unit: the length of its idf-weighted term vector (1.0 when empty)
    documents: object  # scipy CSR matrix: document -> term column -> weight (unit length)
    topic: list[int]  # per unit: how many of the corpus's topic terms it holds
    topic_terms: frozenset[str]
    centrality: list[float]  # per unit: how closely the other articles echo it (set by add_centrality)
    document_cosines: dict[tuple[int, int], float] = field(default_factory=dict)

    def unit_cosine(self, i: int, j: int) -> float:
        """The cosine of the two units' idf-weighted term vectors."""
        idf = self.idf
        shared = sum(idf[s] * idf[s] for s in self.units[i].terms & self.units[j].terms)
        return shared / (self.norms[i] * self.norms[j])

    def document_cosine(self, a: int, b: int) -> float:
        key = (a, b) if a < b else (b, a)
        if key not in self.document_cosines:
            self.document_cosines[key] = float(self.documents[a].multiply(self.documents[b]).sum())
        return self.document_cosines[key]

    def prepare_document_cosines(self, pairs) -> None:
        """Compute at once the document cosines the unit pairs need (one sparse product per document).

        Call it for a batch of pairs, read their features, then clear `document_cosines`: held for
        every pair of a large corpus at once they would take more memory than the pairs.
        """
        needed: dict[int, set[int]] = defaultdict(set)
        for i, j in pairs:
            a, b = self.units[i].doc, self.units[j].doc
            a, b = (a, b) if a < b else (b, a)
            if (a, b) not in self.document_cosines:
                needed[a].add(b)
        for a, partners in needed.items():
            others = sorted(partners)
            products = (self.documents[others] @ self.documents[a].T).toarray().ravel()
            self.document_cosines.update(((a, b), float(c)) for b, c in zip(others, products, strict=True))


@dataclass(frozen=True)
class Totals:
    """Counts of a whole corpus, for scoring some of its units alone (an incremental alignment)."""

    units: int
    documents: int
    df: Mapping[str, int]  # units per term
    in_documents: Mapping[str, int]  # documents per term


def corpus_of(units: list[Unit], documents: int, totals: Totals | None = None) -> Corpus:
    """Corpus statistics of `units` (their `doc` below `documents`); with `totals`, the idf and
    topic terms are those of the larger corpus the units belong to."""
    import numpy as np
    from scipy.sparse import csr_matrix

    df = totals.df if totals else Counter(s for u in units for s in u.terms)
    n = max(1, totals.units if totals else len(units))
    idf = {s: math.log((n + 1) / (df.get(s, 0) + 0.5)) for s in {s for u in units for s in u.terms}}
    norms = [math.sqrt(sum(idf[s] ** 2 for s in u.terms)) or 1.0 for u in units]
    column: dict[str, int] = {}
    rows, cols = [], []
    for u in units:
        for s in u.terms:
            rows.append(u.doc)
            cols.append(column.setdefault(s, len(column)))
    shape = (documents, max(1, len(column)))
    counts = csr_matrix((np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols))), shape=shape)
    counts.sum_duplicates()
    terms = list(column)
    weights = np.asarray([idf[s] for s in terms]) if terms else np.zeros(1)
    matrix = counts.copy()
    matrix.data = np.log1p(counts.data) * weights[counts.indices]
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1.0
    matrix = csr_matrix(matrix.multiply(1.0 / lengths[:, None]))
    # Topic terms: found in at least half of the articles ("quake", the person's name).
    if totals:
        in_documents, documents_counted = totals.in_documents, totals.documents
    else:
        in_documents = dict(zip(terms, np.diff(counts.tocsc().indptr).tolist(), strict=True))
        documents_counted = documents
    floor = max(2, math.ceil(documents_counted / 2))
    topic_terms = frozenset(s for s, c in in_documents.items() if c >= floor)
    topic = [len(u.terms & topic_terms) for u in units]
    return Corpus(units, idf, math.log(n + 1), norms, matrix, topic, topic_terms, [0.0] * len(units))


def add_centrality(corpus: Corpus, pairs, reach: int = 5) -> None:
    """Each unit's centrality: the mean of its best cosine in each of its `reach` closest other articles."""
    import numpy as np

    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    batches = (pairs[lo : lo + 65536].tolist() for lo in range(0, len(pairs), 65536))
    cosines = np.fromiter(
        (corpus.unit_cosine(i, j) for batch in batches for i, j in batch), dtype=np.float64, count=len(pairs)
    )
    doc = np.fromiter((u.doc for u in corpus.units), dtype=np.int64, count=len(corpus.units))
    documents = len({u.doc for u in corpus.units})
    width = max(1, min(reach, documents - 1))
    corpus.centrality = centrality_of(pairs, cosines, doc, width).tolist()


def centrality_of(pairs, cosines, doc, width: int):
    """Per unit: the mean of its `width` best cosines, one (the best) per other article."""
    import numpy as np

    owner = np.concatenate([pairs[:, 0], pairs[:, 1]])
    other = np.concatenate([doc[pairs[:, 1]], doc[pairs[:, 0]]])
    value = np.concatenate([cosines, cosines])
    order = np.lexsort((-value, other, owner))
    owner, other, value = owner[order], other[order], value[order]
    first = np.ones(len(owner), dtype=bool)
    first[1:] = (owner[1:] != owner[:-1]) | (other[1:] != other[:-1])
    owner, value = owner[first], value[first]  # the best cosine per (unit, other article)
    order = np.lexsort((-value, owner))
    owner, value = owner[order], value[order]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
    out = np.zeros(len(doc))
    np.add.at(out, owner[rank < width], value[rank < width])
    return out / width


def _keys(unit: Unit) -> set[str]:
    keys = set(unit.stems) | {f"n:{x}" for x in unit.names} | {f"c:{x}" for x in unit.counts}
    keys |= {f"q:{x}" for x in unit.quotes} | {f"d:{x}" for x in unit.dates if x[0] == "d"}
    return keys


def candidates(corpus: Corpus, neighbours: int, block_size: int, postings=None):
    """Cross-document unit pairs (i < j) worth scoring, at most `neighbours` per unit: an (n, 2) array.

    `postings`: the units' keys (blocking.Postings of `_keys`), when the caller keeps them.
    """
    import numpy as np

    from articles.alignment.blocking import Postings, candidate_pairs

    docs = np.fromiter((u.doc for u in corpus.units), dtype=np.int64, count=len(corpus.units))
    postings = postings or Postings(_keys(unit) for unit in corpus.units)
    half = corpus.log_n * 0.5
    return candidate_pairs(postings, docs, lambda key: corpus.idf.get(key, half), neighbours, block_size, SLIDE)


def _dates_apart(a: set[str], b: set[str]) -> bool:
    for prefix in ("d", "y"):
        da, db = {x for x in a if x[0] == prefix}, {x for x in b if x[0] == prefix}
        if da and db and not da & db:
            return True
    return False


def features(corpus: Corpus, i: int, j: int) -> list[float]:
    """The pair's feature vector, in the order of FEATURES."""
    a, b = corpus.units[i], corpus.units[j]
    ra, rb = a.reading, b.reading
    idf, log_n = corpus.idf, corpus.log_n
    shared = ra.terms & rb.terms
    shared_idf = [idf[s] for s in shared]
    names_a, names_b = ra.names, rb.names
    if names_a or names_b:
        name_union = sum(idf.get(s, log_n) for s in names_a | names_b)
        name_shared = sum(idf.get(s, log_n) for s in names_a & names_b)
    else:
        name_union = name_shared = 0.0
    figure = bool(ra.counts & rb.counts) or any(same_figure(x, y) for x in ra.quantities for y in rb.quantities)
    return [
        corpus.unit_cosine(i, j),
        math.log1p(sum(shared_idf)) / math.log1p(corpus.log_n * 4),
        max(shared_idf, default=0.0) / corpus.log_n,
        name_shared / name_union if name_union else 0.0,
        float(bool(names_a) and bool(names_b) and not names_a & names_b),
        float(figure),
        float(bool(ra.dates & rb.dates)),
        float(bool(ra.dates) and bool(rb.dates) and _dates_apart(ra.dates, rb.dates)),
        float(a.quotes_from(b)),
        min(3, len(ra.bigrams & rb.bigrams)) / 3,
        float(a.position <= 1 and b.position <= 1),
        float((a.position <= 1) != (b.position <= 1)),
        corpus.document_cosine(a.doc, b.doc),
        1.0 / (1 + min(len(a.terms), len(b.terms))),
        min(corpus.centrality[i], corpus.centrality[j]),
        max(corpus.centrality[i], corpus.centrality[j]),
        min(3, corpus.topic[i], corpus.topic[j]) / 3,
        min(3, len(shared & corpus.topic_terms)) / 3,
    ]


@dataclass(frozen=True)
class LogisticModel:
    weights: tuple[float, ...]
    bias: float

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def probabilities(self, xs: list[list[float]]) -> list[float]:
        """probability() of each row, computed as one matrix product."""
        import numpy as np

        if len(xs) == 0:
            return []
        z = np.asarray(xs, dtype=float) @ np.asarray(self.weights) + self.bias
        return (1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))).tolist()


@cache
def models(path: Path = WEIGHTS) -> dict[str, LogisticModel]:
    """The stored "event" and "point" models (their feature list must match FEATURES)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path.name} was trained on other features; run manage.py train_alignment")
    return {name: LogisticModel(tuple(m["weights"]), m["bias"]) for name, m in data["models"].items()}


def scored_pairs(corpus: Corpus, pairs: list[tuple[int, int]], model: LogisticModel) -> dict[tuple[int, int], float]:
    return {(i, j): model.probability(features(corpus, i, j)) for i, j in pairs}
