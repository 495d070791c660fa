"""Small factories the tests share (fixtures live in the conftest files)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from annotations.models import Tag
from annotations.services.activities import activity_create


def make_activity(owner, articles, *, kind="exercise", blind=True, opens=-1, closes=7, title=None):
    """An activity of `owner` on `articles` with the public tags, open from `opens` to `closes` days from now."""
    now = timezone.now()
    return activity_create(
        owner=owner,
        kind=kind,
        title=title or f"{kind} one",
        instructions="Tag every claim.",
        articles=articles,
        tags=Tag.objects.public(),
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        blind=blind,
    )
