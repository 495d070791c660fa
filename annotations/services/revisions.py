"""Annotations follow their article to every new revision (a re-import, a restored line, a correction).

Articles announce a new revision with `articles.signals.revision_created`, inside the transaction
that makes it; this receiver moves every live annotation of the previous revision, of every layer
and activity, onto the new text in the same transaction. An annotation moves in place: its id,
replies, decision, resolved thread, version and history stay with it. What cannot be anchored
stays on the old revision and becomes an orphan with its reason, to be re-attached by a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from annotations.models import Activity, Annotation, Orphan
from annotations.services.annotations import anchored_fields, audit
from annotations.text.anchoring import anchor


@dataclass(frozen=True)
class FollowResult:
    moved: int
    orphaned: int


def annotations_follow(*, article, previous, revision, cause: str) -> FollowResult:
    """Move the live annotations of `previous` onto `revision`; orphan what cannot be anchored."""
    origin = Orphan.Origin.CORRECTION if cause == "correction" else Orphan.Origin.REVISION
    moved: list[Annotation] = []
    orphans: list[Orphan] = []
    for old in Annotation.objects.alive().filter(revision=previous).select_related("tag"):
        if not placed_on(old, revision):
            reason = f"not found in revision {revision.number} ({cause}) of {article.source}"
            orphans.append(orphan_of(old, article_id=article.pk, origin=origin, reason=reason))
            continue
        moved.append(old)
    found_again = _found_again(article, revision)
    moved.extend(a for a, _orphan in found_again)
    Annotation.objects.bulk_update(moved, ["revision", "start", "end", "exact", "prefix", "suffix"], batch_size=500)
    Orphan.objects.bulk_update([o for _a, o in found_again], ["resolved_at", "resolution"])
    Orphan.objects.bulk_create(orphans)
    for activity_id in {a.activity_id for a in moved + [o.source_annotation for o in orphans]} - {None}:
        detail = {"article": article.source, "revision": revision.number, "cause": cause}
        audit(None, Activity(pk=activity_id), "re-anchored", None, detail)
    return FollowResult(len(moved), len(orphans))


def placed_on(row, revision) -> bool:
    """Anchor `row` (an annotation, or a link's end) on `revision`'s text, by its stored place if
    the words there still match, else by its quote and context: set it there (unsaved) and say
    True, or leave it as it is and say False."""
    found = anchor(revision.text, row.exact, row.prefix, row.suffix, row.start, row.end)
    if found is None:
        return False
    for name, value in anchored_fields(revision.text, found.start, found.end).items():
        setattr(row, name, value)
    row.revision = revision
    return True


def _found_again(article, revision) -> list[tuple[Annotation, Orphan]]:
    """The orphans of earlier revisions whose passage the new text holds again (a sentence a
    correction took out and a later file brings back): their annotations, which stayed alive on
    the revision where they were lost, move onto the new one, and the orphans are resolved."""
    out = []
    waiting = Orphan.objects.filter(
        article=article,
        resolved_at__isnull=True,
        source_annotation__deleted_at__isnull=True,
        source_annotation__revision__article=article,
    ).select_related("source_annotation")
    for orphan in waiting:
        stranded = orphan.source_annotation
        if not placed_on(stranded, revision):
            continue
        orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.REATTACHED
        out.append((stranded, orphan))
    return out


def orphan_of(annotation: Annotation, *, article_id: int, origin: str, reason: str) -> Orphan:
    """The orphan (unsaved) an annotation that cannot be anchored on a new text leaves: it keeps
    the annotation (alive on its old revision) and everything a person needs to re-attach it."""
    return Orphan(
        origin=origin,
        article_id=article_id,
        source_annotation=annotation,
        annotator_id=annotation.annotator_id,
        activity_id=annotation.activity_id,
        layer=annotation.layer,
        tag=annotation.tag.slug,
        note=annotation.note,
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        reason=reason,
    )


def on_revision_created(sender, *, article, previous, revision, cause: str, **kwargs) -> FollowResult:
    """Signal receiver; its result is what the import report and the upload page show."""
    return annotations_follow(article=article, previous=previous, revision=revision, cause=cause)
