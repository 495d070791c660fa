"""Writes to annotations. Every rule the API and the pages rely on is checked here."""

from __future__ import annotations

import functools
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from annotations.models import Annotation, AuditEvent, Tag
from annotations.text import spans
from annotations.text.sanitize import sanitize_note
from articles.models import Article, Revision
from sinorus.db import prepared_insert, write_transaction
from sinorus.wording import html_shows_something


class RevisionSuperseded(Exception):
    """A write aimed at a revision that is no longer the article's current one (HTTP 409)."""

    def __init__(self, current: Revision) -> None:
        super().__init__(
            f"this revision is superseded: the article's current revision is {current.number} "
            f"(id {current.pk}); reload it and try again"
        )
        self.current = current


def ensure_current(revision_id: int, article_id: int) -> None:
    """Lock the article and raise RevisionSuperseded unless `revision_id` is its current revision.

    Inside the writer's transaction: a correction or re-import that commits first makes this
    write fail cleanly instead of landing on the old text.
    """
    current_id = _current_revision_id(article_id)
    if current_id != revision_id:
        raise RevisionSuperseded(Revision.objects.only("pk", "number").get(pk=current_id))


def _current_revision_id(article_id: int) -> int | None:
    """The article's current revision, its row locked where the database locks rows (SQLite's
    IMMEDIATE transaction already holds the write lock). A plain query: it runs on every write."""
    with connection.cursor() as cursor:
        cursor.execute(_current_revision_id_sql(connection.vendor), [article_id])
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist(f"article {article_id} is gone")
    return row[0]


@functools.cache
def _current_revision_id_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    sql = f"SELECT {quote('current_id')} FROM {quote(Article._meta.db_table)} WHERE {quote('id')} = %s"
    return sql + " FOR UPDATE" if connection.features.has_select_for_update else sql


def _has_twin(revision_id, user_id, start, end, tag_id, activity_id, layer) -> bool:
    """Whether this user already has a live annotation of this passage with this tag, in this layer."""
    with connection.cursor() as cursor:
        cursor.execute(*twin_query(revision_id, user_id, start, end, tag_id, activity_id, layer))
        return cursor.fetchone() is not None


def twin_query(revision_id, user_id, start, end, tag_id, activity_id, layer) -> tuple[str, list]:
    """The SQL and parameters of `_has_twin`.

    A plain query, like the superseded check: it runs on every create, holding the write lock.
    It must find the passage on the annotation_document_order index (revision, activity, start,
    end). Without statistics SQLite took `activity_id IS NULL` for a weak condition and walked
    the single-column index of the tag (or the annotator) instead: every annotation of that tag,
    0.1 ms at 1,000 annotations and growing with them. A unary `+` keeps a column out of index
    choice in SQLite and changes nothing in PostgreSQL's plan.
    """
    params = [revision_id, *([activity_id] if activity_id is not None else []), start, end, user_id, tag_id, layer]
    return _twin_sql(connection.vendor, activity_id is not None), params


@functools.cache
def _twin_sql(vendor: str, in_activity: bool) -> str:
    quote = connection.ops.quote_name
    activity = f"{quote('activity_id')} = %s" if in_activity else f"{quote('activity_id')} IS NULL"
    return (
        f"SELECT 1 FROM {quote(Annotation._meta.db_table)} WHERE {quote('revision_id')} = %s"
        f" AND {activity} AND {quote('start')} = %s AND {quote('end')} = %s AND +{quote('annotator_id')} = %s"
        f" AND +{quote('tag_id')} = %s AND {quote('layer')} = %s AND {quote('deleted_at')} IS NULL LIMIT 1"
    )


class VersionConflict(Exception):
    """The annotation changed since the client read it."""

    def __init__(self, current: Annotation) -> None:
        super().__init__(f"annotation {current.pk} is at version {current.version}")
        self.current = current


@lru_cache(maxsize=1)
def _tags_cache() -> dict[str, int]:
    return {slug: pk for pk, slug in Tag.objects.public().values_list("pk", "slug")}


def forget_tags(**_kwargs) -> None:
    """Signal receiver: the tag table changed, so the slug cache is stale."""
    _tags_cache.cache_clear()


def tag_for(value, activity=None) -> Tag:
    """The Tag named by slug or display name; raise SpanError('tag', ...) if there is none.

    In an activity, only the activity's own tag set may be used; outside one, only public tags.
    """
    if activity is None:
        return _tag_named(value)
    if not isinstance(value, str) or not value.strip():
        raise spans.SpanError("tag", "is required: one of " + ", ".join(activity.tags.values_list("slug", flat=True)))
    name = value.strip()
    tag = activity.tags.filter(slug=name.lower()).first() or activity.tags.filter(name__iexact=name).first()
    if tag is None:
        raise spans.SpanError("tag", f"{value!r} is not in this activity's tag set")
    return tag


