"""Tags: the labels a highlight can carry."""

from __future__ import annotations

from django.db import models


class Tag(models.Model):
    """A label a highlight can carry; the four defaults are created by a data migration."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    definition = models.CharField(max_length=300)
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

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name
