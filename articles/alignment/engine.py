"""align(): events first, then the points inside each event.

1. Units are the content sentences (units.py); candidate pairs come from blocking and get an
   event probability and a point probability (scoring.py).
2. Events: articles are first put in stories by their words, names and dates (grouping.stories);
   inside a story the event probability counts double, so a sub-topic's seminal event comes out
   as one event, while two happenings of one kind imported together (two quakes) stay apart.
   Then average linkage on the event probability brings together the sentences reporting one
   happening (its participants, place, time, trigger).
3. Points: inside each event, average linkage on the point probability. The event's sentences
   that make no shared point form the event's core group, so every event has a row.
"""

from __future__ import annotations

from array import array
from collections import defaultdict

import numpy as np

from articles.alignment import grouping, labels, points, scoring
from articles.alignment.blocking import Postings
from articles.alignment.index import CorpusIndex
from articles.alignment.pairs import PairScores
from articles.alignment.records import Alignment, Document, Params, Passage, Suggestion
from articles.alignment.units import units_of

STAGES = (
    "reading sentences",
    "finding candidate pairs",
    "scoring sentence pairs",
    "grouping events and points",
    "labelling and suggesting links",
)


def align(
    documents: list[Document], params: Params | None = None, weights=None, progress=None, keep_index: bool = False
) -> Alignment:
    """Group the sentences of `documents` that report the same event or make the same point.

    `weights`: a weights file, or the {"event", "point"} models themselves (cross-validation);
    the stored weights.json by default. `progress(stage)` is called as each of STAGES begins.
    `keep_index`: also return the CorpusIndex that aligns one more article alone (incremental.py).
    """
    params = params or Params()
    report = progress or (lambda _stage: None)
    report(STAGES[0])
    units = units_of(documents)
    if len({u.doc for u in units}) < 2:
        result = Alignment(groups=[], only_in={doc.id: [] for doc in documents})
        if keep_index:
            postings = Postings(scoring._keys(unit) for unit in units)
            result.index = CorpusIndex.build([d.id for d in documents], units, postings, [0.0] * len(units))
        return result
    corpus = scoring.corpus_of(units, len(documents))
    model = weights if isinstance(weights, dict) else scoring.models(weights) if weights else scoring.models()
    report(STAGES[1])
    postings = Postings(scoring._keys(unit) for unit in units)
    pairs = scoring.candidates(corpus, params.neighbours, params.block_size, postings)
    report(STAGES[2])
    scoring.add_centrality(corpus, pairs)
    index = CorpusIndex.build([d.id for d in documents], units, postings, corpus.centrality) if keep_index else None
    del postings
    event_p, point_p, anchored = score(corpus, pairs, model)
    if params.story_factor and len(documents) <= params.story_documents:
        # inside one story a sub-topic's sentences make one event; across stories the usual bar holds
        story = np.array(grouping.stories(units, len(documents), corpus.document_cosine, params.story_threshold))
        doc_of = np.array([unit.doc for unit in units])
        same = story[doc_of[event_p.left]] == story[doc_of[event_p.right]]
        boosted = np.where(same, np.minimum(1.0, event_p.probability * params.story_factor), event_p.probability)
        # two articles of different stories whose words or names are far apart report no happening
        # together (the bar an added article meets to join: Params.kin_cosine and kin_names)
        kin = grouping.kinship(units, len(documents), corpus.document_cosine, params.kin_cosine, params.kin_names)
        left_doc, right_doc = doc_of[event_p.left].tolist(), doc_of[event_p.right].tolist()
        far = ~same & np.array([not kin(a, b) for a, b in zip(left_doc, right_doc, strict=True)], dtype=bool)
        event_p = PairScores(event_p.left, event_p.right, np.where(far, 0.0, boosted))
        point_p = PairScores(point_p.left, point_p.right, np.where(far, 0.0, point_p.probability))
    docs = {u: unit.doc for u, unit in enumerate(units)}
    report(STAGES[3])
    groups, events, event_of = [], [], {}
    protagonist = labels.event_name(units, list(range(len(units))))
    naming = _naming(units, protagonist)

    def context(members) -> str:  # the corpus's protagonist, for rows of articles that name it
        return protagonist if any(units[u].doc in naming for u in members) else ""

    clusters = grouping.average_linkage(docs, event_p, params.event_threshold, params.link_density)
    clusters = [c for c in clusters if grouping.spans_documents(units, c) >= 2]
    if params.attach_event < 1:
        clusters = grouping.attach(docs, clusters, event_p, params.attach_event)
    del event_p
    for members in clusters:
        named = context(members)
        event_groups, grouped = points.event_points(units, documents, corpus, members, point_p, params, named)
        if event_groups:
            events.append(points.name_event(units, corpus, members, event_groups, named))
            groups.extend(event_groups)
            event_of.update({u: (events[-1], grouped[u]) for u in grouped})
    groups.extend(points.anchored(units, documents, corpus, anchored, point_p, event_of, events, params, context))
    groups = points.distinct(groups)
    report(STAGES[4])
    result = _finish(documents, units, groups, events, point_p, params)
    result.index = index
    return result


