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

from collections import defaultdict

from articles.alignment import grouping, labels, scoring
from articles.alignment.figures import Quantity, same_figure
from articles.alignment.records import Alignment, Document, Event, Group, Params, Passage, Suggestion
from articles.alignment.units import Unit, units_of

STAGES = (
    "reading sentences",
    "finding candidate pairs",
    "scoring sentence pairs",
    "grouping events and points",
    "labelling and suggesting links",
)


def align(documents: list[Document], params: Params | None = None, weights=None, progress=None) -> Alignment:
    """Group the sentences of `documents` that report the same event or make the same point.

    `weights`: a weights file, or the {"event", "point"} models themselves (cross-validation);
    the stored weights.json by default. `progress(stage)` is called as each of STAGES begins.
    """
    params = params or Params()
    report = progress or (lambda _stage: None)
    report(STAGES[0])
    units = units_of(documents)
    if len({u.doc for u in units}) < 2:
        return Alignment(groups=[], only_in={doc.id: [] for doc in documents})
    corpus = scoring.corpus_of(units, len(documents))
    model = weights if isinstance(weights, dict) else scoring.models(weights) if weights else scoring.models()
    report(STAGES[1])
    pairs = scoring.candidates(corpus, params.neighbours, params.block_size)
    report(STAGES[2])
    scoring.add_centrality(corpus, pairs)
    corpus.prepare_document_cosines(pairs)
    rows = [scoring.features(corpus, *pair) for pair in pairs]
    vectors = dict(zip(pairs, rows, strict=True))
    event_p = dict(zip(pairs, model["event"].probabilities(rows), strict=True))
    if params.story_factor and len(documents) <= params.story_documents:
        # inside one story a sub-topic's sentences make one event; across stories the usual bar holds
        story = grouping.stories(units, len(documents), corpus.document_cosine, params.story_threshold)
        event_p = {
            (i, j): min(1.0, p * params.story_factor) if story[units[i].doc] == story[units[j].doc] else p
            for (i, j), p in event_p.items()
        }
    point_p = dict(zip(pairs, model["point"].probabilities(rows), strict=True))
    docs = {u: unit.doc for u, unit in enumerate(units)}
    report(STAGES[3])
    point_p = _Adjacency(point_p)
    groups, events, event_of = [], [], {}
    clusters = grouping.average_linkage(docs, event_p, params.event_threshold, params.link_density)
    clusters = [c for c in clusters if grouping.spans_documents(units, c) >= 2]
    if params.attach_event < 1:
        clusters = grouping.attach(docs, clusters, _Adjacency(event_p), params.attach_event)
    for members in clusters:
        event_groups, grouped = _points(units, documents, corpus, members, point_p, params)
        if event_groups:
            events.append(_event(units, corpus, members, event_groups))
            groups.extend(event_groups)
            event_of.update({u: (events[-1], grouped[u]) for u in grouped})
    groups.extend(_anchored(units, documents, corpus, vectors, point_p, event_of, events, params))
    report(STAGES[4])
    return _finish(documents, units, groups, events, point_p, params)


ANCHORS = (scoring.FEATURES.index("figure"), scoring.FEATURES.index("quote"))


def _anchored(units, documents, corpus, vectors, point_p, event_of, events, params: Params) -> list[Group]:
    """A sentence may make two points: a pair sharing a quotation or an exact figure that the
    grouping put apart becomes a group of its own (once per sentence)."""
    out, used = [], set()
    for (i, j), x in sorted(vectors.items()):
        if not any(x[k] for k in ANCHORS) or point_p[(i, j)] < params.suggestion_floor or i in used or j in used:
            continue
        ei, ej = event_of.get(i), event_of.get(j)
        if ei and ej and ei[1] is ej[1]:
            continue
        group = _group(units, documents, corpus, [i, j], point_p, params, "point")
        if ei or ej:
            group.event = (ei or ej)[0].key
        else:
            events.append(Event(key=group.key, label=group.label))
            group.event = group.key
        used.update((i, j))
        out.append(group)
    return out


class _Adjacency(dict):
    """Pair probabilities, {(i, j): p} with i < j, plus each unit's scored neighbours."""

    def __init__(self, pairs: dict[tuple[int, int], float]) -> None:
        super().__init__(pairs)
        self.neighbours: dict[int, dict[int, float]] = defaultdict(dict)
        for (i, j), p in pairs.items():
            self.neighbours[i][j] = p
            self.neighbours[j][i] = p

    def among(self, ids) -> dict[tuple[int, int], float]:
        inside = set(ids)
        return {(u, v): p for u in inside for v, p in self.neighbours[u].items() if u < v and v in inside}


def _points(units, documents, corpus, members: list[int], point_p, params: Params) -> tuple[list[Group], dict]:
    """The event's points, its core group first; and the group each unit landed in."""
    scores = _Adjacency(point_p.among(members))
    clusters = grouping.average_linkage(
        {u: units[u].doc for u in members}, scores, params.point_threshold, params.link_density
    )
    points = [c for c in clusters if grouping.spans_documents(units, c) >= 2]
    core = sorted(u for c in clusters if grouping.spans_documents(units, c) < 2 for u in c)
    if params.attach_point < 1 and points:
        points = grouping.attach({u: units[u].doc for u in members}, points, scores, params.attach_point)
    out, grouped = [], {}
    if grouping.spans_documents(units, core) >= 2:
        points.insert(0, core)
    for ids in points:
        out.append(_group(units, documents, corpus, ids, scores, params, "event" if ids is core else "point"))
        grouped.update(dict.fromkeys(ids, out[-1]))
    return out, grouped


def _group(units, documents, corpus, ids: list[int], scores, params: Params, level: str) -> Group:
    figure, discrepancy = _figures(units, ids)
    values = list(scores.among(ids).values())
    return Group(
        key=f"{ids[0]}",
        label=labels.label(units, ids, corpus.idf, labels.figure_label(figure)) or "related passages",
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


def _event(units, corpus, members: list[int], groups: list[Group]) -> Event:
    text = labels.label(units, members, None) or groups[0].label
    for group in groups:
        group.event = groups[0].key
        if group.level == "event":  # the event's core row is the event itself
            group.label = text
    return Event(key=groups[0].key, label=text or groups[0].label)


def _finish(documents, units, groups, events, point_p, params: Params) -> Alignment:
    """Stable keys ("doc_id:start" of the first passage), reading order, leftovers, suggestions."""
    position = {doc.id: n for n, doc in enumerate(documents)}
    renamed = {}
    for group in groups:
        first = min(group.passages, key=lambda p: (position[p.doc_id], p.start))
        renamed[group.key] = f"{first.doc_id}:{first.start}"
        group.key = renamed[group.key]
    for event in events:
        event.key = renamed[event.key]
    for group in groups:
        group.event = renamed[group.event]
    event_order = {e.key: n for n, e in enumerate(events)}
    groups.sort(key=lambda g: (event_order[g.event], g.level != "event", -len(g.doc_ids), g.key))
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
    for (i, j), p in sorted(point_p.items(), key=lambda kv: (-kv[1], kv[0])):
        if p < params.suggestion_floor:
            break
        a, b = unit_passage[i], unit_passage[j]
        ga, gb = where.get((a.doc_id, a.first_sentence)), where.get((b.doc_id, b.first_sentence))
        if (ga is not None and ga == gb) or i in used or j in used:
            continue
        used.update((i, j))
        out.append(Suggestion(a, b, p))
    return out
