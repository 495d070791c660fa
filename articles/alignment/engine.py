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

import math
from array import array
from collections import defaultdict

import numpy as np

from articles.alignment import grouping, labels, scoring
from articles.alignment.blocking import Postings
from articles.alignment.figures import Quantity, same_figure
from articles.alignment.index import CorpusIndex
from articles.alignment.pairs import PairScores
from articles.alignment.records import Alignment, Document, Event, Group, Params, Passage, Suggestion
from articles.alignment.units import Unit, units_of

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
        event_p = PairScores(event_p.left, event_p.right, boosted)
    docs = {u: unit.doc for u, unit in enumerate(units)}
    report(STAGES[3])
    groups, events, event_of = [], [], {}
    protagonist = labels.event_name(units, list(range(len(units))))
    clusters = grouping.average_linkage(docs, event_p, params.event_threshold, params.link_density)
    clusters = [c for c in clusters if grouping.spans_documents(units, c) >= 2]
    if params.attach_event < 1:
        clusters = grouping.attach(docs, clusters, event_p, params.attach_event)
    del event_p
    for members in clusters:
        event_groups, grouped = _points(units, documents, corpus, members, point_p, params, protagonist)
        if event_groups:
            events.append(_event(units, corpus, members, event_groups, protagonist))
            groups.extend(event_groups)
            event_of.update({u: (events[-1], grouped[u]) for u in grouped})
    groups.extend(_anchored(units, documents, corpus, anchored, point_p, event_of, events, params, protagonist))
    report(STAGES[4])
    result = _finish(documents, units, groups, events, point_p, params)
    result.index = index
    return result


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


def _anchored(
    units, documents, corpus, anchored, point_p, event_of, events, params: Params, protagonist: str = ""
) -> list[Group]:
    """A sentence may make two points: a pair sharing a quotation or an exact figure that the
    grouping put apart becomes a group of its own (once per sentence)."""
    out, used = [], set()
    for i, j in anchored:
        if point_p[(i, j)] < params.suggestion_floor or i in used or j in used:
            continue
        ei, ej = event_of.get(i), event_of.get(j)
        if ei and ej and ei[1] is ej[1]:
            continue
        group = _group(units, documents, corpus, [i, j], point_p, params, "point", protagonist)
        if ei or ej:
            group.event = (ei or ej)[0].key
        else:
            events.append(Event(key=group.key, label=group.label))
            group.event = group.key
        used.update((i, j))
        out.append(group)
    return out


def _points(
    units, documents, corpus, members: list[int], point_p, params: Params, protagonist: str = ""
) -> tuple[list[Group], dict]:
    """The event's points, its core group first; and the group each unit landed in.

    `protagonist`: the name the whole corpus keeps repeating, beside a label of one word when the
    event names nobody itself."""
    scores = point_p.among(members)
    clusters = grouping.average_linkage(
        {u: units[u].doc for u in members}, scores, params.point_threshold, params.link_density
    )
    points = [c for c in clusters if grouping.spans_documents(units, c) >= 2]
    core = sorted(u for c in clusters if grouping.spans_documents(units, c) < 2 for u in c)
    if params.attach_point < 1 and points:
        points = grouping.attach({u: units[u].doc for u in members}, points, scores, params.attach_point)
    if params.point_link < 1 and points:
        points, core = _pruned(units, members, points, core, scores, params)
    if params.drop_unshared and points:
        points, core = _unshared(units, corpus, points, core)
    out, grouped = [], {}
    if grouping.spans_documents(units, core) >= 2:
        points.insert(0, core)
    context = labels.event_name(units, members) or protagonist
    named: set[str] = set()  # the labels of the event's rows so far, and what each says after its name

    def taken(text: str) -> bool:
        return text.lower() in named or text.lower().rpartition(" · ")[2] in named

    for ids in points:
        level = "event" if ids is core else "point"
        group = _group(units, documents, corpus, ids, scores, params, level, context)
        if ids is core:  # the core row is the event itself, named so before its points are
            group.label = labels.label(units, members, None, context=protagonist) or group.label
        elif taken(group.label):  # two rows of one event called alike ("Putin · hard lessons" and
            # "Beijing · hard lessons"): the next best words that say something of their own
            avoid = group.label
            for _attempt in range(3):
                other = _label(units, corpus, ids, avoid=avoid, context=context)
                if other and " " in other and not taken(other):
                    group.label = other
                    break
                avoid = f"{avoid} {other.rpartition(' · ')[2]}"
        named.update({group.label.lower(), group.label.lower().rpartition(" · ")[2]})
        out.append(group)
        grouped.update(dict.fromkeys(ids, group))
    return out, grouped


