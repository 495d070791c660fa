"""One access helper per model: the object, or Http404 / PermissionDenied.

Objects a user may not see are reported as missing (404), so that an error never tells
whether a private exercise or a peer's annotation exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from annotations.models import Activity, Annotation


def activity_for_member(user, pk) -> Activity:
    """The activity if `user` owns it or takes part in it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404("No such activity.") from exc
    if not user.is_authenticated:
        raise Http404("No such activity.")
    activity = (
        Activity.objects.filter(pk=pk)
        .filter(Q(owner=user) | Q(participations__user=user))
        .select_related("owner")
        .distinct()
        .first()
    )
    if activity is None:
        raise Http404("No such activity.")
    return activity


def activity_for_owner(user, pk) -> Activity:
    """The activity if `user` runs it; participants get 403, everyone else 404."""
    activity = activity_for_member(user, pk)
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner can do this.")
    return activity


def activity_from_request(request) -> Activity | None:
    """The activity named by ?activity= (checked for membership), or None for the public layer."""
    value = request.GET.get("activity")
    return activity_for_member(request.user, value) if value else None


def annotation_for_reading(user, pk: int) -> Annotation:
    annotation = (
        Annotation.objects.alive().select_related("revision", "activity", "annotator", "tag").filter(pk=pk).first()
    )
    if annotation is None:
        raise Http404("No such annotation.")
    if annotation.activity_id and not Annotation.objects.visible_to(user, annotation.activity).filter(pk=pk).exists():
        raise Http404("No such annotation.")
    return annotation


def annotation_for_editing(user, pk: int, *, include_deleted: bool = False) -> Annotation:
    """Only the annotator edits, deletes or restores, and only while their work is not locked."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change annotations.")
    queryset = Annotation.objects.select_related("annotator", "tag", "revision", "activity")
    if not include_deleted:
        queryset = queryset.filter(deleted_at__isnull=True)
    annotation = queryset.filter(pk=pk).first()
    if annotation is None:
        raise Http404("No such annotation.")
    if annotation.activity_id:
        if (
            annotation.annotator_id != user.pk
            and not Annotation.objects.visible_to(user, annotation.activity).filter(pk=pk).exists()
        ):
            raise Http404("No such annotation.")
        if annotation.annotator_id == user.pk:
            from annotations.services.activities import annotating_layer

            annotating_layer(user, annotation.activity)  # raises PermissionDenied when locked
    if annotation.annotator_id != user.pk:
        raise PermissionDenied("This annotation belongs to someone else.")
    return annotation
