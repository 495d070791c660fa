"""What a full alignment leaves behind so that one more article can be aligned alone.

The postings of every unit's blocking keys (the same keys `scoring.candidates` pairs on), how
many units and articles hold each key (the idf and the topic terms), and each unit's article,
sentence and centrality. An added article's units find their partners here; a removed one's
are marked gone. All of it is numpy arrays, written and read without pickle.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from articles.alignment.blocking import Postings
from articles.alignment.scoring import SLIDE, _keys
from articles.alignment.units import Unit

SEPARATOR = "\x00"


class CorpusIndex:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.keys: list[str] = bytes(arrays["keys"]).decode("utf-8").split(SEPARATOR) if len(arrays["keys"]) else []
        self.key_id = {k: n for n, k in enumerate(self.keys)}
        self.starts, self.entries = arrays["starts"], arrays["entries"]
        self.df, self.in_documents = arrays["df"].astype(np.int64), arrays["in_documents"].astype(np.int64)
        self.unit_doc, self.unit_sentence = arrays["unit_doc"], arrays["unit_sentence"]
        self.centrality, self.alive = arrays["centrality"], arrays["alive"].astype(bool)
        self.doc_ids, self.doc_alive = arrays["doc_ids"], arrays["doc_alive"].astype(bool)
        self.extra: dict[int, list[int]] = defaultdict(list)
        for k, u in zip(arrays["extra_keys"].tolist(), arrays["extra_units"].tolist(), strict=True):
            self.extra[k].append(u)

    @classmethod
    def build(cls, doc_ids: list[int], units: list[Unit], postings: Postings, centrality) -> CorpusIndex:
        """The index of a full alignment: `units` as align() read them, `postings` of their keys."""
        keys = postings.key_names()
        unit_doc = np.fromiter((u.doc for u in units), dtype=np.int32, count=len(units))
        lengths = np.diff(postings.starts)
        owners = np.repeat(np.arange(len(keys)), lengths)
        docs_per_key = np.unique(owners.astype(np.int64) * (len(doc_ids) + 1) + unit_doc[postings.units]) // (
            len(doc_ids) + 1
        )
        return cls(
            {
                "keys": _encode(keys),
                "starts": postings.starts,
                "entries": postings.units,
                "df": lengths.astype(np.int32),
                "in_documents": np.bincount(docs_per_key, minlength=len(keys)).astype(np.int32),
                "unit_doc": unit_doc,
                "unit_sentence": np.fromiter((u.index for u in units), dtype=np.int32, count=len(units)),
                "centrality": np.asarray(centrality, dtype=np.float64),
                "alive": np.ones(len(units), dtype=bool),
                "doc_ids": np.asarray(doc_ids, dtype=np.int64),
                "doc_alive": np.ones(len(doc_ids), dtype=bool),
                "extra_keys": np.zeros(0, dtype=np.int32),
                "extra_units": np.zeros(0, dtype=np.int32),
            }
        )

    def arrays(self) -> dict[str, np.ndarray]:
        extra = [(k, u) for k, us in self.extra.items() for u in us]
        return {
            "keys": _encode(self.keys),
            "starts": self.starts,
            "entries": self.entries,
            "df": self.df,
            "in_documents": self.in_documents,
            "unit_doc": self.unit_doc,
            "unit_sentence": self.unit_sentence,
            "centrality": self.centrality,
            "alive": self.alive,
            "doc_ids": self.doc_ids,
            "doc_alive": self.doc_alive,
            "extra_keys": np.asarray([k for k, _u in extra], dtype=np.int32),
            "extra_units": np.asarray([u for _k, u in extra], dtype=np.int32),
        }

    @property
    def units(self) -> int:
        return int(self.alive.sum())

    @property
    def documents(self) -> int:
        return int(self.doc_alive.sum())

    def document(self, article_id: int) -> int | None:
        """The index of the live document of `article_id`, if there is one."""
        found = np.flatnonzero((self.doc_ids == article_id) & self.doc_alive)
        return int(found[0]) if len(found) else None

    def live_documents(self) -> dict[int, int]:
        """{article id: document index} of the live documents."""
        return {int(self.doc_ids[d]): int(d) for d in np.flatnonzero(self.doc_alive)}

    def count(self, key: str) -> int:
        """Live units holding `key` (for a term: its document frequency in units)."""
        k = self.key_id.get(key)
        return 0 if k is None else int(self.df[k])

    def documents_with(self, key: str) -> int:
        k = self.key_id.get(key)
        return 0 if k is None else int(self.in_documents[k])

    def term_weights(self) -> tuple[Mapping[str, float], frozenset[str]]:
        """The corpus's idf of each term and its topic terms (in half its articles or more), as
        the engine weighs a label's words (scoring.corpus_of): to name a row an editor changed."""
        floor = max(2, int(np.ceil(self.documents / 2)))
        return _Idf(self), frozenset(self.topic_counts(floor))

    def topic_counts(self, floor: int) -> dict[str, int]:
        """{term: documents holding it} of the terms in at least `floor` documents."""
        return {
            self.keys[k]: int(self.in_documents[k])
            for k in np.flatnonzero(self.in_documents >= floor).tolist()
            if ":" not in self.keys[k]
        }

    def members(self, key: str) -> np.ndarray:
        """The live units holding `key`, in unit order."""
        k = self.key_id.get(key)
        if k is None:
            return np.zeros(0, dtype=np.int64)
        base = self.entries[self.starts[k] : self.starts[k + 1]] if k + 1 < len(self.starts) else self.entries[:0]
        extra = np.asarray(self.extra.get(k, ()), dtype=np.int64)
        everyone = np.concatenate([base.astype(np.int64), extra])
        return everyone[self.alive[everyone]]

    def remove(self, document: int, units: list[Unit]) -> None:
        """Mark a document gone; `units` are its units as they were read (their keys are uncounted)."""
        self.doc_alive[document] = False
        self.alive[self.unit_doc == document] = False
        seen: set[int] = set()
        for unit in units:
            for key in _keys(unit):
                k = self.key_id.get(key)
                if k is None:
                    continue
                self.df[k] -= 1
                if k not in seen:
                    self.in_documents[k] -= 1
                    seen.add(k)

    def add(self, article_id: int, units: list[Unit], centrality: list[float]) -> list[int]:
        """Append a document and its units; return the units' ids."""
        document = len(self.doc_ids)
        self.doc_ids = np.append(self.doc_ids, article_id)
        self.doc_alive = np.append(self.doc_alive, True)
        first = len(self.unit_doc)
        ids = list(range(first, first + len(units)))
        self.unit_doc = np.append(self.unit_doc, np.full(len(units), document, dtype=np.int32))
        self.unit_sentence = np.append(self.unit_sentence, [u.index for u in units]).astype(np.int32)
        self.centrality = np.append(self.centrality, centrality)
        self.alive = np.append(self.alive, np.ones(len(units), dtype=bool))
        seen: set[int] = set()
        for u, unit in zip(ids, units, strict=True):
            for key in _keys(unit):
                k = self.key_id.get(key)
                if k is None:
                    k = self.key_id[key] = len(self.keys)
                    self.keys.append(key)
                    self.df = np.append(self.df, 0)
                    self.in_documents = np.append(self.in_documents, 0)
                self.df[k] += 1
                if k not in seen:
                    self.in_documents[k] += 1
                    seen.add(k)
                self.extra[k].append(u)
        return ids

    def partners(self, ids: list[int], units: list[Unit], weight_of, neighbours: int, block_size: int):
        """Pairs (existing unit, position in `units`) worth scoring for the document just added
        (`ids` its units, `units` their readings), blocked as a full alignment would with that
        document last in every posting list: every other member of a rare key, the `SLIDE` units
        before it of a common one; at most `neighbours` per new unit, the heaviest (ties: the
        higher unit first)."""
        first_new = min(ids, default=len(self.alive))  # the document's units are the last ones added
        weight: list[dict[int, float]] = [defaultdict(float) for _ in units]
        own: dict[str, list[int]] = defaultdict(list)
        for n, unit in enumerate(units):
            for key in _keys(unit):
                own[key].append(n)
        for key, positions in own.items():
            everyone = self.members(key)
            if len(everyone) < 2:
                continue
            others = everyone[everyone < first_new]
            reach = len(everyone) if len(everyone) <= block_size else SLIDE
            w = weight_of(key)
            for x, n in enumerate(positions):
                before = len(others) + x  # the new units come last in the key's list
                for v in others[max(0, before - reach) :].tolist():
                    weight[n][v] += w
        out = []
        for n, options in enumerate(weight):
            best = sorted(options.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:neighbours]
            out.extend((v, n) for v, _w in best)
        return out


def _encode(keys: list[str]) -> np.ndarray:
    return np.frombuffer(SEPARATOR.join(k.replace(SEPARATOR, " ") for k in keys).encode("utf-8"), dtype=np.uint8)


class _Idf(Mapping):
    """idf read from the index's counts, term by term: log((units + 1) / (units holding it + 0.5))."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index, self.total = index, index.units + 1

    def __getitem__(self, term: str) -> float:
        return math.log(self.total / (self.index.count(term) + 0.5))

    def __iter__(self):
        return (k for k in self.index.keys if ":" not in k)

    def __len__(self) -> int:
        return sum(1 for k in self.index.keys if ":" not in k)
