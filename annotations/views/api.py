"""JSON API, one representation: W3C Web Annotation JSON-LD.

GET/POST /api/articles/<id>/annotations, GET/PATCH/DELETE /api/annotations/<id>.
Browsers authenticate with the session (and CSRF); scripts with `Authorization: Token ...`.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse

from annotations.access import (
    activity_from_request,
    activity_includes_article,
    annotating_layer,
    annotation_for_editing,
    annotation_for_reading,
    annotation_for_removing,
)
from annotations.formats import w3c
from annotations.models import Annotation
from annotations.services.annotations import VersionConflict, annotation_create, annotation_update
from annotations.services.deletions import annotation_delete
from annotations.views.api_checks import check_source, if_match
from annotations.views.api_json import ApiError, api_endpoint, json_payload, json_response, page_number, site_base
from articles.access import article_for_reading, current_revision_for_reading, revision_for_reading


def _doc(annotation: Annotation, base: str) -> dict:
    """One annotation as the API shows it: the same builder as the list's rows."""
    revision = annotation.revision
    row = {
        column: getattr(annotation, column)
        for column in (
            "pk",
            "note",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "created_at",
            "modified_at",
            "version",
        )
    }
    row |= {"annotator__username": annotation.annotator.username, "tag__slug": annotation.tag.slug}
    api_prefix = base + _annotation_path()
    return _row_doc(row, base, api_prefix, w3c.revision_source(base, revision.article_id, revision.number))


def _annotation_path() -> str:
    """The path of an annotation without its id, after the site's base: `/api/annotations/`."""
    prefix = get_script_prefix()
    path = _annotation_paths.get(prefix)
    if path is None:  # reversing costs more than the rest of building a response's id
        path = _annotation_paths[prefix] = "/" + reverse("annotations:api_annotation", args=[0])[len(prefix) : -1]
    return path


_annotation_paths: dict[str, str] = {}


def _one(annotation: Annotation, request: HttpRequest, status: int = 200) -> HttpResponse:
    doc = _doc(annotation, site_base(request))
    return json_response(doc, status=status, ETag=f'"{annotation.version}"', Location=doc["id"])


@api_endpoint("GET", "POST")
def article_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    if number := request.GET.get("revision"):
        revision = revision_for_reading(article_for_reading(pk, light=True), number)
    else:
        revision = current_revision_for_reading(pk)
    activity = activity_from_request(request)
    if not activity_includes_article(activity, revision.article):
        raise Http404("This article is not part of the activity.")
    if request.method == "POST":
        layer = annotating_layer(request.user, activity) if activity else Annotation.Layer.INDIVIDUAL
        data = json_payload(request)
        if not any(key in data for key in ("start", "exact")):
            raise ApiError(
                400, "is required: the passage, by start and end or exact (a W3C target with its selectors)", "target"
            )
        check_source(request, data.get("source"), revision)
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


def _timestamp(value) -> str:
    """A raw timestamp column as RFC 3339: SQLite's text is 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC."""
    if isinstance(value, str):
        return value[:10] + "T" + value[11:19] + "+00:00"
    if value.tzinfo is None:  # SQLite's converter gives naive datetimes; they are stored in UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


def _visible_rows(request: HttpRequest, revision, activity):
    """The annotations of a revision the user may see, filtered as the query string asks."""
    rows = Annotation.objects.visible_to(request.user, activity).filter(revision=revision)
    if layer := request.GET.get("layer"):
        rows = rows.filter(layer=layer)
    if tag := request.GET.get("tag"):
        rows = rows.filter(tag__slug=tag)
    if request.GET.get("mine") and request.user.is_authenticated:
        rows = rows.filter(annotator=request.user)
    elif user := request.GET.get("user"):
        rows = rows.filter(annotator__username=user)
    return rows.order_by("start", "-end", "pk")


COLLECTION_COLUMNS = (
    "pk",
    "annotator__username",
    "tag__slug",
    "note",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "created_at",
    "modified_at",
    "version",
)


