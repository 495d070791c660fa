"""Candidate pairs by blocking, in arrays: the work grows with the corpus, never with its square.

Each unit has keys (stems, names, figures, dates, quotations). A key found in few units pairs
them all; a common one pairs each unit only with its next `slide` units in the key's posting
list. A pair's weight is the sum of its shared keys' weights, and each unit keeps its
`neighbours` heaviest pairs. The postings are one array sorted by key, so that the pairs are
generated and summed by numpy, a range of units at a time (memory stays bounded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from articles.alignment.pairs import _ranges, ranked

COMBINATIONS_PER_STEP = 1_000_000  # pairs generated at once: ~60 bytes each while they are summed


class Postings:
    """Every key's units, in unit order: `units[starts[k]:starts[k + 1]]` are key k's."""

    def __init__(self, keys_of_units: Iterable[Iterable[str]]) -> None:
        ids: dict[str, int] = {}
        entry_keys: list[int] = []
        entry_units: list[int] = []
        for u, keys in enumerate(keys_of_units):
            for key in keys:
                entry_keys.append(ids.setdefault(key, len(ids)))
                entry_units.append(u)
        self.ids = ids
        keys_array = np.asarray(entry_keys, dtype=np.int32)
        order = np.argsort(keys_array, kind="stable")  # stable: each key's units stay in unit order
        self.units = np.asarray(entry_units, dtype=np.int32)[order]
        self.entry_keys = keys_array[order]
        counts = np.bincount(keys_array, minlength=len(ids))
        self.starts = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.starts[1:])

    def key_names(self) -> list[str]:
        return list(self.ids)


def candidate_pairs(
    postings: Postings,
    docs: np.ndarray,
    key_weight: Callable[[str], float],
    neighbours: int,
    block_size: int,
    slide: int,
) -> np.ndarray:
    """Cross-document unit pairs (i < j) worth scoring, shape (n, 2), sorted; at most
    `neighbours` per unit (a pair stays when either of its units keeps it)."""
    n_units = len(docs)
    weights = np.array([key_weight(k) for k in postings.key_names()], dtype=np.float64)
    lengths = np.diff(postings.starts)
    entry_length = lengths[postings.entry_keys]
    position = np.arange(len(postings.units), dtype=np.int64) - postings.starts[postings.entry_keys]
    reach = np.where(entry_length <= block_size, entry_length, slide)
    partners = np.minimum(reach, entry_length - 1 - position).clip(min=0)
    per_unit = np.bincount(postings.units, weights=partners, minlength=n_units)
    lefts, rights, sums = [], [], []
    for lo, hi in _steps(per_unit, COMBINATIONS_PER_STEP):
        source = np.flatnonzero((postings.units >= lo) & (postings.units < hi) & (partners > 0))
        counts = partners[source]
        source = np.repeat(source, counts)
        target = source + 1 + _ranges(np.zeros(len(counts), dtype=np.int64), counts)
        i, j = postings.units[source].astype(np.int64), postings.units[target].astype(np.int64)
        apart = docs[i] != docs[j]
        keys, inverse = np.unique(i[apart] * n_units + j[apart], return_inverse=True)
        sums.append(np.bincount(inverse, weights=weights[postings.entry_keys[source[apart]]]))
        lefts.append((keys // n_units).astype(np.int32))
        rights.append((keys % n_units).astype(np.int32))
    if not lefts:
        return np.zeros((0, 2), dtype=np.int32)
    left, right, weight = np.concatenate(lefts), np.concatenate(rights), np.concatenate(sums)
    kept = ranked(left, right, weight, n_units, neighbours)
    return np.stack([left[kept], right[kept]], axis=1)


def _steps(per_unit: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Ranges of units whose pairs number about `budget` each."""
    out, lo, total = [], 0, 0.0
    for u, count in enumerate(per_unit.tolist()):
        total += count
        if total >= budget:
            out.append((lo, u + 1))
            lo, total = u + 1, 0.0
    if lo < len(per_unit):
        out.append((lo, len(per_unit)))
    return out
