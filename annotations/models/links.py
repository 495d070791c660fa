"""Links: a reader's statement that two passages of different articles belong together, and how."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from annotations.models.activities import Activity
from annotations.models.fields import SanitizedHTMLField
from annotations.models.visibility import Layer, seen_in_activity
from articles.models import Revision


class LinkQuerySet(models.QuerySet):
    def alive(self) -> LinkQuerySet:
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user, activity: Activity | None = None) -> LinkQuerySet:
        """Live links `user` may see, under the same rule as annotations (see `seen_in_activity`)."""
        ends = LinkEnd.objects.select_related("revision").only(*LinkEnd.SHOWN).order_by("position")
        rows = self.alive().select_related("annotator").prefetch_related(models.Prefetch("ends", queryset=ends))
        if activity is None:
            return rows.filter(activity__isnull=True)
        return rows.filter(activity=activity).filter(seen_in_activity(user, activity))

    def touching(self, revision_ids) -> LinkQuerySet:
        """Links with an end on one of these revisions."""
        return self.filter(pk__in=LinkEnd.objects.filter(revision_id__in=revision_ids).values("link_id"))


class Link(models.Model):
    """Two passages of different articles that one person links, with the kind of link and a note.

    A link is an annotation with two targets (W3C motivation `linking`): it lives in the public
    layer or in one activity, in a layer, and is seen under the same rules as highlights.
    """

    MAX_NOTE = 5000

    class Kind(models.TextChoices):
        SAME_EVENT = "same-event", "same event"
        SAME_POINT = "same-point", "same point"
        CONTRADICTS = "contradicts", "contradicts"
        ADDS_DETAIL = "adds-detail", "adds detail"

    Layer = Layer

    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = SanitizedHTMLField(blank=True)
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    layer = models.CharField(max_length=12, choices=Layer.choices, default=Layer.INDIVIDUAL)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["activity", "layer"], name="link_activity_layer")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.annotator_id}"

    @property
    def lost(self) -> bool:
        """Whether an end could not follow its article to a new revision (see LinkEnd.lost_reason)."""
        return any(end.lost_reason for end in self.ends.all())


class LinkEnd(models.Model):
    """One of a link's two passages: a span of one article revision, anchored like a highlight."""

    CONTEXT = 32
    # What pages show of an end: its quote and its article's title and revision, not the whole text.
    SHOWN = (
        *("link", "position", "revision", "start", "end", "exact", "prefix", "suffix", "lost_reason"),
        *("revision__article_id", "revision__title", "revision__number"),
    )

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="ends")
    position = models.PositiveSmallIntegerField()  # 0 or 1: the order the annotator chose them in
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="link_ends")
    start = models.PositiveIntegerField()  # Unicode code points into revision.text
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=CONTEXT, blank=True)
    suffix = models.CharField(max_length=CONTEXT, blank=True)
    # Why this end stayed on an older revision: its text is gone from the article's new one.
    lost_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["link_id", "position"]
        indexes = [models.Index(fields=["revision", "start"], name="link_end_revision_start")]
        constraints = [
            models.UniqueConstraint(fields=["link", "position"], name="link_end_once"),
            models.CheckConstraint(condition=Q(position__lte=1), name="link_end_two_ends"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="link_end_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}:{self.start}-{self.end}"

    def get_absolute_url(self) -> str:
        return reverse("annotations:reader", args=[self.revision.article_id]) + f"#l{self.link_id}"
