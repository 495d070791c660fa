"""Sign-in and password-reset throttling, mail-only pages, private files, the database-unavailable page.

The counting itself is in `sinorus.throttle`.
"""

from __future__ import annotations

import os
from functools import wraps
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sinorus.throttle import PASSWORD_RESET, SIGN_IN, client_ip, in_words, name_key, record, too_many, wait_seconds


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to even check a password after five failures for a name (NFKC, stripped, case-folded)
    in fifteen minutes, or while the client's address is backing off after many failures."""

    def clean(self):
        key = name_key((self.data.get("username") or "")[:150])
        ip = client_ip(self.request) if self.request else ""
        if wait := wait_seconds(SIGN_IN, key=key, ip=ip):
            self.retry_after = wait  # the 429's Retry-After
            raise ValidationError(
                f"Too many failed sign-ins for this account or from your network. Try again in {in_words(wait)}.",
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            record(SIGN_IN, key=key, ip=ip)
            raise


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in, under the same counters as the site's."""


class LoginView(auth_views.LoginView):
    """Sign-in: throttled (429 when refused for that reason); offers password reset only when mail works."""

    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, password_reset=mail_configured())

    def get_redirect_url(self) -> str:
        """Where to go once signed in; a `next` that is itself the sign-in page (its "Sign in" link
        followed from the sign-in page) stands for the page it would go on to, not for the form again."""
        url = super().get_redirect_url()
        login = reverse("login")
        for _ in range(10):
            parts = urlsplit(url)
            if parts.path != login:
                return url
            url = parse_qs(parts.query).get(self.redirect_field_name, [""])[0]
            safe = url_has_allowed_host_and_scheme(
                url, allowed_hosts=self.get_success_url_allowed_hosts(), require_https=self.request.is_secure()
            )
            url = url if safe else ""
        return ""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(getattr(form, "retry_after", 60))
        return response


def mail_configured() -> bool:
    return "default" in settings.MAILERS


def mail_required(view):
    """404 for a page that sends mail when no mail server is configured: its mail could never leave."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not mail_configured():
            raise Http404("This server sends no mail; ask an instructor to reset your password.")
        return view(request, *args, **kwargs)

    return wrapped


class PasswordResetView(auth_views.PasswordResetView):
    """Sends reset mail, at most three to one address an hour and few from one client address."""

    def post(self, request, *args, **kwargs):
        key, ip = name_key(request.POST.get("email", "")[:254]), client_ip(request)
        if wait := wait_seconds(PASSWORD_RESET, key=key, ip=ip):
            return too_many(request, "Too many password-reset mails were asked for.", wait)
        record(PASSWORD_RESET, key=key, ip=ip)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password: the old password is a guess like a sign-in (a borrowed session could
    try them all), so wrong ones count against the account's sign-in failures."""

    def post(self, request, *args, **kwargs):
        if wait := wait_seconds(SIGN_IN, key=name_key(request.user.get_username()), ip=client_ip(request)):
            return too_many(request, "Too many wrong passwords for this account.", wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password"):
            record(SIGN_IN, key=name_key(self.request.user.get_username()), ip=client_ip(self.request))
        return super().form_invalid(form)


def private_opener(path, flags: int) -> int:
    """An `opener` for open() that creates the file readable and writable by its owner only (0600)."""
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # a file that already existed keeps its old mode otherwise
    return fd


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


class MethodNotAllowedPage:
    """A page that says why, not a browser's blank error, when an address that only takes a form's
    submission is opened (a bookmarked or typed delete address). The Allow header stays."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content or request.path.startswith("/api/"):
            return response
        allowed = response.get("Allow", "")
        page = HttpResponse(render_to_string("405.html", {"allowed": allowed}, request=request), status=405)
        page["Allow"] = allowed
        return page
