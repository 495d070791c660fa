"""Inside an event: its points (average linkage on the point probability, then the sentences
held too loosely or sharing nothing with the rest taken out), their labels, and the event's own
row and name; plus the points a shared quotation or figure makes across events (anchored)."""

from __future__ import annotations

import math
from collections import defaultdict

from articles.alignment import grouping, labels
from articles.alignment.figures import Quantity, same_figure
from articles.alignment.records import Event, Group, Params
from articles.alignment.units import Unit, make_unit


def anchored(
    units, documents, corpus, anchored, point_p, event_of, events, params: Params, context=None
) -> list[Group]:
    """A sentence may make two points: a pair sharing a quotation or an exact figure that the
    grouping put apart becomes a group of its own (once per sentence). `context(ids)`: the name
    beside a one-word label of those sentences."""
    out, used = [], set()
    for i, j in anchored:
        if point_p[(i, j)] < params.suggestion_floor or i in used or j in used:
            continue
        ei, ej = event_of.get(i), event_of.get(j)
        if ei and ej and ei[1] is ej[1]:
            continue
        group = _group(units, documents, corpus, [i, j], point_p, params, "point", context([i, j]) if context else "")
        if ei or ej:
            group.event = (ei or ej)[0].key
        else:
            events.append(Event(key=group.key, label=group.label))
            group.event = group.key
        used.update((i, j))
        out.append(group)
    return out


def distinct(groups: list[Group]) -> list[Group]:
    """The groups without the points that repeat a row of their event: a point whose sentences all
    sit in one other row of the same event (a bigger point, or the event's own row) shows the
    reader nothing new; a figure's discrepancy it showed moves to that row. The event's first row
    (its key) always stays; order is kept."""
    covered = [
        frozenset((p.doc_id, s) for p in g.passages for s in range(p.first_sentence, p.last_sentence + 1))
        for g in groups
    ]
    kept: dict[str, list[int]] = defaultdict(list)
    dropped = set()
    for n in sorted(range(len(groups)), key=lambda n: (groups[n].key != groups[n].event, -len(covered[n]), n)):
        group = groups[n]
        holder = next((k for k in kept[group.event] if covered[n] <= covered[k]), None)
        if holder is None or group.key == group.event:
            kept[group.event].append(n)
            continue
        dropped.add(n)
        if group.discrepancy and not groups[holder].discrepancy:
            groups[holder].discrepancy = group.discrepancy
    return [g for n, g in enumerate(groups) if n not in dropped]


def event_points(
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
        points = grouping.attach(
            {u: units[u].doc for u in members}, points, scores, params.attach_point, params.attach_most
        )
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


def row_label(passages: list[tuple[int, str]], idf=None, common: frozenset[str] = frozenset()) -> str:
    """The label of a row an editor's correction changed ((article id, text) of each passage):
    the name and phrase, or the phrase and figure, its articles share, weighed by the corpus's
    `idf` and `common` terms as the engine weighs them (CorpusIndex.term_weights), or, without
    them, by how often the passages name them. The engine's label named what the row held before."""
    order = {a: n for n, a in enumerate(dict.fromkeys(a for a, _text in passages))}
    units = [make_unit(order[a], k, k, text, (0, len(text))) for k, (a, text) in enumerate(passages)]
    ids = list(range(len(units)))
    figure, _discrepancy = _figures(units, ids)
    return labels.label(units, ids, idf, labels.figure_label(figure), common=common)


def name_event(units, corpus, members: list[int], groups: list[Group], protagonist: str = "") -> Event:
    if groups[0].level == "event":  # its core row, named in _points
        text = groups[0].label
    else:
        text = labels.label(units, members, None, context=protagonist) or groups[0].label
    for group in groups:
        group.event = groups[0].key
        if group.level == "event":  # the event's core row is the event itself
            group.label = text
    return Event(key=groups[0].key, label=text or groups[0].label)
