"""Deleting an annotation, softly, and undoing it: the undo brings it back on the current text."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from annotations.models import Annotation, Decision, Orphan
from annotations.services.annotations import _current_revision_id, _has_twin, audit
from annotations.services.revisions import orphan_of, placed_on
from articles.models import Revision
from sinorus.db import write_transaction


def annotation_delete(*, annotation: Annotation, by=None) -> None:
    """Delete softly, so that the annotator can undo. `by`: who deleted it, when not its author
    (an activity's owner undoing an import): the audit trail names them."""
    Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), version=F("version") + 1
    )
    if annotation.activity_id:
        audit(by or annotation.annotator, annotation.activity, "deleted", annotation)


def annotation_restore(*, annotation: Annotation, by=None) -> None:
    """Undo a delete; a consensus copy comes back only while the verdict it copies still stands.
    An annotation already back (a second click, another tab) is left as it is. `by`: as for
    annotation_delete (an activity's restore is audited too)."""
    if not Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=False).exists():
        return
    if annotation.layer == Annotation.Layer.CONSENSUS and annotation.source_id:
        decision = Decision.objects.filter(annotation_id=annotation.source_id).first()
        if decision is not None and decision.verdict == Decision.Verdict.REJECT:
            raise PermissionDenied(
                "This consensus annotation was rejected in adjudication; change the verdict instead."
            )
        if decision is None:
            raise PermissionDenied("The verdict this consensus annotation copies was undone; decide it again instead.")
        twin = Annotation.objects.alive().filter(
            activity_id=annotation.activity_id,
            layer=Annotation.Layer.CONSENSUS,
            revision_id=annotation.revision_id,
            start=annotation.start,
            end=annotation.end,
            tag_id=annotation.tag_id,
        )
        if twin.exclude(pk=annotation.pk).exists():
            raise PermissionDenied("The consensus already holds this passage with this tag.")
    with write_transaction():
        current_id = _current_revision_id(annotation.revision.article_id)
        if current_id != annotation.revision_id:
            _onto_current(annotation, Revision.objects.get(pk=current_id))
        twin = _has_twin(
            annotation.revision_id,
            annotation.annotator_id,
            annotation.start,
            annotation.end,
            annotation.tag_id,
            annotation.activity_id,
            annotation.layer,
        )
        if twin:
            raise RestoreRefused(
                f"you have tagged this passage as {annotation.tag.slug} again since: it is already there"
            )
        Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=False).update(
            deleted_at=None,
            version=F("version") + 1,
            modified_at=timezone.now(),
            **{name: getattr(annotation, name) for name in ("start", "end", "exact", "prefix", "suffix")},
            revision_id=annotation.revision_id,
        )
    if annotation.activity_id:
        audit(by or annotation.annotator, annotation.activity, "restored", annotation)


class RestoreRefused(ValueError):
    """An undo that would bring back what is already there (the same passage tagged again since)."""


def _onto_current(annotation: Annotation, current: Revision) -> None:
    """A deleted annotation whose text was revised since (a re-upload, a restored line, a
    correction) comes back on the current text, found as every annotation follows a revision;
    what is not found any more comes back on its own revision as an orphan, to be re-attached."""
    if not placed_on(annotation, current):
        reason = f"not found in revision {current.number} when its delete was undone"
        orphan_of(annotation, article_id=current.article_id, origin=Orphan.Origin.REVISION, reason=reason).save()
