from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Revision


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


class AnnotationQuerySet(models.QuerySet):
    def alive(self) -> AnnotationQuerySet:
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user) -> AnnotationQuerySet:
        """Annotations a user may see: for now every live annotation is public, as in Hypothesis."""
        return self.alive().select_related("annotator", "tag")

    def in_document_order(self) -> AnnotationQuerySet:
        return self.order_by("start", "-end", "pk")


class Annotation(models.Model):
    """A highlighted span of one article revision, tagged by one person."""

    MAX_NOTE = 5000
    MAX_SPAN = 5000
    CONTEXT = 32

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="annotations")
    note = models.TextField(blank=True)  # sanitized HTML, see annotations.sanitize
    start = models.PositiveIntegerField()  # Unicode code points into revision.text
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=CONTEXT, blank=True)
    suffix = models.CharField(max_length=CONTEXT, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "-end", "pk"]
        indexes = [models.Index(fields=["revision", "start"], name="annotation_revision_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="annotation_span_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} by {self.annotator}: {self.exact[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("annotations:reader", args=[self.revision.article_id]) + f"#a{self.pk}"

    def api_url(self) -> str:
        return reverse("annotations:api_annotation", args=[self.pk])


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
