"""Writes to links, and links following their articles to new revisions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from annotations.models import Activity, Annotation, Link, LinkEnd
from annotations.services.annotations import anchored_fields, audit, clean_note, ensure_current
from annotations.services.revisions import FollowResult, placed_on
from annotations.text import spans
from articles.models import Revision


@dataclass(frozen=True)
class Passage:
    """One end of a new link as a request names it: offsets into a revision, or a quote to find there."""

    revision: Revision
    start: int | None = None
    end: int | None = None
    exact: str | None = None


def _anchored(passage: Passage, field: str) -> dict:
    """The anchored fields of one end; raise SpanError naming `field` ("first" or "second")."""
    text, start, end, exact = passage.revision.text, passage.start, passage.end, passage.exact
    if start is None and end is None and isinstance(exact, str):
        found = spans.find_quote(text, exact.strip())
        if found is None:
            raise spans.SpanError(field, "the quoted text does not occur in this article")
        (start, end), exact = found, None
    try:
        start, end, _exact = spans.check_span(text, start, end, exact, max_length=Annotation.MAX_SPAN)
    except spans.SpanError as exc:
        raise spans.SpanError(field, exc.message) from exc
    if not text[start:end].strip():
        raise spans.SpanError(field, "a passage must contain some text, not only whitespace")
    return anchored_fields(text, start, end)


@transaction.atomic
def link_create(
    *,
    user,
    first: Passage,
    second: Passage,
    kind: str,
    note: str | None = "",
    activity: Activity | None = None,
    layer: str = Link.Layer.INDIVIDUAL,
) -> Link:
    """Link two passages of different articles. Raise SpanError naming the bad field, or
    RevisionSuperseded when either revision is no longer its article's current one."""
    if first.revision.article_id == second.revision.article_id:
        raise spans.SpanError("second", "choose a passage of another article")
    if kind not in Link.Kind.values:
        raise spans.SpanError("kind", "must be one of " + ", ".join(Link.Kind.values))
    ends = [_anchored(first, "first"), _anchored(second, "second")]
    note = clean_note(note)
    for passage in sorted((first, second), key=lambda p: p.revision.article_id):  # one lock order: no deadlock
        ensure_current(passage.revision.pk, passage.revision.article_id)
    same = Link.objects.alive().filter(annotator=user, activity=activity, layer=layer, kind=kind)
    for passage, fields in zip((first, second), ends, strict=True):  # one join per end: a link holding both
        same = same.filter(ends__revision=passage.revision, ends__start=fields["start"], ends__end=fields["end"])
    if same.exists():
        raise spans.SpanError("kind", f"you have already linked these two passages as {Link.Kind(kind).label}")
    link = Link(annotator=user, kind=kind, note=note, activity=activity, layer=layer)
    link.full_clean()
    link.save()
    LinkEnd.objects.bulk_create(
        LinkEnd(link=link, position=n, revision=passage.revision, **fields)
        for n, (passage, fields) in enumerate(zip((first, second), ends, strict=True))
    )
    if activity is not None:
        audit(user, activity, "linked", None, {"link": link.pk, "kind": kind, "layer": layer})
    return link


def link_delete(*, link: Link, by=None) -> None:
    """Delete softly: the row stays for the audit trail and exports of an activity's history.
    `by`: who deleted it, when not its author (an activity's owner undoing an import)."""
    Link.objects.filter(pk=link.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())
    if link.activity_id:
        audit(by or link.annotator, link.activity, "unlinked", None, {"link": link.pk})


def link_ends_follow(*, article, previous, revision, cause: str) -> FollowResult:
    """Move the ends of live links on `previous` onto `revision`, as annotations move.

    An end whose text is gone stays on the old revision with its reason in `lost_reason`, so the
    link is kept (and shown as lost) rather than dropped; the other end is not touched.
    """
    moved, lost = [], []
    for end in LinkEnd.objects.filter(revision=previous, link__deleted_at__isnull=True).select_related("link"):
        if not placed_on(end, revision):
            end.lost_reason = f"not found in revision {revision.number} ({cause}) of {article.source}"
            lost.append(end)
            continue
        end.lost_reason = ""
        moved.append(end)
    LinkEnd.objects.bulk_update(moved, ["revision", "start", "end", "exact", "prefix", "suffix", "lost_reason"])
    LinkEnd.objects.bulk_update(lost, ["lost_reason"])
    for activity_id in {e.link.activity_id for e in moved + lost} - {None}:
        detail = {"article": article.source, "revision": revision.number, "cause": cause, "links_lost": len(lost)}
        audit(None, Activity(pk=activity_id), "links re-anchored", None, detail)
    return FollowResult(len(moved), len(lost))


def on_revision_created(sender, *, article, previous, revision, cause: str, **kwargs) -> FollowResult:
    """Signal receiver beside the annotations' own; the counts add up in the import report."""
    return link_ends_follow(article=article, previous=previous, revision=revision, cause=cause)
