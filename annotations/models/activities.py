"""Exercises and review sessions: who takes part, what was decided, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from annotations.models.tags import Tag


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
    asks_links = models.BooleanField(default=False)  # students link passages across articles, scored on the dashboard
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

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers its work is in: each participant's, and the owner's answer key (an exercise)
        or consensus (a review session). An annotation in another layer is seen by nobody here."""
        return ("individual", "key") if self.kind == self.Kind.EXERCISE else ("individual", "consensus")


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
