"""Links in corpus exports: the same filter and visibility as annotations, as LinkRecords.

Only the W3C export writes links (as linking annotations with two targets); the tabular and
NLP formats hold highlights only.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied

from annotations.access import can_export
from annotations.formats.records import LinkEndRecord, LinkRecord, Pseudonyms
from annotations.models import Activity, Link, LinkEnd
from annotations.text.spans import utf16_length

CHUNK = 2000


def export_link_queryset(user, flt):
    """The links an export holds: only what `user` may see (None: an operator, everything).

    A filter on tag or free label matches no link (links have a kind, not a tag). Each link is
    exported once, its ends on the revisions they are anchored to.
    """
    if user is None:
        rows = Link.objects.alive()
        if flt.activity is not None:
            rows = rows.filter(activity=flt.activity)
    else:
        if not can_export(user):
            raise PermissionDenied("Only instructors and editors export corpora.")
        rows = Link.objects.visible_to(user, flt.activity)
    if flt.tag or flt.label:
        return rows.none()
    if flt.article_ids:
        rows = rows.filter(pk__in=LinkEnd.objects.filter(revision__article_id__in=flt.article_ids).values("link_id"))
    if flt.annotator:
        rows = rows.filter(annotator__username=flt.annotator)
    if flt.layer:
        rows = rows.filter(layer=flt.layer)
    return rows.order_by("pk")


def _ends(link_ids: list[int], utf16: bool) -> dict[int, list[LinkEndRecord]]:
    fields = ["link_id", "revision__article_id", "revision__article__source", "revision__number"]
    fields += ["start", "end", "exact", "prefix", "suffix"] + (["revision__text"] if utf16 else [])
    ends: dict[int, list[LinkEndRecord]] = defaultdict(list)
    for row in LinkEnd.objects.filter(link_id__in=link_ids).order_by("link_id", "position").values_list(*fields):
        link_id, article_id, source, number, start, end, exact, prefix, suffix, *text = row
        if utf16:
            start, end = utf16_length(text[0][:start]), utf16_length(text[0][:end])
        ends[link_id].append(LinkEndRecord(article_id, source, number, start, end, exact, prefix, suffix))
    return ends


def export_links(user, flt, pseudonym: Pseudonyms | None = None):
    """Stream LinkRecords, a chunk at a time; classroom authors become pseudonyms as in export_records."""
    pseudonym = pseudonym or Pseudonyms()
    rows = export_link_queryset(user, flt).values_list(
        "pk",
        "kind",
        "note",
        "annotator__username",
        "layer",
        "activity_id",
        "activity__kind",
        "created_at",
        "modified_at",
    )
    chunk: list[tuple] = []

    def flush():
        ends = _ends([row[0] for row in chunk], flt.utf16)
        for pk, kind, note, account, layer, activity_id, activity_kind, created, modified in chunk:
            hidden = activity_kind == Activity.Kind.EXERCISE and not flt.names
            who, owner = pseudonym.author(account, layer, hidden=hidden)
            yield LinkRecord(pk, kind, note, who, layer, activity_id, created, modified, tuple(ends[pk]), owner)

    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()
