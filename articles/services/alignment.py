"""The alignment of the corpus: computed outside the write transaction, stored in a short one, corrections replayed."""

from __future__ import annotations

import itertools
import uuid

from django.db import models, transaction

from articles import alignment
from articles.alignment.overrides import Override, apply_overrides
from articles.models import (
    AlignmentEvent,
    AlignmentOverride,
    AlignmentPassage,
    AlignmentRun,
    AlignmentSuggestion,
    Article,
    Revision,
)
from articles.services.alignment_index import index_save


def _engine_groups(result) -> tuple[list[dict], list[tuple[int, int, int]]]:
    groups = [
        {
            "label": g.label,
            "discrepancy": g.discrepancy,
            "cohesion": g.cohesion,
            "level": g.level,
            "event": g.event,
            "passages": [(p.doc_id, p.start, p.end) for p in g.passages],
        }
        for g in result.groups
    ]
    return groups, [(p.doc_id, p.start, p.end) for ps in result.only_in.values() for p in ps]


def rows_relabel(groups: list[dict], text, index=None) -> None:
    """Name again the point rows whose passages an editor's correction changed (not those an
    editor named): the engine's label named what they held before. `text(article, start, end)`:
    a passage's text; `index`: the corpus's CorpusIndex, whose idf weighs the words."""
    from articles.alignment.points import row_label

    changed = [g for g in groups if g.get("changed") and not g.get("renamed") and g["level"] != "event"]
    if not changed:
        return
    idf, common = index.term_weights() if index is not None else (None, frozenset())
    for g in changed:
        g["label"] = (
            row_label([(a, text(a, s, e)) for a, s, e in g["passages"]], idf, common) or g["label"] or "corrected row"
        )


def _store_events(result, groups: list[dict]) -> dict[str, object]:
    """One AlignmentEvent per event that still has a group; a corrected group without one gets its own."""
    labels = {e.key: e.label for e in result.events}
    keys: list[str] = []
    for n, g in enumerate(groups):
        if not g["event"]:
            g["event"] = f"corrected:{n}"
            labels[g["event"]] = g["label"]
        if g["event"] not in keys:
            keys.append(g["event"])
    stored = AlignmentEvent.objects.bulk_create(
        AlignmentEvent(key=k[:64], label=labels.get(k, "")[:200], order=n) for n, k in enumerate(keys)
    )
    return dict(zip(keys, stored, strict=True))


def _store_suggestions(result, overrides, skip: set[int] = frozenset(), groups: list[dict] = ()) -> None:
    """The engine's suggestions, but those an editor judged, those of articles left out, and those
    whose two passages share a row once the corrections are replayed (a moved passage, say)."""
    judged = [o for o in overrides if o.kind in ("accept", "reject")]
    rows: dict[int, list[tuple[int, int, int]]] = {}
    for g, group in enumerate(groups):
        for a, start, end in group["passages"]:
            rows.setdefault(a, []).append((start, end, g))

    def row_of(p) -> set[int]:
        return {g for start, end, g in rows.get(p.doc_id, ()) if start <= p.start < end}

    AlignmentSuggestion.objects.bulk_create(
        suggestion_row(s)
        for s in result.suggestions
        if not any(_judged(o, s) for o in judged)
        and not {s.left.doc_id, s.right.doc_id} & skip
        and not row_of(s.left) & row_of(s.right)
    )


def suggestion_row(s) -> AlignmentSuggestion:
    """The engine's suggested link as it is stored."""
    return AlignmentSuggestion(
        article_id=s.left.doc_id,
        start=s.left.start,
        end=s.left.end,
        target_article_id=s.right.doc_id,
        target_start=s.right.start,
        target_end=s.right.end,
        probability=round(s.probability, 4),
    )


def _judged(o, s) -> bool:
    """Whether override `o` names the two passages of suggestion `s`."""
    ends = {(o.article_id, o.start), (o.target_article_id, o.target_start)}
    inside = [(p.doc_id, p.start, p.end) for p in (s.left, s.right)]
    return all(any(a == d and st <= x < e for d, st, e in inside) for a, x in ends)


ALIGNMENT_STEPS = 8  # loading, the engine's stages (alignment.STAGES), corrections, saving


ALIGNMENT_ATTEMPTS = 3


def _current_revisions() -> list[Revision]:
    return list(
        Revision.objects.filter(article__current=models.F("pk"))
        .order_by("article__source")
        .only("id", "article_id", "text", "sentences")
    )


