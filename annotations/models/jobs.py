"""Background jobs and their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


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
    # The worker running the job touches this every few seconds; a job whose heartbeat stopped had
    # its worker die under it, and is queued again (or failed, after `MAX_ATTEMPTS`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    MAX_ATTEMPTS = 2

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("annotations:job", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.step / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
