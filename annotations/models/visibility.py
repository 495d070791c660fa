"""Who sees what inside an activity: one rule for every kind of annotation (highlights and links)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from annotations.models.activities import Activity

NOTHING = Q(pk__in=[])


class Layer(models.TextChoices):
    """Whose work a row is in an activity: a participant's, the exercise's key, the review's consensus."""

    INDIVIDUAL = "individual", "individual"
    KEY = "key", "answer key"
    CONSENSUS = "consensus", "consensus"


def seen_in_activity(user, activity: Activity) -> Q:
    """The rows of `activity` that `user` may see, for any model with `annotator` and `layer` fields.

    The owner sees everything; a participant sees their own work, and the others' once the
    activity is not blind, or revealed, or (in an exercise) once they have submitted; the answer
    key only after the reveal. Nobody else sees anything of it.
    """
    if not user.is_authenticated:
        return NOTHING
    if activity.owner_id == user.pk:
        return Q()
    participation = activity.participations.filter(user=user).first()
    if participation is None:
        return NOTHING
    peers_visible = (
        not activity.blind
        or activity.revealed
        or (activity.kind == Activity.Kind.EXERCISE and participation.submitted_at is not None)
    )
    visible = Q(annotator=user, layer=Layer.INDIVIDUAL)
    if peers_visible:
        visible |= Q(layer=Layer.INDIVIDUAL)
    if activity.revealed:
        visible |= Q(layer=Layer.KEY)
    if activity.kind == Activity.Kind.REVIEW and peers_visible:
        # The consensus copies reviewers' work (notes included): blind until the reveal, like it.
        visible |= Q(layer=Layer.CONSENSUS)
    return visible
