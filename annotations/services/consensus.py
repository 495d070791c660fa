"""The consensus layer of a review session, kept in step with the editor's verdicts.

An accepted or relabelled reviewer annotation puts a copy of itself into the consensus (the
editor's layer), where the editor may edit it like any of their annotations. A passage and tag
that several reviewers agree on is there once. A verdict changes only the copy of the annotation
it was given on, and the passage and tags that verdict held: a copy the editor changed, deleted
or made by hand is never undone by a verdict on someone else's annotation.
"""

from __future__ import annotations

from django.utils import timezone

from annotations.models import Activity, Annotation, Decision

AGREEING = (Decision.Verdict.ACCEPT, Decision.Verdict.RELABEL)


def verdict_tag_id(decision: Decision | None, annotation: Annotation) -> int | None:
    """The tag a verdict puts into the consensus: the new one of a relabel, the annotation's own if
    accepted; None for a rejection or no verdict."""
    if decision is None or decision.verdict not in AGREEING:
        return None
    return decision.tag_id if decision.verdict == Decision.Verdict.RELABEL else annotation.tag_id


def consensus_reconcile(*, activity: Activity, annotation: Annotation, editor, was: int | None) -> None:
    """Bring the consensus at `annotation`'s passage in step with the verdict just given on it.

    `was` is the tag its previous verdict held (None if it held none). When the verdict's tag
    changes, the annotation's own copy is handed (with its edits) to the first other reviewer who
    still agrees on `was`, else follows the new tag, else leaves. Each tag then shows once at the
    passage (a copy made by hand wins over the copies of verdicts), and the new tag gets a copy
    if no copy shows it or stands for it (a copy the editor retagged still stands for its verdict).
    """
    span = {
        "activity": activity,
        "revision_id": annotation.revision_id,
        "start": annotation.start,
        "end": annotation.end,
    }
    agreeing: dict[int, list[Annotation]] = {}
    reviewed = Annotation.objects.alive().filter(**span, layer=Annotation.Layer.INDIVIDUAL)
    for other in reviewed.filter(decision__verdict__in=AGREEING).select_related("decision").order_by("pk"):
        agreeing.setdefault(verdict_tag_id(other.decision, other), []).append(other)
    standing = {other.pk: tag for tag, group in agreeing.items() for other in group}
    new = standing.get(annotation.pk)
    copies = list(Annotation.objects.alive().filter(**span, layer=Annotation.Layer.CONSENSUS).order_by("pk"))
    now = timezone.now()
    held = {copy.tag_id for copy in copies if copy.source_id != annotation.pk}
    for copy in copies:
        if copy.source_id != annotation.pk or (new is not None and new == was):
            continue
        if agreeing.get(was) and was not in held:  # others still agree on what the verdict held: theirs now
            copy.source = agreeing[was][0]
            copy.modified_at = now
            copy.save(update_fields=["source", "modified_at"])
        elif new is not None and new not in held:
            copy.tag_id = new
            copy.modified_at = now
            copy.save(update_fields=["tag", "modified_at"])
        else:  # rejected, undone, or relabelled to a tag another copy shows (a restore then finds that twin)
            copy.tag_id = new or copy.tag_id
            copy.deleted_at = now
            copy.save(update_fields=["tag", "deleted_at"])
            continue
        held.add(copy.tag_id)
    shown: set[int] = set()
    covered: set[int | None] = set()
    for copy in sorted(copies, key=lambda copy: (copy.source_id is not None, copy.pk)):
        if copy.deleted_at is not None:
            continue
        if copy.tag_id in shown and copy.source_id is not None:  # a second copy of a tag shown already
            copy.deleted_at = now
            copy.save(update_fields=["deleted_at"])
            continue
        shown.add(copy.tag_id)
        covered |= {copy.tag_id, standing.get(copy.source_id)}
    if new is not None and new not in covered:
        first = agreeing[new][0]
        Annotation.objects.create(
            revision_id=first.revision_id,
            annotator=editor,
            tag_id=new,
            note=first.note,
            start=first.start,
            end=first.end,
            exact=first.exact,
            prefix=first.prefix,
            suffix=first.suffix,
            activity=activity,
            layer=Annotation.Layer.CONSENSUS,
            source=first,
        )
