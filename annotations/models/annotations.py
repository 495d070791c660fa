"""Annotations (highlights with a tag and a note), who may see them, and their threads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from annotations.models.activities import Activity
from annotations.models.fields import SanitizedHTMLField
from annotations.models.tags import Tag
from annotations.models.visibility import Layer, seen_in_activity
from articles.models import Revision


class AnnotationQuerySet(models.QuerySet):
    def alive(self) -> AnnotationQuerySet:
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user, activity: Activity | None = None) -> AnnotationQuerySet:
        """Live annotations `user` may see, in the public layer or in one activity.

        Public annotations (no activity) are seen by everyone, as in Hypothesis. In an activity
        the owner sees everything; a participant sees their own work, and the others' once the
        activity is not blind, or revealed, or (in an exercise) once they have submitted; the
        answer key only after the reveal. Nobody else sees anything of it.
        """
        rows = self.alive().select_related("annotator", "tag")
        if activity is None:
            return rows.filter(activity__isnull=True)
        return rows.filter(activity=activity).filter(seen_in_activity(user, activity))

    def in_document_order(self) -> AnnotationQuerySet:
        return self.order_by("start", "-end", "pk")


class Annotation(models.Model):
    """A highlighted span of one article revision, tagged by one person."""

    MAX_NOTE = 5000
    MAX_SPAN = 5000
    CONTEXT = 32

    Layer = Layer

    # No index of their own for revision and activity: annotation_revision_start and
    # annotation_activity_revision begin with them. Every index is written on every create.
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="annotations", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="annotations")
    note = SanitizedHTMLField(blank=True)
    start = models.PositiveIntegerField()  # Unicode code points into revision.text
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=CONTEXT, blank=True)
    suffix = models.CharField(max_length=CONTEXT, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Defaults rather than auto_now: an import keeps the times the file gives; writes set them.
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations", db_index=False
    )
    layer = models.CharField(max_length=12, choices=Layer.choices, default=Layer.INDIVIDUAL)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions")
    thread_resolved_at = models.DateTimeField(null=True, blank=True)
    # Free labels beside the tag: an imported file's tags that are not in the tag set.
    labels = models.JSONField(default=list, blank=True)
    # The id an imported annotation had in its file, so that importing the file again skips it.
    import_key = models.CharField(max_length=300, blank=True, db_index=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "-end", "pk"]
        permissions = [
            ("export_corpus", "Can export and import annotated corpora"),
            ("correct_text", "Can correct an article's text"),
        ]
        indexes = [
            models.Index(fields=["revision", "start"], name="annotation_revision_start"),
            models.Index(fields=["activity", "revision"], name="annotation_activity_revision"),
            # The API's pages and the reader walk a revision's live annotations in document order:
            # with this index a page deep into 100,000 is an index walk, not a sort of them all.
            # It also holds every column the reader's highlights and visibility rules read (tag,
            # annotator, layer), so the reader reads 100,000 annotations from the index alone.
            models.Index(
                fields=["revision", "activity", "start", "-end", "id", "tag", "annotator", "layer"],
                condition=Q(deleted_at__isnull=True),
                name="annotation_document_order",
            ),
        ]
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


class Reply(models.Model):
    """A reply in an annotation's discussion thread."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = SanitizedHTMLField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reply by {self.author} on {self.annotation_id}"


class Decision(models.Model):
    """An editor's adjudication of one reviewer annotation."""

    class Verdict(models.TextChoices):
        ACCEPT = "accept", "accepted"
        REJECT = "reject", "rejected"
        RELABEL = "relabel", "relabelled"

    annotation = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="decision")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.verdict} {self.annotation_id}"

    @property
    def seen_as(self) -> str:
        """This verdict as a page showed it: a form posts it back, and a verdict given since is told."""
        return f"{self.pk}:{self.decided_at.isoformat()}"


class AuditEvent(models.Model):
    """Who created, changed, accepted or rejected what, and when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    action = models.CharField(max_length=40)
    annotation_id_ref = models.BigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.annotation_id_ref}"