def _pruned(units, members, points, core, scores, params: Params) -> tuple[list[list[int]], list[int]]:
    """The points without the sentences held too loosely (grouping.prune), and the event's core
    row with the sentences left in no point.

    A sentence that names its source ("police said") stays; one that gives a figure, a date or a
    quotation stays if it links to one other article of the point; any other sentence must link
    to more than `point_share` of the point's other articles. Commentary, where most pairs of
    sentences score as likely, keeps in a point only what another article really echoes.
    A sentence left in no point while the core row cannot form (one article) stays where it was."""
    doc_of = {u: units[u].doc for u in members}

    def needs(u: int, others: int) -> int:
        reading = units[u].reading
        if reading.attributed:
            return 0
        if reading.quantities or reading.counts or reading.dates or reading.quotes:
            return 1
        return math.floor(others * params.point_share) + 1

    pruned = grouping.prune(doc_of, points, scores, params.point_link, needs)
    pointed = {u for ids in points for u in ids}
    left_out = pointed - {u for ids in pruned for u in ids}
    if left_out and grouping.spans_documents(units, core + sorted(left_out)) < 2:
        pruned = [sorted(set(kept) | (set(ids) & left_out)) for kept, ids in zip(pruned, points, strict=True)]
    points = [ids for ids in pruned if grouping.spans_documents(units, ids) >= 2]
    placed = {u for ids in points for u in ids}
    return points, sorted(set(core) | (pointed - placed))


def _unshared(units, corpus, points, core) -> tuple[list[list[int]], list[int]]:
    """The points without those labelled only by a quotation because their passages share no name,
    no noun phrase and no figure; those sentences go back to the event's core row: two sentences
    that share one word ("first") make no point. With no core row to return to (the event's other
    sentences are of one article), they stay in no row."""

    def empty(ids: list[int]) -> bool:
        return labels.shares_nothing(units, ids) and _label(units, corpus, ids).startswith("“")

    kept = [ids for ids in points if _figures(units, ids)[0] or not empty(ids)]
    if len(kept) == len(points):
        return points, core
    if grouping.spans_documents(units, core) < 2:  # no core row to return to: they stay in no row
        return kept, core
    placed = {u for ids in kept for u in ids}
    return kept, sorted(set(core) | ({u for ids in points for u in ids} - placed))


def _label(units, corpus, ids: list[int], avoid: str = "", context: str = "") -> str:
    figure, _discrepancy = _figures(units, ids)
    return labels.label(
        units, ids, corpus.idf, labels.figure_label(figure), avoid=avoid, common=corpus.topic_terms, context=context
    )


def _group(units, documents, corpus, ids: list[int], scores, params: Params, level: str, context: str = "") -> Group:
    figure, discrepancy = _figures(units, ids)
    values = list(scores.among(ids).values())
    return Group(
        key=f"{ids[0]}",
        label=_label(units, corpus, ids, context=context),
        passages=grouping.passages_of(units, documents, ids, params.max_window, params.max_passage_chars),
        discrepancy=discrepancy,
        cohesion=sum(values) / len(values) if values else 0.0,
        level=level,
    )


def _figures(units: list[Unit], ids: list[int]) -> tuple[str, str]:
    """The figure two articles of the group share, and how their wordings differ, if they do."""
    by_doc: dict[int, list[Quantity]] = defaultdict(list)
    for u in ids:
        by_doc[units[u].doc].extend(units[u].quantities)
    docs = sorted(by_doc)
    for x_doc in docs:
        for y_doc in docs:
            if y_doc <= x_doc:
                continue
            for x in by_doc[x_doc]:
                for y in by_doc[y_doc]:
                    if same_figure(x, y):
                        differ = x.value != y.value or x.approximate != y.approximate
                        return x.surface, f"{x.surface} vs {y.surface}" if differ else ""
    return "", ""


def _event(units, corpus, members: list[int], groups: list[Group], protagonist: str = "") -> Event:
    if groups[0].level == "event":  # its core row, named in _points
        text = groups[0].label
    else:
        text = labels.label(units, members, None, context=protagonist) or groups[0].label
    for group in groups:
        group.event = groups[0].key
        if group.level == "event":  # the event's core row is the event itself
            group.label = text
    return Event(key=groups[0].key, label=text or groups[0].label)


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
    grouped_at = {}
    for g, group in enumerate(groups):
        for p in group.passages:
            grouped_at[(p.doc_id, p.first_sentence)] = g
    only_in: dict[int, list[Passage]] = {doc.id: [] for doc in documents}
    unit_passage = []
    for unit in units:
        d = documents[unit.doc]
        passage = Passage(d.id, unit.span[0], unit.span[1], unit.index, unit.index)
        unit_passage.append(passage)
        if not any((d.id, s) in grouped_at for s in range(unit.index - params.max_window + 1, unit.index + 1)):
            only_in[d.id].append(passage)
    return Alignment(groups, events, only_in, _suggestions(units, groups, unit_passage, point_p, params))


def _suggestions(units, groups, unit_passage, point_p, params: Params) -> list[Suggestion]:
    """Likely pairs of units the grouping kept apart, most likely first, one per unit."""
    where: dict[tuple[int, int], int] = {}
    for g, group in enumerate(groups):
        for p in group.passages:
            for s in range(p.first_sentence, p.last_sentence + 1):
                where[(p.doc_id, s)] = g
    out, used = [], set()
    for k in point_p.order_at_least(params.suggestion_floor).tolist():
        i, j, p = int(point_p.left[k]), int(point_p.right[k]), float(point_p.probability[k])
        a, b = unit_passage[i], unit_passage[j]
        ga, gb = where.get((a.doc_id, a.first_sentence)), where.get((b.doc_id, b.first_sentence))
        if (ga is not None and ga == gb) or i in used or j in used:
            continue
        used.update((i, j))
        out.append(Suggestion(a, b, p))
    return out
