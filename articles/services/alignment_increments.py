"""Realign what changed: an added or revised article aligned alone against the stored alignment.

`alignment_update` compares the current revisions with those the corpus index was built from.
A few changed articles are aligned one at a time (`articles/alignment/incremental.py`): the
article's old passages, suggestions and the groups left with one article go, its sentences join
stored groups or form new ones, in one short transaction that first checks nothing else wrote
the alignment meanwhile. Everything else is a full run (`alignment_compute`): no index or the
index of another run, more than ALIGNMENT_INCREMENTAL_LIMIT articles changed, two or more new
articles at once in a corpus small enough to realign in seconds (ALIGNMENT_FULL_FOR_NEW_STORY),
a correction that names a changed article (only a full run replays corrections), an old revision
gone (an article deleted), or enough articles added one by one since the last full run.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections import defaultdict

from django.conf import settings
from django.db import models, transaction

from articles import alignment
from articles.alignment.incremental import Increment, Stored
from articles.alignment.units import units_of
from articles.models import (
    AlignmentEvent,
    AlignmentGroup,
    AlignmentOverride,
    AlignmentPassage,
    AlignmentRun,
    AlignmentSuggestion,
    Article,
    Revision,
)
from articles.services.alignment import alignment_compute, suggestion_row
from articles.services.alignment_index import index_load, index_save


class _Stale(Exception):
    """The stored alignment or a revision changed while an article was being aligned."""


def _document(revision: Revision) -> alignment.Document:
    return alignment.Document(
        revision.article_id, str(revision.article_id), revision.text, [tuple(s) for s in revision.sentences]
    )


def alignment_update(*, progress=None) -> int:
    """Bring the stored alignment up to date with the current revisions; return the groups stored.

    `progress(step, total, message)` as for alignment_compute.
    """
    report = progress or (lambda *_args: None)
    report(0, 1, "checking what changed")
    plan = _plan()
    if plan is None:
        return alignment_compute(progress=progress)
    index, stamp, indexed, changed = plan
    for article_id in changed:  # every old revision out first: no new one pairs with another's old one
        if article_id in indexed:
            document = index.document(article_id)
            if document is None:
                return alignment_compute(progress=progress)
            old = Revision.objects.only("id", "article_id", "text", "sentences").get(pk=indexed[article_id])
            index.remove(document, units_of([_document(old)]))
    for n, article_id in enumerate(changed, 1):
        report(n - 1, len(changed), f"aligning article {article_id} ({n} of {len(changed)})")
        try:
            stamp = _update_one(index, stamp, indexed, article_id)
        except _Stale:
            return alignment_compute(progress=progress)
    count = AlignmentGroup.objects.count()
    report(len(changed), len(changed), f"{count} groups")
    return count


def _plan():
    """(index, stamp, {article: revision indexed}, [changed articles]) for an incremental update, or None."""
    loaded = index_load()
    run = AlignmentRun.objects.first()
    if loaded is None or run is None or loaded[1] != run.stamp:
        return None
    index, stamp, indexed = loaded
    current = dict(Article.objects.filter(current__isnull=False).values_list("pk", "current_id"))
    changed = sorted(a for a in set(current) | set(indexed) if current.get(a) != indexed.get(a))
    limit = max(settings.ALIGNMENT_INCREMENTAL_LIMIT, settings.ALIGNMENT_FULL_AFTER_SHARE * len(current))
    if len(changed) > settings.ALIGNMENT_INCREMENTAL_LIMIT or run.added_since_full + len(changed) > limit:
        return None
    arrived = [a for a in changed if a not in indexed]
    if len(arrived) >= 2 and len(current) <= settings.ALIGNMENT_FULL_FOR_NEW_STORY:
        return None  # articles of a new story together: a full run clusters them as a story
    corrected = AlignmentOverride.objects.filter(
        models.Q(article_id__in=changed) | models.Q(target_article_id__in=changed)
    ).exists()
    gone = {indexed[a] for a in changed if a in indexed} - set(
        Revision.objects.filter(pk__in=[indexed[a] for a in changed if a in indexed]).values_list("pk", flat=True)
    )
    if corrected or gone:
        return None
    source = dict(Article.objects.filter(pk__in=changed).values_list("pk", "source"))
    changed.sort(key=lambda a: source.get(a, ""))  # in source order, as a full run reads them
    return index, stamp, indexed, changed


def _update_one(index, stamp: str, indexed: dict[int, int], article_id: int) -> str:
    """Store the article's current revision in place of its indexed one (already out of `index`);
    return the new stamp."""
    revision = (
        Revision.objects.filter(article_id=article_id, article__current=models.F("pk"))
        .only("id", "article_id", "text", "sentences")
        .first()
    )
    addition = None
    if revision is not None:
        increment = Increment(index, _document(revision))
        partners = {
            r.article_id: r
            for r in Revision.objects.filter(
                article_id__in=increment.partner_articles(), article__current=models.F("pk")
            )
            .order_by("article__source")  # as a full run orders them: the ids never decide a tie
            .only("id", "article_id", "text", "sentences")
        }
        if set(partners) != set(increment.partner_articles()) or any(
            indexed.get(a) != r.pk for a, r in partners.items()
        ):
            raise _Stale
        ordered = list(partners.values())
        addition = increment.place([_document(r) for r in ordered], _stored(ordered))
    new_stamp = uuid.uuid4().hex
    _store(stamp, new_stamp, article_id, revision, addition)
    indexed.pop(article_id, None)
    if revision is not None:
        indexed[article_id] = revision.pk
    index_save(index, stamp=new_stamp, revisions=indexed)
    return new_stamp


def _stored(revisions: list[Revision]) -> Stored:
    """Where the sentences of `revisions` stand in the stored groups."""
    starts = {r.article_id: [s for s, _e in r.sentences] for r in revisions}
    ends = {r.article_id: [e for _s, e in r.sentences] for r in revisions}
    places: dict[tuple[int, int], list[int]] = defaultdict(list)
    group_event: dict[int, int] = {}
    rows = AlignmentPassage.objects.filter(
        article_id__in=list(starts), revision_id__in=[r.pk for r in revisions]
    ).values_list("article_id", "start", "end", "group_id", "group__event_id")
    for article, start, end, group, event in rows:
        group_event[group] = event or 0
        first = bisect_left(starts[article], start)
        for n in range(first, len(starts[article])):
            if ends[article][n] > end:
                break
            places[(article, n)].append(group)
    events = set(group_event.values())
    core = dict(
        AlignmentGroup.objects.filter(event_id__in=events, level="event").values_list("event_id", "pk").order_by("pk")
    )
    return Stored(dict(places), group_event, core)


@transaction.atomic
def _store(stamp: str, new_stamp: str, article_id: int, revision: Revision | None, addition) -> None:
    run = AlignmentRun.objects.select_for_update().first()
    current = Article.objects.select_for_update().filter(pk=article_id).values_list("current_id", flat=True).first()
    if run is None or run.stamp != stamp or current != (revision.pk if revision else None):
        raise _Stale
    old = AlignmentPassage.objects.filter(article_id=article_id)
    touched = set(old.values_list("group_id", flat=True))
    old.delete()
    AlignmentSuggestion.objects.filter(
        models.Q(article_id=article_id) | models.Q(target_article_id=article_id)
    ).delete()
    if addition is not None:
        _add(addition, revision)
    lonely = (
        AlignmentGroup.objects.filter(pk__in=touched)
        .annotate(articles=models.Count("passages__article", distinct=True))
        .filter(articles__lt=2)
    )
    events = set(lonely.values_list("event_id", flat=True))
    AlignmentGroup.objects.filter(pk__in=list(lonely.values_list("pk", flat=True))).delete()
    AlignmentEvent.objects.filter(pk__in=events, groups__isnull=True).delete()
    AlignmentRun.objects.create(
        kind=AlignmentRun.Kind.ADD, stamp=new_stamp, articles=1, added_since_full=run.added_since_full + 1
    )


def _add(addition, revision: Revision) -> None:
    revision_of = {revision.article_id: revision.pk}
    AlignmentPassage.objects.bulk_create(
        AlignmentPassage(group_id=g, article_id=p.doc_id, revision_id=revision.pk, start=p.start, end=p.end)
        for g, passages in addition.joins.items()
        for p in passages
    )
    order = (AlignmentEvent.objects.aggregate(m=models.Max("order"))["m"] or 0) + 1
    events = dict(
        zip(
            [e.key for e in addition.events],
            AlignmentEvent.objects.bulk_create(
                AlignmentEvent(key=e.key[:64], label=e.label[:200], order=order + n)
                for n, e in enumerate(addition.events)
            ),
            strict=True,
        )
    )
    order = (AlignmentGroup.objects.aggregate(m=models.Max("order"))["m"] or 0) + 1
    groups = AlignmentGroup.objects.bulk_create(
        AlignmentGroup(
            key=g.key[:64],
            label=g.label[:200],
            discrepancy=g.discrepancy[:300],
            cohesion=g.cohesion,
            level=g.level,
            order=order + n,
            event=events[g.event],
        )
        for n, g in enumerate(addition.groups)
    )
    partners = {p.doc_id for g in addition.groups for p in g.passages} - set(revision_of)
    revision_of |= dict(
        Revision.objects.filter(article_id__in=partners, article__current=models.F("pk")).values_list(
            "article_id", "pk"
        )
    )
    AlignmentPassage.objects.bulk_create(
        AlignmentPassage(group=stored, article_id=p.doc_id, revision_id=revision_of[p.doc_id], start=p.start, end=p.end)
        for stored, g in zip(groups, addition.groups, strict=True)
        for p in g.passages
    )
    AlignmentSuggestion.objects.bulk_create(suggestion_row(s) for s in addition.suggestions)
