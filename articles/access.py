"""The one way views fetch corpus objects: the object, or Http404/PermissionDenied."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from articles.models import Article, Revision

HEAVY_FIELDS = ("current__raw", "current__removed")


def article_for_reading(pk: int, *, light: bool = False) -> Article:
    """Articles are public to read once they have a revision.

    `light` leaves out the raw bytes and the segmentation, for callers that need only the text.
    """
    queryset = Article.objects.select_related("current").filter(pk=pk, current__isnull=False)
    if light:
        queryset = queryset.defer(*HEAVY_FIELDS, "current__paragraphs", "current__sentences")
    else:
        queryset = queryset.defer(*HEAVY_FIELDS)
    article = queryset.first()
    if article is None:
        raise Http404("No such article.")
    return article


# In the model's field order, which Model.from_db() expects of a partial row.
LIGHT_REVISION_FIELDS = tuple(
    f.attname
    for f in Revision._meta.concrete_fields
    if f.attname in {"id", "article_id", "number", "title", "language", "text"}
)


MAX_ID = 2**63 - 1  # the largest id a 64-bit integer column holds


def row_id(value) -> int | None:
    """An id given in a request, if it is one a row can have: a whole number above 0 that fits the
    64-bit id columns (past them SQLite refuses the query instead of finding nothing)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def current_revision_for_reading(pk: int) -> Revision:
    """The current revision of article `pk` with its text (the other fields load on first use).

    The API's hot path: one plain query instead of the ORM's select_related with deferred fields,
    whose compiling cost more than the query. `revision.article` holds only the id and current_id.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404("No such article.") from exc
    if not 0 < pk <= MAX_ID:  # no row has it, and SQLite refuses the query instead of finding nothing
        raise Http404("No such article.")
    with connection.cursor() as cursor:
        cursor.execute(_current_revision_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such article.")
    revision = Revision.from_db(connection.alias, list(LIGHT_REVISION_FIELDS), list(row))
    article = Article.from_db(connection.alias, ["id", "current_id"], [pk, revision.pk])
    article.current = revision
    revision.article = article
    return revision


@functools.cache
def _current_revision_sql(vendor: str) -> str:
    """Built once a database kind (it quotes names as that database does)."""
    quote = connection.ops.quote_name
    revisions, articles = quote(Revision._meta.db_table), quote(Article._meta.db_table)
    columns = ", ".join(f"{revisions}.{quote(name)}" for name in LIGHT_REVISION_FIELDS)
    return (
        f"SELECT {columns} FROM {articles} INNER JOIN {revisions}"
        f" ON {articles}.{quote('current_id')} = {revisions}.{quote('id')} WHERE {articles}.{quote('id')} = %s"
    )


def revision_for_reading(article: Article, number: str | None) -> Revision:
    if not number:
        return article.current
    try:
        return article.revisions.get(number=int(number))
    except (ValueError, Revision.DoesNotExist) as exc:
        raise Http404("No such revision.") from exc


def _granted(user, permission: str) -> bool:
    return user.is_authenticated and user.has_perm(permission)


def can_upload(user) -> bool:
    """Upload article files (the Curators role)."""
    return _granted(user, "articles.add_article")


def can_curate(user) -> bool:
    """Change what cleaning kept: restore a dropped line (the Curators role)."""
    return _granted(user, "articles.change_article")


def can_edit_alignment(user) -> bool:
    """Rename, split, move or merge rows of the aligned view (Editors and Curators)."""
    return _granted(user, "articles.change_alignmentgroup")


def article_for_curating(user, pk: int) -> Article:
    """Only curators change what cleaning kept."""
    if not can_curate(user):
        raise PermissionDenied("Only staff can change an article's cleaning.")
    return article_for_reading(pk)


def article_by_reference(reference: str) -> Article | None:
    """An article named on a command line by its id or its imported file's name."""
    if reference.isascii() and reference.isdecimal():
        return Article.objects.filter(pk=int(reference)).first()
    return Article.objects.filter(source=reference).first()
