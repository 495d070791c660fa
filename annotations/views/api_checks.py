"""The API's checks of what a request names: the text a new annotation's target points at, and
the version an If-Match header asks a change to be made against."""

from __future__ import annotations

from django.http import HttpRequest

from annotations.formats import w3c_read
from annotations.models import Annotation
from annotations.views.api_json import ApiError, site_base


def check_source(request: HttpRequest, source, revision) -> None:
    """A target whose source is one of our texts must be the one posted to (the article's current
    revision): raise ApiError(400) naming target.source otherwise. Other sources (the page a
    client annotated elsewhere) are the client's to keep."""
    if not isinstance(source, str) or not source.startswith((site_base(request) + "/articles/", "/articles/")):
        return
    article_id, number = w3c_read.article_reference(source)
    if article_id is not None and article_id != revision.article.pk:
        raise ApiError(
            400,
            f"names article {article_id}, but this request annotates article {revision.article.pk}",
            "target.source",
        )
    if number is not None and number != revision.number:
        raise ApiError(
            400,
            f"names revision {number}; annotations are made on the current revision, {revision.number}",
            "target.source",
        )


def if_match(request: HttpRequest, annotation: Annotation) -> bool:
    """Whether the If-Match header, if any, names the annotation's current version: "*", or one of
    its ETags compared strongly (RFC 9110 section 13.1.1: a weak W/"2" never matches). A header
    naming no version at all is a 400 naming If-Match."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return True
    tags = [t.strip() for t in header.split(",")]
    strong = [t[1:-1] for t in tags if len(t) >= 2 and t[0] == t[-1] == '"']
    if not strong and not any(t.startswith("W/") for t in tags):
        raise ApiError(400, f'names no version: give an ETag this API sent, such as "{annotation.version}"', "If-Match")
    return str(annotation.version) in strong
