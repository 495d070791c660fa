"""Tags: the labels a highlight can carry."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TagQuerySet(models.QuerySet):
    def public(self) -> TagQuerySet:
        """The tags everyone sees: the defaults and any an administrator added, not an activity's own."""
        return self.filter(owner__isnull=True)

    def usable_by(self, user) -> TagQuerySet:
        """What `user` may put in an activity's tag set: the public tags and their own."""
        return (
            self.filter(models.Q(owner__isnull=True) | models.Q(owner=user)) if user.is_authenticated else self.public()
        )


class Tag(models.Model):
    """A label a highlight can carry; the four defaults are created by a data migration."""

    MAX_NAME, MAX_DEFINITION = 60, 300

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=MAX_NAME)
    definition = models.CharField(max_length=MAX_DEFINITION)
    key = models.CharField(max_length=1, blank=True, help_text="Keyboard shortcut in the reader.")
    colour = models.CharField(max_length=7, default="#56b4e9")
    underline = models.CharField(
        max_length=10,
        choices=[
            ("solid", "solid"),
            ("dashed", "dashed"),
            ("dotted", "dotted"),
            ("wavy", "wavy"),
            ("double", "double"),
        ],
        default="solid",
    )
    order = models.PositiveSmallIntegerField(default=0)
    # An instructor's custom tag belongs to them and shows only in their activities.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name
