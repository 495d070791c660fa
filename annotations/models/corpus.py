"""Orphans: annotations an import or a text correction could not anchor, kept until resolved."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotations.models.activities import Activity
from annotations.models.annotations import Annotation
from annotations.models.fields import SanitizedHTMLField


class Orphan(models.Model):
    """An annotation that could not be anchored (on import, or after a text correction). Never dropped."""

    class Origin(models.TextChoices):
        IMPORT = "import", "import"
        CORRECTION = "correction", "text correction"
        REVISION = "revision", "new revision"

    class Resolution(models.TextChoices):
        REATTACHED = "reattached", "re-attached"
        DISMISSED = "dismissed", "dismissed"

    origin = models.CharField(max_length=12, choices=Origin.choices)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="orphans"
    )
    source_annotation = models.ForeignKey(
        Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="orphans")
    layer = models.CharField(max_length=12, default=Annotation.Layer.INDIVIDUAL)
    tag = models.CharField(max_length=60, blank=True)
    note = SanitizedHTMLField(blank=True)
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=300)
    payload = models.JSONField(default=dict, blank=True)  # the annotation as it came in
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True, choices=Resolution.choices)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"orphan {self.pk}: {self.exact[:40]}"
