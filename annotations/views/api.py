"""JSON API, one representation: W3C Web Annotation JSON-LD.

GET/POST /api/articles/<id>/annotations, GET/PATCH/DELETE /api/annotations/<id>.
Browsers authenticate with the session (and CSRF); scripts with `Authorization: Token ...`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps

import orjson
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from annotations.access import (
    activity_from_request,
    activity_includes_article,
    annotating_layer,
    annotation_for_editing,
    annotation_for_reading,
)
from annotations.formats import w3c
from annotations.models import Annotation
from annotations.services.annotations import VersionConflict, annotation_create, annotation_delete, annotation_update
from annotations.services.tokens import token_user
from annotations.text.spans import SpanError
from articles.access import article_for_reading, revision_for_reading

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
            except (SpanError, w3c.FormatError) as exc:
                return error_response(400, str(exc), exc.field)
            except Http404:
                return error_response(404, "not found")
            except PermissionDenied as exc:
                return error_response(403, str(exc) or "not allowed")

        return wrapper

    return decorator


def _payload(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY:
        raise ApiError(413, f"request body is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"body is not valid JSON: {exc}", "body") from exc
    return w3c.parse(data)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _doc(annotation: Annotation, base: str) -> dict:
    revision = annotation.revision
    username = annotation.annotator.username
    return w3c.annotation_doc(
        url=base + reverse("annotations:api_annotation", args=[annotation.pk]),
        source=f"{base}/articles/{revision.article_id}/?revision={revision.number}",
        creator=username, creator_url=f"{base}/users/{username}", tag=annotation.tag.slug, note=annotation.note,
        start=annotation.start, end=annotation.end, exact=annotation.exact, prefix=annotation.prefix,
        suffix=annotation.suffix, created=annotation.created_at, modified=annotation.modified_at,
        version=annotation.version,
    )  # fmt: skip


def _one(annotation: Annotation, request: HttpRequest, status: int = 200) -> HttpResponse:
    doc = _doc(annotation, _base(request))
    return json_response(doc, status=status, ETag=f'"{annotation.version}"', Location=doc["id"])


@api_endpoint("GET", "POST")
def article_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk, light=True)
    revision = revision_for_reading(article, request.GET.get("revision"))
    activity = activity_from_request(request)
    if not activity_includes_article(activity, article):
        raise Http404("This article is not part of the activity.")
    if request.method == "POST":
        layer = annotating_layer(request.user, activity) if activity else "individual"
        data = _payload(request)
        if (
            activity is not None
            and isinstance(data.get("tag"), str)
            and not activity.tags.filter(slug=data["tag"].strip().lower()).exists()
        ):
            raise ApiError(400, f"tag: {data['tag']!r} is not in this activity's tag set", "tag")
        annotation = annotation_create(
            user=request.user,
            revision=revision,
            start=data.get("start"),
            end=data.get("end"),
            exact=data.get("exact"),
            tag=data.get("tag"),
            note=data.get("note", ""),
            prefix=data.get("prefix", ""),
            suffix=data.get("suffix", ""),
            activity=activity,
            layer=layer,
        )
        annotation.revision = revision
        return _one(annotation, request, status=201)
    return json_response(_collection(request, revision, activity))


def _timestamp(value) -> str | datetime:
    """A raw timestamp column as RFC 3339: SQLite gives 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC."""
    if isinstance(value, str):
        return value[:10] + "T" + value[11:19] + "+00:00"
    return value.replace(microsecond=0)


def _collection(request: HttpRequest, revision, activity=None) -> dict:
    """All visible annotations of a revision as an AnnotationCollection with one embedded page.

    Built from value tuples, not model instances: this list is the hot path of the API.
    """
    rows = Annotation.objects.visible_to(request.user, activity).filter(revision=revision)
    if layer := request.GET.get("layer"):
        rows = rows.filter(layer=layer)
    if tag := request.GET.get("tag"):
        rows = rows.filter(tag__slug=tag)
    if request.GET.get("mine") and request.user.is_authenticated:
        rows = rows.filter(annotator=request.user)
    elif user := request.GET.get("user"):
        rows = rows.filter(annotator__username=user)
    base = _base(request)
    api_prefix = base + reverse("annotations:api_annotation", args=[0])[:-1]
    source = f"{base}/articles/{revision.article_id}/?revision={revision.number}"
    fields = ("pk", "annotator__username", "tag__slug", "note", "start", "end", "exact", "prefix", "suffix",
              "created_at", "modified_at", "version")  # fmt: skip
    sql, params = rows.order_by("start", "-end", "pk").values_list(*fields).query.sql_with_params()
    items = []
    # Raw rows skip Django's per-value datetime converters, a third of this list's time.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, username, tag, note, start, end, exact, prefix, suffix, created, modified, version in cursor:
            items.append(
                w3c.annotation_doc(
                    url=f"{api_prefix}{pk}",
                    source=source,
                    creator=username,
                    creator_url=f"{base}/users/{username}",
                    tag=tag,
                    note=note,
                    start=start,
                    end=end,
                    exact=exact,
                    prefix=prefix,
                    suffix=suffix,
                    created=_timestamp(created),
                    modified=_timestamp(modified),
                    version=version,
                )  # fmt: skip
            )
    url = request.build_absolute_uri()
    return {
        "@context": w3c.CONTEXT,
        "id": url,
        "type": "AnnotationCollection",
        "label": f"Annotations on {revision.title}",
        "total": len(items),
        "first": {
            "id": url + ("&" if "?" in url else "?") + "page=0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


@api_endpoint("GET", "PATCH", "DELETE")
def annotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _one(annotation_for_reading(request.user, pk), request)
    annotation = annotation_for_editing(request.user, pk)
    if request.method == "DELETE":
        annotation_delete(annotation=annotation)
        return HttpResponse(status=204)
    data = _payload(request)
    version = data.get("version")
    if version is None and (match := request.headers.get("If-Match", "").strip('" W/')):
        version = int(match) if match.isdigit() else match
    if any(key in data for key in ("start", "end", "exact")):
        raise ApiError(400, "the span of an annotation cannot be changed; delete it and create another", "start")
    try:
        updated = annotation_update(annotation=annotation, version=version, tag=data.get("tag"), note=data.get("note"))
    except VersionConflict as exc:
        base = _base(request)
        return json_response(
            {
                "error": f"version {version} is stale; the annotation is at version {exc.current.version}",
                "field": "version",
                "current": _doc(exc.current, base),
            },
            status=409,
        )
    return _one(updated, request)
