"""Every "who may" of the annotations app, by one mechanism: permissions granted through the role groups.

Roles are groups (created by migrations): Instructors run exercises; Editors run review sessions,
correct texts and alignments; Curators (staff) upload articles and restore lines. Views, services
and templates (through the `may` context processor) ask these helpers and never re-derive them.

The object helpers return the object, or raise Http404 / PermissionDenied. Objects a user may not
see are reported as missing (404), so that an error never tells whether a private exercise or a
peer's annotation exists.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from annotations.formats.records import IMPORT_PREFIX
from annotations.models import Activity, Annotation, Decision, Link
from articles.access import can_curate, can_edit_alignment, can_upload

__all__ = ["can_curate", "can_edit_alignment", "can_upload"]  # re-exported: one place to ask


def _granted(user, permission: str) -> bool:
    return user.is_authenticated and user.has_perm(permission)


def can_create_activities(user) -> bool:
    return _granted(user, "annotations.add_activity")


def can_export(user) -> bool:
    """Export and import annotated corpora (and see the orphans imports leave)."""
    return _granted(user, "annotations.export_corpus")


def can_correct_text(user) -> bool:
    return _granted(user, "annotations.correct_text")


def may_resolve_thread(user, annotation: Annotation) -> bool:
    """The annotator or the activity's owner marks a thread resolved."""
    activity_owner = annotation.activity.owner_id if annotation.activity_id else None
    return user.is_authenticated and user.pk in (annotation.annotator_id, activity_owner)


def person_for_viewing(user, username: str):
    """The person whose page /users/<username>/ is (the id exports give as an annotation's creator).

    Anyone sees the page of a person with public annotations or links, whose name every reader of
    those already sees beside them; the person themselves, and those who may export (who hold the
    ids of everyone's work), see any person's. Otherwise 404: the page never tells whether a
    student of a private exercise exists.
    """
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    if user.is_authenticated and (user.pk == person.pk or can_export(user)):
        return person
    public = Q(activity__isnull=True, deleted_at__isnull=True)
    if person.annotations.filter(public).exists() or person.links.filter(public).exists():
        return person
    raise Http404("No such person.")


def activity_includes_article(activity: Activity | None, article) -> bool:
    return activity is None or activity.articles.filter(pk=article.pk).exists()


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


def activities_at_work(user, article_ids, now: datetime | None = None) -> list[Activity]:
    """The activities `user` is doing now (taking part, open, not revealed, not yet submitted)
    that hold one of these articles: what they write outside them is public, which in a blind
    exercise shows their answers to the class, so the pages say so and offer the activity."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    return list(
        Activity.objects.filter(
            participations__user=user,
            participations__submitted_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            revealed_at__isnull=True,
            articles__pk__in=list(article_ids),
        )
        .distinct()
        .order_by("closes_at", "pk")
    )


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
            annotating_layer(user, annotation.activity)  # raises PermissionDenied when locked
            if Decision.objects.filter(annotation_id=annotation.pk).exists():  # the consensus stands on it
                raise PermissionDenied(
                    "An editor has adjudicated this annotation; ask them to undo the verdict to change it."
                )
    if annotation.annotator_id != user.pk:
        raise PermissionDenied("This annotation belongs to someone else.")
    return annotation


def handles_imports_of(user, activity: Activity | None) -> bool:
    """Whether `user` looks after what imports bring into this layer: an activity's owner, or,
    for the public layer, those who may import."""
    if not user.is_authenticated:
        return False
    return activity.owner_id == user.pk if activity is not None else can_export(user)


def is_imported(annotation: Annotation) -> bool:
    """Whether an import brought it, under an identity that cannot sign in to change it."""
    return annotation.annotator.username.startswith(IMPORT_PREFIX)


def annotation_for_removing(user, pk: int, *, include_deleted: bool = False) -> Annotation:
    """The annotation `user` may delete (or restore): their own, as annotation_for_editing says;
    or one an import brought, for whoever looks after that layer's imports (an import identity
    never signs in, so a mistaken import is undone here), until its activity's reveal."""
    annotation = Annotation.objects.select_related("annotator", "activity", "tag", "revision").filter(pk=pk).first()
    if (
        annotation is None
        or annotation.annotator_id == user.pk
        or not is_imported(annotation)
        or not handles_imports_of(user, annotation.activity)
        or (annotation.deleted_at is not None and not include_deleted)
    ):
        return annotation_for_editing(user, pk, include_deleted=include_deleted)
    if annotation.activity_id and annotation.activity.revealed:
        raise PermissionDenied("The work has been revealed; its annotations are locked.")
    if Decision.objects.filter(annotation_id=annotation.pk).exists():  # the consensus stands on it
        raise PermissionDenied("An editor has adjudicated this annotation; undo the verdict to change it.")
    return annotation


def annotating_layer(user, activity: Activity, now: datetime | None = None) -> str:
    """The layer `user` writes to in `activity`, or raise PermissionDenied saying why they cannot."""
    now = now or timezone.now()
    if activity.owner_id == user.pk:
        if activity.kind != Activity.Kind.EXERCISE:
            return Annotation.Layer.CONSENSUS
        if activity.revealed:  # the students' feedback and grades are scored against it as it stood
            raise PermissionDenied("The answer key is locked since the reveal: the students' feedback is scored on it.")
        return Annotation.Layer.KEY
    participation = activity.participations.filter(user=user).first()
    if participation is None:
        raise PermissionDenied("Join this activity to annotate in it.")
    if now >= activity.closes_at:
        raise PermissionDenied("This activity is closed; its annotations are locked.")
    if now < activity.opens_at:
        raise PermissionDenied("This activity is not open yet.")
    if activity.revealed:
        raise PermissionDenied("The work has been revealed; everyone's annotations are locked.")
    if activity.kind == Activity.Kind.EXERCISE and participation.submitted_at is not None:
        raise PermissionDenied("You have submitted this exercise; your work is locked.")
    return Annotation.Layer.INDIVIDUAL


def link_for_editing(user, pk: int) -> Link:
    """Only the link's author deletes it, and only while their work in its activity is not locked;
    or, for a link an import brought, whoever looks after that layer's imports, until the reveal."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change links.")
    link = Link.objects.alive().select_related("activity", "annotator").filter(pk=pk).first()
    if link is None:
        raise Http404("No such link.")
    imported = link.annotator.username.startswith(IMPORT_PREFIX)
    if link.annotator_id != user.pk and imported and handles_imports_of(user, link.activity):
        if link.activity_id and link.activity.revealed:
            raise PermissionDenied("The work has been revealed; its links are locked.")
        return link
    if link.annotator_id != user.pk:
        if link.activity_id is None or Link.objects.visible_to(user, link.activity).filter(pk=pk).exists():
            raise PermissionDenied("This link belongs to someone else.")
        raise Http404("No such link.")
    if link.activity_id:
        annotating_layer(user, link.activity)  # raises PermissionDenied when locked
    return link


def linking_layer(user, activity: Activity | None, articles) -> str:
    """The layer `user` links in: both articles must be the activity's, and the activity open to them."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to link passages.")
    if activity is None:
        return Annotation.Layer.INDIVIDUAL
    if not all(activity_includes_article(activity, article) for article in articles):
        raise Http404("This article is not part of the activity.")
    return annotating_layer(user, activity)
