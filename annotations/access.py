"""One access helper per model: the object, or Http404 / PermissionDenied."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from annotations.models import Annotation


def annotation_for_reading(user, pk: int) -> Annotation:
    annotation = Annotation.objects.visible_to(user).select_related("revision").filter(pk=pk).first()
    if annotation is None:
        raise Http404("No such annotation.")
    return annotation


def annotation_for_editing(user, pk: int, *, include_deleted: bool = False) -> Annotation:
    """Only the annotator edits, deletes or restores an annotation."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change annotations.")
    queryset = Annotation.objects.select_related("annotator", "tag", "revision")
    if not include_deleted:
        queryset = queryset.filter(deleted_at__isnull=True)
    annotation = queryset.filter(pk=pk).first()
    if annotation is None:
        raise Http404("No such annotation.")
    if annotation.annotator_id != user.pk:
        raise PermissionDenied("This annotation belongs to someone else.")
    return annotation