def _naming(units, name: str) -> set[int]:
    """The documents that name `name` (a word of it) somewhere: the corpus's protagonist says
    nothing of a row of articles on something else ("Russia · members" for a port strike)."""
    words = {w for w in name.lower().split() if len(w) > 2}
    if not words:
        return {unit.doc for unit in units}
    return {unit.doc for unit in units if words & set(unit.text.lower().replace("’", " ").replace("'", " ").split())}


ANCHORS = (scoring.FEATURES.index("figure"), scoring.FEATURES.index("quote"))
BATCH = 50_000  # pairs whose features are held at once


def score(corpus, pairs, model) -> tuple[PairScores, PairScores, list[tuple[int, int]]]:
    """The pairs' event and point probabilities, and the pairs that share a figure or a quotation.

    Features are read a batch of pairs at a time and only the probabilities are kept: a pair's
    18 features as Python floats took more memory than all the rest of the engine.
    """
    event = np.empty(len(pairs))
    point = np.empty(len(pairs))
    anchored = np.zeros(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), BATCH):
        batch = pairs[lo : lo + BATCH].tolist()
        corpus.prepare_document_cosines(batch)
        rows = array("d")
        for i, j in batch:
            rows.extend(scoring.features(corpus, i, j))
        corpus.document_cosines.clear()
        x = np.frombuffer(rows, dtype=np.float64).reshape(len(batch), len(scoring.FEATURES))
        event[lo : lo + len(batch)] = model["event"].probabilities(x)
        point[lo : lo + len(batch)] = model["point"].probabilities(x)
        anchored[lo : lo + len(batch)] = (x[:, list(ANCHORS)] != 0).any(axis=1)
    left, right = pairs[:, 0], pairs[:, 1]
    return PairScores(left, right, event), PairScores(left, right, point), pairs[anchored].tolist()


def _finish(documents, units, groups, events, point_p, params: Params) -> Alignment:
    """Stable keys ("doc_id:start" of the first passage), reading order, leftovers, suggestions.

    Only the keys name document ids; every order and tie-break goes by the documents' positions."""
    position = {doc.id: n for n, doc in enumerate(documents)}
    renamed, place = {}, {}
    for group in groups:
        first = min(group.passages, key=lambda p: (position[p.doc_id], p.start))
        renamed[group.key] = f"{first.doc_id}:{first.start}"
        group.key = renamed[group.key]
        place[group.key] = (position[first.doc_id], first.start)
    for event in events:
        event.key = renamed[event.key]
    for group in groups:
        group.event = renamed[group.event]
    event_order = {e.key: n for n, e in enumerate(events)}
    # ties go by where the group starts in the documents as given, never by the ids' digits: the
    # same articles imported again under other ids come out in the same order
    groups.sort(key=lambda g: (event_order[g.event], g.level != "event", -len(g.doc_ids), place[g.key]))
    shown: set[str] = set()
    for group in groups:  # a sentence in two points: its discrepancy badge shows on the first
        if group.discrepancy in shown:
            group.discrepancy = ""
        shown.add(group.discrepancy)
    covered = set()  # (document, sentence) held by a passage of some row
    for group in groups:
        for p in group.passages:
            covered.update((p.doc_id, s) for s in range(p.first_sentence, p.last_sentence + 1))
    only_in: dict[int, list[Passage]] = {doc.id: [] for doc in documents}
    unit_passage = []
    for unit in units:
        d = documents[unit.doc]
        passage = Passage(d.id, unit.span[0], unit.span[1], unit.index, unit.index)
        unit_passage.append(passage)
        if (d.id, unit.index) not in covered:  # in no row: an editor's correction may still name it
            only_in[d.id].append(passage)
    return Alignment(groups, events, only_in, _suggestions(units, groups, unit_passage, point_p, params))


def _suggestions(units, groups, unit_passage, point_p, params: Params) -> list[Suggestion]:
    """Likely pairs of units the grouping kept apart, most likely first, one per unit."""
    where: dict[tuple[int, int], set[int]] = defaultdict(set)  # a sentence can be in two rows
    for g, group in enumerate(groups):
        for p in group.passages:
            for s in range(p.first_sentence, p.last_sentence + 1):
                where[(p.doc_id, s)].add(g)
    out, used = [], set()
    for k in point_p.order_at_least(params.suggestion_floor).tolist():
        i, j, p = int(point_p.left[k]), int(point_p.right[k]), float(point_p.probability[k])
        a, b = unit_passage[i], unit_passage[j]
        shared = where.get((a.doc_id, a.first_sentence), set()) & where.get((b.doc_id, b.first_sentence), set())
        if shared or i in used or j in used:
            continue
        used.update((i, j))
        out.append(Suggestion(a, b, p))
    return out