def _row_doc(row: dict, base: str, api_prefix: str, source: str) -> dict:
    username = row["annotator__username"]
    return w3c.annotation_doc(
        url=f"{api_prefix}{row['pk']}",
        source=source,
        creator=username,
        creator_url=f"{base}/users/{quote(username, safe='')}",
        tag=row["tag__slug"],
        note=row["note"],
        start=row["start"],
        end=row["end"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        created=_timestamp(row["created_at"]),
        modified=_timestamp(row["modified_at"]),
        version=row["version"],
    )


def _items(window, base: str, api_prefix: str, source: str) -> list[bytes]:
    """The window's annotations as JSON, each what `orjson.dumps(_row_doc(...))` gives.

    Raw rows, not model instances, and on SQLite the timestamps as the text they are stored as:
    Django's datetime converters took a fifth of a large page's time, and building a dict for
    each annotation to serialize it most of the rest (w3c.AnnotationWriter).
    """
    columns = list(COLLECTION_COLUMNS)
    if connection.vendor == "sqlite":
        columns[columns.index("created_at")] = Cast("created_at", TextField())
        columns[columns.index("modified_at")] = Cast("modified_at", TextField())
    sql, params = window.values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    write = w3c.AnnotationWriter(api_prefix=api_prefix, source=source, users_prefix=f"{base}/users/")
    return [
        write(
            pk=pk,
            creator=creator,
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
        )
        for pk, creator, tag, note, start, end, exact, prefix, suffix, created, modified, version in rows
    ]


def _collection(request: HttpRequest, revision, activity=None) -> dict:
    """The visible annotations of a revision, paged as the W3C Web Annotation protocol pages them.

    Without ?page: the AnnotationCollection with its total, its first page embedded and the IRI
    of its last. With ?page=N: that AnnotationPage (partOf the collection, with next/prev).
    Items are written from raw rows, not model instances (see `_items`).
    """
    page = page_number(request)
    size = settings.API_PAGE_SIZE
    rows = _visible_rows(request, revision, activity)
    total = rows.count()
    last = max(0, (total - 1) // size)
    if page is not None and page > last:
        raise Http404("No such page.")
    number = page or 0
    base = site_base(request)
    api_prefix = base + _annotation_path()
    source = w3c.revision_source(base, revision.article_id, revision.number)
    # One page holds them all: the rows themselves. Otherwise the page's ids first, sorted on
    # narrow rows; then only those rows in full. Sorting every column of 100,000 rows to skip
    # 99,000 of them took most of the time of a late page.
    window = rows[:size] if last == 0 else rows.filter(pk__in=rows.values("pk")[number * size : (number + 1) * size])
    items = orjson.Fragment(b"[" + b",".join(_items(window, base, api_prefix, source)) + b"]")
    query = request.GET.copy()
    query.pop("page", None)
    collection_url = request.build_absolute_uri(request.path) + (f"?{query.urlencode()}" if query else "")
    joiner = "&" if query else "?"

    def page_url(n: int) -> str:
        return f"{collection_url}{joiner}page={n}"

    page_doc = {"id": page_url(number), "type": "AnnotationPage", "startIndex": number * size}
    if number < last:
        page_doc["next"] = page_url(number + 1)
    if number > 0:
        page_doc["prev"] = page_url(number - 1)
    page_doc["items"] = items
    label = f"Annotations on {revision.title}"
    if page is not None:
        part_of = {"id": collection_url, "type": "AnnotationCollection", "label": label, "total": total}
        return {"@context": w3c.CONTEXT, **page_doc, "partOf": part_of}
    return {
        "@context": w3c.CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": page_doc,
        "last": page_url(last),
    }


@api_endpoint("GET", "PATCH", "DELETE")
def annotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _one(annotation_for_reading(request.user, pk), request)
    # one an import brought may be deleted (not edited) by whoever looks after that layer's imports
    annotation = (annotation_for_removing if request.method == "DELETE" else annotation_for_editing)(request.user, pk)
    if not if_match(request, annotation):
        return _stale(request, request.headers["If-Match"], annotation, status=412)
    if request.method == "DELETE":
        annotation_delete(annotation=annotation, by=request.user)
        return HttpResponse(status=204)
    data = json_payload(request)
    version = data.get("version")
    if version is None and "If-Match" in request.headers:
        version = annotation.version  # the header named it (checked above)
    if any(key in data for key in ("start", "end", "exact")):
        raise ApiError(400, "the span of an annotation cannot be changed; delete it and create another", "start")
    try:
        updated = annotation_update(annotation=annotation, version=version, tag=data.get("tag"), note=data.get("note"))
    except VersionConflict as exc:
        return _stale(request, version, exc.current)
    return _one(updated, request)


def _stale(request: HttpRequest, version, current: Annotation, status: int = 409) -> HttpResponse:
    """The change was asked against a version someone else's change has replaced: 409 for the
    body's "version", 412 for an If-Match header (a precondition that failed)."""
    field = "If-Match" if status == 412 else "version"
    return json_response(
        {
            "error": f"{field} {version} is stale; the annotation is at version {current.version}",
            "field": field,
            "current": _doc(current, site_base(request)),
        },
        status=status,
    )
