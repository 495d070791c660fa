"""The API's small plumbing: JSON responses and errors, token or session authentication, body parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

import orjson
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_script_prefix
from django.views.decorators.csrf import csrf_exempt

from annotations.formats import w3c_read
from annotations.services.annotations import RevisionSuperseded
from annotations.services.tokens import token_user
from annotations.text.spans import SpanError

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 64 * 1024


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def json_response(data, status: int = 200, **headers) -> HttpResponse:
    # orjson: the 4,000-annotation list serializes in a few milliseconds instead of tens.
    body = orjson.dumps(data, option=orjson.OPT_OMIT_MICROSECONDS | orjson.OPT_NON_STR_KEYS)
    response = HttpResponse(body, status=status, content_type=JSONLD if status < 400 else "application/json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(status: int, message: str, field: str | None = None) -> HttpResponse:
    body = {"error": message}
    if field:
        body["field"] = field
    return json_response(body, status=status)


def _csrf_failure(request: HttpRequest) -> str | None:
    checker = CsrfViewMiddleware(lambda r: HttpResponse())
    rejected = checker.process_view(request, None, (), {})
    return None if rejected is None else "CSRF check failed: send the x-csrftoken header, or use an API token"


def api_endpoint(*methods: str) -> Callable:
    """Method check, token or session authentication, CSRF for sessions, JSON errors."""

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = error_response(405, f"method {request.method} not allowed")
                response["Allow"] = ", ".join(methods)
                return response
            header = request.headers.get("Authorization", "")
            if header:
                scheme, _, secret = header.partition(" ")
                if scheme.lower() != "token" or not secret.strip():
                    return error_response(401, "Authorization header must be 'Token <secret>'")
                user = token_user(secret.strip())
                if user is None:
                    return error_response(401, "the API token is invalid or revoked")
                request.user = user
            elif (
                request.method not in SAFE_METHODS
                and request.user.is_authenticated
                and (failure := _csrf_failure(request))
            ):
                return error_response(403, failure)
            if request.method not in SAFE_METHODS and not request.user.is_authenticated:
                return error_response(401, "sign in or send an API token to change annotations")
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(exc.status, exc.message, exc.field)
            except RevisionSuperseded as exc:
                body = {
                    "error": str(exc),
                    "field": "revision",
                    "current_revision": exc.current.pk,
                    "current_revision_number": exc.current.number,
                }
                return json_response(body, status=409)
            except (SpanError, w3c_read.FormatError) as exc:
                return error_response(400, str(exc), exc.field)
            except (Http404, ObjectDoesNotExist):  # the latter: gone between the checks and the write
                return error_response(404, "not found")
            except PermissionDenied as exc:
                return error_response(403, str(exc) or "not allowed")

        return wrapper

    return decorator


MAX_DEPTH = 32  # W3C annotations nest a few levels; a body of 60,000 "[" is an attack, not an annotation


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def json_payload(request: HttpRequest) -> dict:
    """The request body as W3C fields; raise ApiError(400) for anything that is not a plain JSON annotation."""
    if len(request.body) > MAX_BODY:
        raise ApiError(413, f"request body is larger than {MAX_BODY} bytes")
    try:
        text = request.body.decode("utf-8") or "null"
        # Fewer brackets than the limit cannot nest past it: most bodies skip the scan.
        if text.count("[") + text.count("{") > MAX_DEPTH and _nesting(text) > MAX_DEPTH:
            raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
        data = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeError, ValueError, RecursionError) as exc:  # JSONDecodeError and 5,000-digit integers too
        raise ApiError(400, f"body is not valid JSON: {str(exc)[:200]}", "body") from exc
    if (field := _field_with_lone_surrogate(data)) is not None:
        raise ApiError(400, f"{field}: contains a character that is not valid text (a lone surrogate or NUL)", field)
    try:
        return w3c_read.parse(data)
    except (TypeError, AttributeError, KeyError) as exc:
        raise ApiError(400, f"body is not a W3C annotation this API understands: {str(exc)[:200]}", "body") from exc


def _field_with_lone_surrogate(value, name: str = "body") -> str | None:
    """The name of the first field holding a lone surrogate ("\\ud800"), which no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return name
        return name if "\x00" in value else None  # NUL: PostgreSQL refuses it in text and JSON
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if (found := _field_with_lone_surrogate(key if isinstance(key, str) else "", name)) is not None:
            return found
        if (found := _field_with_lone_surrogate(item, key if isinstance(key, str) else name)) is not None:
            return found
    return None


def _nesting(text: str) -> int:
    """The deepest nesting of brackets outside strings, counted in one pass without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def site_base(request: HttpRequest) -> str:
    """Where the site's paths begin, with no trailing slash: the scheme, the host and the prefix
    the site is served under (SCRIPT_NAME), so that `base + "/articles/..."` is an address that works."""
    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


def page_number(request: HttpRequest) -> int | None:
    """?page= as a number (None when absent); ApiError 400 for anything else."""
    value = request.GET.get("page")
    if value is None:
        return None
    if not value.isdecimal() or len(value) > 9:
        raise ApiError(400, "page must be a page number: 0, 1, 2 ...", "page")
    return int(value)
