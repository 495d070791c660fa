"""Failed sign-ins, counted in the database so that every app server enforces one limit."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """A counted attempt (a failed sign-in or join code, a sign-up...) for sinorus.throttle."""

    kind = models.CharField(max_length=16, default="signin")
    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip} at {self.at}"