def alignment_compute(*, progress=None) -> int:
    """Align the current revisions of every article; replay overrides; store events and groups.

    The engine works outside any transaction, on a snapshot of the current revisions, so the
    database stays writable meanwhile; the result is written in one short transaction that first
    checks the snapshot is still current (an article corrected or imported meanwhile: the
    alignment is computed again, and after ALIGNMENT_ATTEMPTS the changed articles are left out
    until the next run). `progress(step, total, message)` is told what is happening, from outside
    any transaction, so a job page sees it. Returns the number of groups.
    """
    report = progress or (lambda *_args: None)
    stages = {name: n for n, name in enumerate(alignment.STAGES, 1)}
    for attempt in range(1, ALIGNMENT_ATTEMPTS + 1):
        report(0, ALIGNMENT_STEPS, "loading articles")
        revisions = _current_revisions()
        documents = [
            alignment.Document(r.article_id, str(r.article_id), r.text, [tuple(s) for s in r.sentences])
            for r in revisions
        ]
        result = alignment.align(
            documents, progress=lambda stage: report(stages[stage], ALIGNMENT_STEPS, stage), keep_index=True
        )
        report(ALIGNMENT_STEPS - 2, ALIGNMENT_STEPS, "applying editors' corrections")
        overrides = [
            Override(
                o.kind,
                o.article_id,
                o.start,
                o.target_article_id,
                o.target_start,
                o.label,
                _points(o.members),
                _points(o.target_members),
            )
            for o in AlignmentOverride.objects.filter(lost=False)  # a lost one names nothing any more
        ]
        groups = apply_overrides(*_engine_groups(result), overrides)
        texts = {d.id: d.text for d in documents}
        rows_relabel(groups, lambda a, s, e, texts=texts: texts[a][s:e], result.index)
        report(ALIGNMENT_STEPS - 1, ALIGNMENT_STEPS, "saving groups")
        stored = _alignment_store(result, groups, overrides, revisions, final=attempt == ALIGNMENT_ATTEMPTS)
        if stored is not None:
            count, stamp, revision_of = stored
            index_save(result.index, stamp=stamp, revisions=revision_of)
            report(ALIGNMENT_STEPS, ALIGNMENT_STEPS, f"{count} groups")
            return count
        report(0, ALIGNMENT_STEPS, "articles changed meanwhile: aligning again")
    raise AssertionError("unreachable: the last attempt always stores")


@transaction.atomic
def _alignment_store(result, groups: list[dict], overrides, revisions: list[Revision], *, final: bool):
    """Replace the stored alignment with `groups`; None if the snapshot is stale and not `final`,
    else (groups stored, the run's stamp, {article: revision aligned}).

    On the final attempt, passages of articles whose current revision changed are left out (and
    the index, which holds them, belongs to no run: the next alignment is a full one).
    """
    from articles.models import AlignmentEvent, AlignmentGroup, AlignmentSuggestion

    revision_of = {r.article_id: r.pk for r in revisions}
    current = dict(Article.objects.select_for_update().filter(current__isnull=False).values_list("pk", "current_id"))
    stale = {a for a, r in revision_of.items() if current.get(a) != r}
    if (stale or set(current) - set(revision_of)) and not final:
        return None
    if stale:
        groups = [
            g
            for g in ({**g, "passages": [p for p in g["passages"] if p[0] not in stale]} for g in groups)
            if len({p[0] for p in g["passages"]}) >= 2
        ]
    # a row keeps its id from run to run while it starts with the same passage (its key), so that
    # a link to it (?row=12#g12) or its open correction controls still find it after a recomputation
    earlier: dict[str, list[int]] = {}  # two rows may start with the same sentence: theirs in order
    for key, pk in AlignmentGroup.objects.order_by("order", "pk").values_list("key", "pk"):
        earlier.setdefault(key, []).append(pk)
    AlignmentEvent.objects.all().delete()
    AlignmentSuggestion.objects.all().delete()
    AlignmentGroup.objects.all().delete()
    events = _store_events(result, groups)
    position = {r.article_id: n for n, r in enumerate(revisions)}  # file-name order, as the engine reads them
    rows = []
    for n, g in enumerate(groups):
        first = min(g["passages"], key=lambda p: (position.get(p[0], len(position)), p[1]))
        key = f"{first[0]}:{first[1]}"  # its first passage (a correction may have moved another first)
        rows.append(
            AlignmentGroup(
                pk=earlier[key].pop(0) if earlier.get(key) else None,
                key=key,
                label=g["label"][:200],
                discrepancy=g["discrepancy"][:300],
                cohesion=g["cohesion"],
                level=g["level"],
                order=n,
                event=events[g["event"]],
            )
        )
    stored = AlignmentGroup.objects.bulk_create(rows)
    passages = (
        AlignmentPassage(group=group, article_id=a, revision_id=revision_of[a], start=s, end=e)
        for group, g in zip(stored, groups, strict=True)
        for a, s, e in g["passages"]
    )
    while batch := list(itertools.islice(passages, 5000)):  # a corpus has ~60 passages an article
        AlignmentPassage.objects.bulk_create(batch)
    _store_suggestions(result, overrides, skip=stale, groups=groups)
    stamp = uuid.uuid4().hex
    AlignmentRun.objects.create(
        kind=AlignmentRun.Kind.FULL, stamp=f"stale-{stamp}" if stale else stamp, articles=len(revisions)
    )
    return len(stored), stamp, revision_of


def _points(members) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(x)) for a, x in members or ())
