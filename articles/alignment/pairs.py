"""Scored sentence pairs held in arrays, the engine's largest structure.

A corpus of 10,000 articles has some 7 million candidate pairs. As Python tuples, floats and
dictionaries of neighbours they took about 1 KiB each; here a pair is two int32 ids and one
float64 per probability, and each unit's neighbours are a slice of one sorted array (CSR).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property

import numpy as np

CHUNK = 1 << 16  # pairs turned into Python values at a time


class PairScores(Mapping):
    """{(i, j): p} with i < j, sorted by (i, j), plus each unit's scored neighbours.

    Reads like the dictionary it replaces (`items()`, `[(i, j)]`, `neighbours[u]`) so the
    clustering code stays plain Python, while holding about 16 bytes a pair.
    """

    def __init__(self, left, right, probability) -> None:
        self.left = np.ascontiguousarray(left, dtype=np.int32)
        self.right = np.ascontiguousarray(right, dtype=np.int32)
        self.probability = np.ascontiguousarray(probability, dtype=np.float64)
        self._csr: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, scores) -> PairScores:
        """`scores` itself, or the {(i, j): p} dictionary as PairScores."""
        if isinstance(scores, PairScores):
            return scores
        items = sorted(((min(i, j), max(i, j)), p) for (i, j), p in scores.items())
        return cls([k[0] for k, _p in items], [k[1] for k, _p in items], [p for _k, p in items])

    def __len__(self) -> int:
        return len(self.left)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for lo in range(0, len(self), CHUNK):
            yield from zip(self.left[lo : lo + CHUNK].tolist(), self.right[lo : lo + CHUNK].tolist(), strict=True)

    def items(self) -> Iterator[tuple[tuple[int, int], float]]:  # type: ignore[override]
        for lo in range(0, len(self), CHUNK):
            hi = lo + CHUNK
            left, right = self.left[lo:hi].tolist(), self.right[lo:hi].tolist()
            yield from zip(zip(left, right, strict=True), self.probability[lo:hi].tolist(), strict=True)

    def values(self) -> list[float]:  # type: ignore[override]
        return self.probability.tolist()

    def __getitem__(self, pair: tuple[int, int]) -> float:
        i, j = pair
        columns, values = self.row(min(i, j))
        at = int(np.searchsorted(columns, max(i, j)))
        if at == len(columns) or columns[at] != max(i, j):
            raise KeyError(pair)
        return float(values[at])

    def __contains__(self, pair) -> bool:
        try:
            self[pair]
        except KeyError:
            return False
        return True

    def _neighbourhood(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(nodes, indptr, columns, values): node k's neighbours are columns[indptr[k]:indptr[k + 1]], ascending."""
        if self._csr is None:
            rows = np.concatenate([self.left, self.right])
            columns = np.concatenate([self.right, self.left])
            values = np.concatenate([self.probability, self.probability])
            order = np.lexsort((columns, rows))
            rows, columns, values = rows[order], columns[order], values[order]
            nodes, counts = np.unique(rows, return_counts=True)
            indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            self._csr = (nodes, indptr, columns, values)
        return self._csr

    def row(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """The neighbours of `u` (ascending) and the pairs' probabilities."""
        _nodes, indptr, columns, values = self._neighbourhood()
        k = self._slot.get(u)
        if k is None:
            return columns[:0], values[:0]
        start, end = self._bounds[k], self._bounds[k + 1]
        return columns[start:end], values[start:end]

    @cached_property
    def _slot(self) -> dict[int, int]:
        """Node -> its row (a dictionary: a numpy lookup costs more than the row's work)."""
        return {u: k for k, u in enumerate(self._neighbourhood()[0].tolist())}

    @cached_property
    def _bounds(self) -> list[int]:
        return self._neighbourhood()[1].tolist()

    @property
    def neighbours(self) -> _Neighbours:
        return _Neighbours(self)

    def among(self, ids: Iterable[int]) -> PairScores:
        """The pairs with both units in `ids`."""
        inside = np.unique(np.fromiter(ids, dtype=np.int64))
        nodes, indptr, columns, values = self._neighbourhood()
        at = np.searchsorted(nodes, inside)
        present = at < len(nodes)
        present[present] = nodes[at[present]] == inside[present]
        starts, ends = indptr[at[present]], indptr[at[present] + 1]
        owners = inside[present]
        gather = _ranges(starts, ends)
        rows = np.repeat(owners, ends - starts)
        cols = columns[gather]
        keep = cols > rows
        where = np.searchsorted(inside, cols[keep])
        keep[keep] = (where < len(inside)) & (inside[np.minimum(where, len(inside) - 1)] == cols[keep])
        return PairScores(rows[keep], cols[keep], values[gather][keep])

    def order_at_least(self, floor: float) -> np.ndarray:
        """Indices of the pairs with p >= floor, most likely first, then by (i, j)."""
        chosen = np.flatnonzero(self.probability >= floor)
        order = np.lexsort((self.right[chosen], self.left[chosen], -self.probability[chosen]))
        return chosen[order]


class _Neighbours:
    """neighbours[u]: {v: p} of the pairs of `u`, in the order of v."""

    def __init__(self, scores: PairScores) -> None:
        self.scores = scores

    def __getitem__(self, u: int) -> dict[int, float]:
        columns, values = self.scores.row(u)
        return dict(zip(columns.tolist(), values.tolist(), strict=True))


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of arange(s, e) for each (s, e)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def ranked(pairs_left, pairs_right, weight, owners_of, limit: int) -> np.ndarray:
    """Mask of the pairs among the `limit` heaviest of either unit (ties: the higher (i, j) first).

    `owners_of` is the number of units; each pair is an option of both its units.
    """
    n = len(pairs_left)
    kept = np.zeros(n, dtype=bool)
    by_right = np.argsort(pairs_right, kind="stable")
    right_sorted = pairs_right[by_right]
    step = max(1, owners_of // 16)
    for lo in range(0, owners_of, step):
        hi = lo + step
        a, b = np.searchsorted(pairs_left, [lo, hi])
        c, d = np.searchsorted(right_sorted, [lo, hi])
        index = np.concatenate([np.arange(a, b, dtype=np.int64), by_right[c:d]])
        owner = np.concatenate([pairs_left[a:b], right_sorted[c:d]])
        order = np.lexsort((-pairs_right[index], -pairs_left[index], -weight[index], owner))
        owner, index = owner[order], index[order]
        first = np.searchsorted(owner, owner, side="left")
        rank = np.arange(len(owner)) - first
        kept[index[rank < limit]] = True
    return kept
