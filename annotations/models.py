from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from annotations.fields import SanitizedHTMLField
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


class Activity(models.Model):
    """A classroom exercise or an editorial review session on some articles."""

    class Kind(models.TextChoices):
        EXERCISE = "exercise", "classroom exercise"
        REVIEW = "review", "review session"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_activities")
    articles = models.ManyToManyField("articles.Article", related_name="activities")
    tags = models.ManyToManyField(Tag, related_name="activities")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    blind = models.BooleanField(default=True)
    join_code = models.CharField(max_length=12, unique=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="activity_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annotations:activity", args=[self.pk])

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


class Participation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    joined_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="participation_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.activity}"


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
        rows = rows.filter(activity=activity)
        if not user.is_authenticated:
            return rows.none()
        if activity.owner_id == user.pk:
            return rows
        participation = activity.participations.filter(user=user).first()
        if participation is None:
            return rows.none()
        own = Q(annotator=user, layer=Annotation.Layer.INDIVIDUAL)
        peers_visible = (
            not activity.blind
            or activity.revealed
            or (activity.kind == Activity.Kind.EXERCISE and participation.submitted_at is not None)
        )
        visible = own
        if peers_visible:
            visible |= Q(layer=Annotation.Layer.INDIVIDUAL)
        if activity.revealed:
            visible |= Q(layer=Annotation.Layer.KEY)
        if activity.kind == Activity.Kind.REVIEW:
            visible |= Q(layer=Annotation.Layer.CONSENSUS)
        return rows.filter(visible)

    def in_document_order(self) -> AnnotationQuerySet:
        return self.order_by("start", "-end", "pk")


class Annotation(models.Model):
    """A highlighted span of one article revision, tagged by one person."""

    MAX_NOTE = 5000
    MAX_SPAN = 5000
    CONTEXT = 32

    class Layer(models.TextChoices):
        INDIVIDUAL = "individual", "individual"
        KEY = "key", "answer key"
        CONSENSUS = "consensus", "consensus"

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="annotations")
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
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations")
    layer = models.CharField(max_length=12, choices=Layer.choices, default=Layer.INDIVIDUAL)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions")
    thread_resolved_at = models.DateTimeField(null=True, blank=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "-end", "pk"]
        indexes = [
            models.Index(fields=["revision", "start"], name="annotation_revision_start"),
            models.Index(fields=["activity", "revision"], name="annotation_activity_revision"),
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


class Orphan(models.Model):
    """An annotation that could not be anchored (on import, or after a text correction). Never dropped."""

    class Origin(models.TextChoices):
        IMPORT = "import", "import"
        CORRECTION = "correction", "text correction"

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
    layer = models.CharField(max_length=12, default="individual")
    tag = models.CharField(max_length=60, blank=True)
    note = SanitizedHTMLField(blank=True)
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=300)
    payload = models.JSONField(default=dict, blank=True)  # the annotation as it came in
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True)  # "reattached" or "dismissed"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"orphan {self.pk}: {self.exact[:40]}"


class LoginFailure(models.Model):
    """A counted attempt (a failed sign-in or join code, a sign-up...) for sinorus.throttle."""

    kind = models.CharField(max_length=16, default="signin")
    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip} at {self.at}"


class Job(models.Model):
    """Long work done off the request by the task worker, with progress for the page to show."""

    class Kind(models.TextChoices):
        ALIGN = "align", "alignment"
        EXPORT = "export", "export"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    step = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("annotations:job", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.step / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
