"""An annotation's discussion thread: replies, and marking it resolved or open again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, Reply
from annotations.services.activities import ActivityError
from annotations.services.annotations import audit, ensure_current
from annotations.text.sanitize import sanitize_note


@transaction.atomic
def reply_add(*, user, annotation: Annotation, body: str) -> Reply:
    body = sanitize_note(body or "")
    if not body:
        raise ActivityError("A reply needs some text.")
    if len(body) > Annotation.MAX_NOTE:
        raise ActivityError(f"A reply is limited to {Annotation.MAX_NOTE} characters.")
    ensure_current(annotation.revision_id, annotation.revision.article_id)
    reply = Reply.objects.create(annotation=annotation, author=user, body=body)
    if annotation.activity_id:
        audit(user, annotation.activity, "replied", annotation)
    return reply


def thread_set_resolved(*, user, annotation: Annotation, resolved: bool) -> None:
    annotation.thread_resolved_at = timezone.now() if resolved else None
    annotation.save(update_fields=["thread_resolved_at"])
    if annotation.activity_id:
        audit(user, annotation.activity, "resolved thread" if resolved else "reopened thread", annotation)
