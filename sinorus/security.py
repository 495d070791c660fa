"""Sign-in throttling and the database-unavailable page.

Failed sign-ins are counted in the database (not in one server's memory), so every app server
behind the same database enforces the same limit.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

MAX_FAILURES = 5  # per account name
MAX_FAILURES_PER_IP = 20  # across names, against password spraying
WINDOW = timedelta(minutes=15)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:45]


def throttled(username: str, ip: str) -> bool:
    from annotations.models import LoginFailure

    recent = LoginFailure.objects.filter(at__gte=timezone.now() - WINDOW)
    if recent.filter(username__iexact=username).count() >= MAX_FAILURES:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= MAX_FAILURES_PER_IP


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to even check a password after five failures for that name in fifteen minutes."""

    def clean(self):
        username = (self.data.get("username") or "")[:150]
        if throttled(username, client_ip(self.request) if self.request else ""):
            raise ValidationError(
                "Too many failed sign-ins for this account. Wait 15 minutes and try again.", code="throttled"
            )
        try:
            return super().clean()
        except ValidationError:
            from annotations.models import LoginFailure

            LoginFailure.objects.create(username=username, ip=client_ip(self.request) if self.request else "")
            raise


class DatabaseUnavailableMiddleware:
    """A clear 503 page (and Retry-After) while the database is down; Django reconnects by itself."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) and _is_connection_problem(exception):
            body = render_to_string("503.html")
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "5"
            return response
        return None


def _is_connection_problem(exc: DatabaseError) -> bool:
    text = str(exc).lower()
    return any(
        marker in text
        for marker in (
            "connection",
            "connect",
            "server closed",
            "terminating",
            "database is locked",
            "unable to open",
            "the database system",
        )
    )
