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
    vectors: list[dict[str, float]]  # unit -> stem -> idf weight (unit length)
    document_vectors: list[dict[str, float]]
    topic: list[int]  # per unit: how many of the corpus's topic terms it holds
    topic_terms: frozenset[str]
    centrality: list[float]  # per unit: how closely the other articles echo it (set by add_centrality)
    document_cosines: dict[tuple[int, int], float] = field(default_factory=dict)
    unit_cosines: dict[tuple[int, int], float] = field(default_factory=dict)

    def unit_cosine(self, i: int, j: int) -> float:
        c = self.unit_cosines.get((i, j))
        if c is None:
            a, b = self.vectors[i], self.vectors[j]
            c = self.unit_cosines[(i, j)] = sum(a[s] * b[s] for s in self.units[i].terms & self.units[j].terms)
        return c

    def document_cosine(self, a: int, b: int) -> float:
        key = (a, b) if a < b else (b, a)
        if key not in self.document_cosines:
            self.document_cosines[key] = _cosine(self.document_vectors[a], self.document_vectors[b])
        return self.document_cosines[key]

    def prepare_document_cosines(self, pairs: list[tuple[int, int]]) -> None:
        """Compute at once the document cosines the unit pairs need (one sparse product per document)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        needed: dict[int, set[int]] = defaultdict(set)
        for i, j in pairs:
            a, b = self.units[i].doc, self.units[j].doc
            a, b = (a, b) if a < b else (b, a)
            if (a, b) not in self.document_cosines:
                needed[a].add(b)
        if not needed:
            return
        column: dict[str, int] = {}
        rows, cols, values = [], [], []
        for d, vector in enumerate(self.document_vectors):
            for term, v in vector.items():
                rows.append(d)
                cols.append(column.setdefault(term, len(column)))
                values.append(v)
        shape = (len(self.document_vectors), max(1, len(column)))
        matrix = csr_matrix((np.array(values), (np.array(rows), np.array(cols))), shape=shape)
        for a, partners in needed.items():
            others = sorted(partners)
            products = (matrix[others] @ matrix[a].T).toarray().ravel()
            self.document_cosines.update(((a, b), float(c)) for b, c in zip(others, products, strict=True))


def _normalized(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {k: v / norm for k, v in weights.items()}


def corpus_of(units: list[Unit], documents: int) -> Corpus:
    df = Counter(s for u in units for s in u.terms)
    n = max(1, len(units))
    idf = {s: math.log((n + 1) / (c + 0.5)) for s, c in df.items()}
    vectors = [_normalized({s: idf[s] for s in u.terms}) for u in units]
    per_document: list[Counter] = [Counter() for _ in range(documents)]
    for u in units:
        per_document[u.doc].update(u.terms)
    document_vectors = [_normalized({s: math.log1p(c) * idf[s] for s, c in counts.items()}) for counts in per_document]
    # Topic terms: found in at least half of the articles ("quake", the person's name).
    in_documents = Counter(s for counts in per_document for s in counts)
    floor = max(2, math.ceil(documents / 2))
    topic_terms = frozenset(s for s, c in in_documents.items() if c >= floor)
    topic = [len(u.terms & topic_terms) for u in units]
    return Corpus(units, idf, math.log(n + 1), vectors, document_vectors, topic, topic_terms, [0.0] * len(units))


def add_centrality(corpus: Corpus, pairs: list[tuple[int, int]], reach: int = 5) -> None:
    """Each unit's centrality: the mean of its best cosine in each of its `reach` closest other articles."""
    best: list[dict[int, float]] = [defaultdict(float) for _ in corpus.units]
    for i, j in pairs:
        c = corpus.unit_cosine(i, j)
        di, dj = corpus.units[i].doc, corpus.units[j].doc
        best[i][dj] = max(best[i][dj], c)
        best[j][di] = max(best[j][di], c)
    documents = len({u.doc for u in corpus.units})
    width = max(1, min(reach, documents - 1))
    corpus.centrality = [sum(sorted(b.values(), reverse=True)[:width]) / width for b in best]


def _keys(unit: Unit) -> set[str]:
    keys = set(unit.stems) | {f"n:{x}" for x in unit.names} | {f"c:{x}" for x in unit.counts}
    keys |= {f"q:{x}" for x in unit.quotes} | {f"d:{x}" for x in unit.dates if x[0] == "d"}
    return keys


def candidates(corpus: Corpus, neighbours: int, block_size: int) -> list[tuple[int, int]]:
    """Cross-document unit pairs (i < j) worth scoring, at most `neighbours` per unit."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(corpus.units):
        for key in _keys(unit):
            postings[key].append(i)
    weight: dict[tuple[int, int], float] = defaultdict(float)
    units = corpus.units
    for key, members in postings.items():
        if len(members) < 2:
            continue
        w = corpus.idf.get(key, corpus.log_n * 0.5)
        reach = len(members) if len(members) <= block_size else SLIDE
        for x, i in enumerate(members):
            for j in members[x + 1 : x + 1 + reach]:
                if units[i].doc != units[j].doc:
                    weight[(i, j)] += w
    best: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for (i, j), w in weight.items():
        best[i].append((w, i, j))
        best[j].append((w, i, j))
    kept = set()
    for options in best.values():
        options.sort(reverse=True)
        kept.update((i, j) for _w, i, j in options[:neighbours])
    return sorted(kept)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


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

        if not xs:
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
