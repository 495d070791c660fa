"""Throttling of guessable requests: sign-in, join codes, sign-up and password-reset mail.

Each attempt that counts is a row in the database (not one server's memory), so every app server
behind the same database enforces the same limits. Two limits apply to each kind of attempt:

- per key (a normalized account name, a user, an e-mail address): a fixed number of failures in
  the window, after which that key waits until the oldest of them leaves the window;
- per client address: a number of free failures in the window, after which each further one
  doubles the wait (2 s, 4 s, 8 s ... up to the window). One noisy address slows itself down and
  nobody else, which matters when a whole class shares one network.

The client address is `client_ip(request)`, the one place that reads `REMOTE_ADDR` and
`X-Forwarded-For`.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

KEEP = timedelta(days=1)  # rows older than this are deleted as new ones are written


@dataclass(frozen=True)
class Rule:
    kind: str
    per_key: int  # failures one key may have in the window; 0: not limited per key
    free_per_address: int  # failures from one address before it backs off
    window: timedelta = timedelta(minutes=15)


SIGN_IN = Rule("signin", per_key=5, free_per_address=20)
JOIN = Rule("join", per_key=10, free_per_address=30)
# Every sign-up counts, not only refused ones; a class signing up together shares one address.
SIGN_UP = Rule("signup", per_key=0, free_per_address=40, window=timedelta(hours=1))
PASSWORD_RESET = Rule("reset", per_key=3, free_per_address=10, window=timedelta(hours=1))


def name_key(name: str) -> str:
    """Return the form of an account name that throttling counts: NFKC, stripped, case-folded.

    The sign-in form normalizes (NFKC) and strips the name before looking the account up, so
    " student3", "student3 " and "ｓｔｕｄｅｎｔ３" all try the password of student3.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).strip().casefold())
    return folded[:150]


def _address(value: str) -> str:
    """Return a canonical address ('' if `value` is none); IPv6 counts per /64, what one host gets."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address.

    With TRUSTED_PROXY_HOPS = n (proxies we run, in front of the app), each of them appends the
    address it received the request from to X-Forwarded-For, so the n-th entry from the right is
    the client as our outermost proxy saw it; entries further left are whatever the client sent
    and are never trusted. Without trusted proxies, or when the header is shorter than the chain
    (the request bypassed a proxy), the address is REMOTE_ADDR.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return _address(forwarded[-hops]) or remote


def wait_seconds(rule: Rule, *, key: str = "", ip: str = "") -> int:
    """Return how long the caller must wait before another attempt (0: go ahead)."""
    from annotations.models import LoginFailure

    now = timezone.now()
    recent = LoginFailure.objects.filter(kind=rule.kind, at__gte=now - rule.window)
    wait = 0.0
    if key and rule.per_key:
        times = list(recent.filter(username=key).order_by("-at").values_list("at", flat=True)[: rule.per_key])
        if len(times) >= rule.per_key:
            wait = (times[-1] + rule.window - now).total_seconds()
    if ip:
        times = list(recent.filter(ip=ip).order_by("-at").values_list("at", flat=True))
        over = len(times) - rule.free_per_address
        if over >= 0:
            delay = min(2.0 ** (over + 1), rule.window.total_seconds())
            wait = max(wait, (times[0] + timedelta(seconds=delay) - now).total_seconds())
    return max(0, math.ceil(wait))


def record(rule: Rule, *, key: str = "", ip: str = "") -> None:
    """Count one failed (or, for sign-up, any) attempt."""
    from annotations.models import LoginFailure

    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - KEEP).delete()
    LoginFailure.objects.create(kind=rule.kind, username=key[:150], ip=ip[:45], at=now)


def in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def too_many(request: HttpRequest, message: str, seconds: int) -> HttpResponse:
    """A 429 page that says what was refused and when to try again."""
    response = render(request, "429.html", {"message": message, "wait": in_words(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def refusal(request: HttpRequest, rule: Rule, *, key: str, message: str) -> HttpResponse | None:
    """Return a 429 page if this key or the client's address must wait, else None."""
    wait = wait_seconds(rule, key=key, ip=client_ip(request))
    return too_many(request, message, wait) if wait else None


def failed(request: HttpRequest, rule: Rule, *, key: str) -> None:
    record(rule, key=key, ip=client_ip(request))


def user_key(request: HttpRequest) -> str:
    return f"user:{request.user.pk}"
