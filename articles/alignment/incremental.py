"""One article added to an aligned corpus, without aligning the corpus again.

The article's sentences find their partners in the CorpusIndex (the blocking keys of the full
alignment) and are scored against them with the corpus's own statistics. Then, as the average
linkage of a full run would merge a lone sentence into a cluster:

- a sentence joins the stored event whose mean event probability over its sentences clears
  `event_threshold` (the best one), and inside it the point whose mean point probability clears
  `point_threshold` (plus every other point reaching `attach_point`), else the event's core row;
- the sentences that join no event are clustered with their partners that belong to none, and
  form new events and points the way align() does.

Stored events and groups are never split or merged here: what editors see stays where it is.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from articles.alignment import engine, grouping, points, scoring
from articles.alignment.index import CorpusIndex
from articles.alignment.pairs import PairScores
from articles.alignment.records import Document, Event, Group, Params, Passage, Suggestion
from articles.alignment.units import Unit, units_of


@dataclass
class Stored:
    """The stored alignment around the partners: where each of their sentences stands."""

    places: dict[tuple[int, int], list[int]]  # (article id, sentence index) -> ids of its groups
    group_event: dict[int, int]  # group id -> event id
    core: dict[int, int]  # event id -> the group that is its core row (level "event")


def stored_from(result) -> Stored:
    """The Stored view of an Alignment as align() returned it (group ids: positions in its list)."""
    places: dict[tuple[int, int], list[int]] = defaultdict(list)
    events = {e.key: n for n, e in enumerate(result.events)}
    group_event, core = {}, {}
    for g, group in enumerate(result.groups):
        group_event[g] = events[group.event]
        if group.level == "event":
            core.setdefault(group_event[g], g)
        for p in group.passages:
            for s in range(p.first_sentence, p.last_sentence + 1):
                places[(p.doc_id, s)].append(g)
    return Stored(dict(places), group_event, core)


@dataclass
class Addition:
    joins: dict[int, list[Passage]] = field(default_factory=dict)  # stored group id -> new passages
    events: list[Event] = field(default_factory=list)  # new events, with their groups in `groups`
    groups: list[Group] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    only_in: list[Passage] = field(default_factory=list)  # the article's passages left alone
    units: int = 0  # sentences of the new article


class _Terms(Mapping):
    """Units per term in the whole corpus, read from the index."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index

    def __getitem__(self, term: str) -> int:
        return self.index.count(term)

    def get(self, term: str, default: int = 0) -> int:  # type: ignore[override]
        return self.index.count(term) or default

    def __iter__(self):
        return iter(self.index.keys)

    def __len__(self) -> int:
        return len(self.index.keys)