def _tag_named(value) -> Tag:
    if not isinstance(value, str) or not value.strip():
        raise spans.SpanError("tag", "is required: one of " + ", ".join(_tags_cache()))
    slug = value.strip().lower()
    pk = _tags_cache().get(slug)
    if pk is None:
        _tags_cache.cache_clear()
        public = Tag.objects.public()
        tag = public.filter(slug=slug).first() or public.filter(name__iexact=value.strip()).first()
        if tag is None:
            raise spans.SpanError("tag", f"unknown tag {value!r}; known tags: " + ", ".join(_tags_cache()))
        return tag
    return Tag(pk=pk, slug=slug)


def clean_note(note) -> str:
    """A note as it is stored (sanitized HTML); raise SpanError("note", ...) if it is not storable text."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise spans.SpanError("note", "must be a string")
    if len(note) > Annotation.MAX_NOTE:
        raise spans.SpanError("note", f"is longer than {Annotation.MAX_NOTE} characters")
    try:
        note.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise spans.SpanError("note", "contains a character that is not valid text (a lone surrogate)") from exc
    return sanitize_note(note) if html_shows_something(note) else ""  # nothing a reader sees: no note


def anchored_fields(text: str, start: int, end: int) -> dict:
    """The fields of an annotation anchored at [start, end) of `text`: its quote and context."""
    prefix, suffix = spans.context(text, start, end)
    return {"start": start, "end": end, "exact": text[start:end], "prefix": prefix, "suffix": suffix}


def annotation_create(
    *,
    user,
    revision: Revision,
    start,
    end,
    exact=None,
    tag,
    note: str | None = "",
    prefix: str = "",
    suffix: str = "",
    activity=None,
    layer: str = Annotation.Layer.INDIVIDUAL,
) -> Annotation:
    """Highlight [start, end) of `revision` for `user`. Raise SpanError naming the bad field.

    When only a quote is given (no offsets), it is located in the text by its prefix and suffix.
    """
    text = revision.text
    for name, value in (("prefix", prefix), ("suffix", suffix)):
        if value is not None and not isinstance(value, str):
            raise spans.SpanError(name, "must be a string")
    if start is None and end is None and isinstance(exact, str):
        found = spans.find_quote(text, exact, prefix or "", suffix or "")
        if found is None:
            raise spans.SpanError("exact", "the quoted text does not occur in this article")
        start, end = found
    start, end, exact = spans.check_span(text, start, end, exact, max_length=Annotation.MAX_SPAN)
    tag_obj = tag_for(tag, activity)
    note = clean_note(note)
    annotation = Annotation(
        revision=revision,
        annotator=user,
        tag=tag_obj,
        note=note,
        activity=activity,
        layer=layer,
        **anchored_fields(text, start, end),
    )
    # Only the checks against stored rows and the writes hold the write lock; the checks of the
    # request itself (span, tag, sanitizing the note) and the row's values come before it.
    insert = prepared_insert(annotation)
    try:
        with write_transaction():
            ensure_current(revision.pk, revision.article_id)
            if _has_twin(revision.pk, user.pk, start, end, tag_obj.pk, activity.pk if activity else None, layer):
                raise spans.SpanError("tag", f"you have already tagged this passage as {tag_obj.slug}")
            insert()
            if activity is not None:
                audit(user, activity, "created", annotation, {"tag": tag_obj.slug, "layer": layer})
    except IntegrityError:
        # The tag cache is this process's: another process may have deleted the tag since.
        forget_tags()
        if not Tag.objects.filter(pk=tag_obj.pk).exists():
            raise spans.SpanError("tag", f"unknown tag {tag!r}: it was deleted") from None
        raise
    return annotation


def audit(actor, activity, action: str, annotation: Annotation | None = None, detail: dict | None = None) -> None:
    """Record who did what to which annotation of an activity (the review audit trail)."""
    AuditEvent.objects.create(
        actor=actor,
        activity=activity,
        action=action,
        annotation_id_ref=annotation.pk if annotation else None,
        detail=detail or {},
    )


@transaction.atomic
def annotation_update(*, annotation: Annotation, version, tag=None, note=None) -> Annotation:
    """Change tag and/or note if `version` is current; raise VersionConflict otherwise."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise spans.SpanError("version", "is required (an integer) so that a newer edit is never overwritten")
    fields: dict = {}
    if tag is not None:
        fields["tag"] = tag_for(tag, annotation.activity)
    if note is not None:
        fields["note"] = clean_note(note)
    ensure_current(annotation.revision_id, annotation.revision.article_id)
    now = timezone.now()
    updated = Annotation.objects.filter(pk=annotation.pk, version=version, deleted_at__isnull=True).update(
        version=F("version") + 1, modified_at=now, **fields
    )
    current = Annotation.objects.select_related("annotator", "tag", "revision").get(pk=annotation.pk)
    if not updated:
        raise VersionConflict(current)
    if current.activity_id:
        audit(
            current.annotator,
            current.activity,
            "changed",
            current,
            {"tag": current.tag.slug, "version": current.version},
        )
    return current