class Increment:
    """Add `document` to `index`: first `partner_articles()` (which stored articles to load), then
    `place()` with those articles' documents and the stored alignment around them."""

    def __init__(self, index: CorpusIndex, document: Document, params: Params | None = None) -> None:
        self.index, self.document, self.params = index, document, params or Params()
        self.units = units_of([document])
        self.ids = index.add(document.id, self.units, [0.0] * len(self.units))
        half = np.log(index.units + 1) * 0.5
        n = max(1, index.units)
        self._pairs = index.partners(
            self.ids,
            self.units,
            lambda key: float(np.log((n + 1) / (index.count(key) + 0.5))) if ":" not in key else half,
            self.params.neighbours,
            self.params.block_size,
        )

    def partner_articles(self) -> list[int]:
        return sorted({int(self.index.doc_ids[self.index.unit_doc[v]]) for v, _n in self._pairs})

    def place(self, partners: list[Document], stored: Stored, weights=None) -> Addition:
        index = self.index
        documents = [self.document, *partners]
        units = [*self.units, *_shifted(units_of(partners), 1)]
        local = {(documents[u.doc].id, u.index): n for n, u in enumerate(units)}
        pairs, centrality = set(), np.zeros(len(units))
        for v, n in self._pairs:  # the partner's sentence in the documents given; its stored centrality
            key = (int(index.doc_ids[index.unit_doc[v]]), int(index.unit_sentence[v]))
            if key in local:
                pairs.add((n, local[key]))
                centrality[local[key]] = index.centrality[v]
        pairs_array = np.asarray(sorted(pairs), dtype=np.int64).reshape(-1, 2)
        floor = max(2, int(np.ceil(index.documents / 2)))
        totals = scoring.Totals(index.units, index.documents, _Terms(index), index.topic_counts(floor))
        corpus = scoring.corpus_of(units, len(documents), totals)
        doc = np.asarray([u.doc for u in units], dtype=np.int64)
        width = max(1, min(5, index.documents - 1))
        if len(pairs_array):
            cosines = np.asarray([corpus.unit_cosine(i, j) for i, j in pairs_array.tolist()])
            mine = scoring.centrality_of(pairs_array, cosines, doc, width)[: len(self.units)]
            centrality[: len(self.units)] = mine
            index.centrality[self.ids] = mine
        corpus.centrality = centrality.tolist()
        model = scoring.models(weights) if weights else scoring.models()
        event_p, point_p, _anchored = engine.score(corpus, pairs_array, model)
        # the articles it may share a happening with: its words are as close to theirs as an
        # article's are to at least one other report of its event (a port strike added to a corpus
        # on a state visit shares words with it, not a happening; its sentences then join nothing)
        kin = grouping.kinship(
            units, len(documents), corpus.document_cosine, self.params.kin_cosine, self.params.kin_names
        )
        near = grouping.story_similarity(units, len(documents), corpus.document_cosine)
        self.kin = {d for d in range(len(documents)) if d == 0 or (kin(0, d) and near[(0, d)] >= self.params.kin_story)}
        return self._placed(documents, units, corpus, event_p, point_p, stored)

    def _placed(self, documents, units, corpus, event_p: PairScores, point_p: PairScores, stored: Stored) -> Addition:
        params, new = self.params, range(len(self.units))
        place_of = {n: stored.places.get((documents[u.doc].id, u.index), []) for n, u in enumerate(units)}
        joined: dict[int, list[int]] = defaultdict(list)  # stored group -> new units
        home: dict[int, set] = defaultdict(set)  # unit -> the groups it is in (stored ids or new groups)
        for n in range(len(units)):
            home[n] = {("stored", g) for g in place_of[n]}
        free = []
        for n in new:
            kin = {v: p for v, p in event_p.neighbours[n].items() if units[v].doc in self.kin}
            events = _support(kin, place_of, lambda g: [stored.group_event[g]])
            best = max(
                (e for e, (total, count) in events.items() if total / count >= params.event_threshold),
                key=lambda e: (events[e][0], -e),
                default=None,
            )
            if best is None:
                free.append(n)
                continue
            support = _support(
                point_p.neighbours[n],
                place_of,
                lambda g, best=best: [g] if stored.group_event[g] == best and g != stored.core.get(best) else [],
            )
            means = {g: total / count for g, (total, count) in support.items()}
            chosen = [
                g for g in sorted(means, key=lambda g: (-support[g][0], g)) if means[g] >= params.point_threshold
            ][:1]
            chosen += [g for g, m in means.items() if chosen and g not in chosen and m >= params.attach_point]
            chosen = [g for g in chosen if _holds(point_p.neighbours[n], place_of, units, n, g, params)]
            if not chosen and best in stored.core:
                chosen = [stored.core[best]]
            for g in chosen:
                joined[g].append(n)
                home[n].add(("stored", g))
        out = Addition(units=len(self.units))
        for g, ids in joined.items():
            out.joins[g] = grouping.passages_of(units, documents, ids, params.max_window, params.max_passage_chars)
        self._new_events(documents, units, corpus, event_p, point_p, free, place_of, home, out)
        grouped = {n for n in new if home[n]}
        out.only_in = [
            Passage(documents[0].id, *units[n].span, units[n].index, units[n].index) for n in new if n not in grouped
        ]
        out.suggestions = _suggestions(documents, units, point_p, home, params)
        return out

    def _new_events(self, documents, units, corpus, event_p, point_p, free, place_of, home, out: Addition) -> None:
        """The free new units and their partners in no event, clustered as align() clusters."""
        params = self.params
        local = {(documents[u.doc].id, u.index): n for n, u in enumerate(units)}
        loose = set(free) | {
            v for n in free for v in event_p.neighbours[n] if not place_of[v] and units[v].doc in self.kin
        }
        docs = {u: units[u].doc for u in sorted(loose)}
        clusters = grouping.average_linkage(docs, event_p.among(docs), params.event_threshold, params.link_density)
        for members in clusters:
            if grouping.spans_documents(units, members) < 2:
                continue
            groups, _grouped = points.event_points(units, documents, corpus, members, point_p, params)
            if not groups:
                continue
            event = points.name_event(units, corpus, members, groups)
            for group in groups:
                first = group.passages[0]
                group.key = f"{first.doc_id}:{first.start}"
                for p in group.passages:
                    for s in range(p.first_sentence, p.last_sentence + 1):
                        if (p.doc_id, s) in local:
                            home[local[(p.doc_id, s)]].add(("new", id(group)))
            event.key = groups[0].key
            for group in groups:
                group.event = event.key
            out.events.append(event)
            out.groups.extend(groups)


def _support(neighbours: dict[int, float], place_of, targets) -> dict[int, tuple[float, int]]:
    """{target: (sum of p, partners)} over the scored partners in each target (a partner once per target).

    Average linkage restricted to the partners blocking found: the members of a large event that
    were never paired with the sentence say nothing about it, as in a full run, where it merged
    with its partners while their cluster was still small."""
    out: dict[int, tuple[float, int]] = {}
    for v, p in neighbours.items():
        for t in {t for g in place_of[v] for t in targets(g)}:
            total, count = out.get(t, (0.0, 0))
            out[t] = (total + p, count + 1)
    return out


def _holds(neighbours: dict[int, float], place_of, units: list[Unit], unit: int, group: int, params: Params) -> bool:
    """Whether a new sentence is held in a stored point as align() holds it (points._pruned), over
    the articles of its partners in the point (blocking found them)."""
    reading = units[unit].reading
    if params.point_link >= 1 or reading.attributed:
        return True
    articles, reached = set(), set()
    for v, p in neighbours.items():
        if group in place_of[v]:
            articles.add(units[v].doc)
            if p >= params.point_link:
                reached.add(units[v].doc)
    if reading.quantities or reading.counts or reading.dates or reading.quotes:
        return bool(reached) or not articles
    return len(reached) >= math.floor(len(articles) * params.point_share) + 1


def _shifted(units: list[Unit], by: int) -> list[Unit]:
    for unit in units:
        unit.doc += by
    return units


def _suggestions(documents, units, point_p: PairScores, home, params: Params) -> list[Suggestion]:
    """Likely pairs of the new article's units and their partners left in different groups, one per unit."""
    out, used = [], set()
    for k in point_p.order_at_least(params.suggestion_floor).tolist():
        i, j, p = int(point_p.left[k]), int(point_p.right[k]), float(point_p.probability[k])
        if home[i] & home[j] or i in used or j in used:
            continue
        used.update((i, j))
        a, b = units[i], units[j]
        out.append(
            Suggestion(
                Passage(documents[a.doc].id, *a.span, a.index, a.index),
                Passage(documents[b.doc].id, *b.span, b.index, b.index),
                p,
            )
        )
    return out
