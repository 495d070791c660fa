"""The reader's workspace: the article text with its highlights, and the sidebar of annotations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import QueryDict
from django.utils.safestring import mark_safe

from annotations.access import annotating_layer
from annotations.models import Annotation, Decision, Tag
from annotations.text.coverage import Highlights
from annotations.text.highlighting import render_paragraphs

SIDEBAR_PAGE = 50  # the rest load with "Show more"; templates cost ~0.2 ms an item
FIELDS = {
    "id": "pk",
    "start": "start",
    "end": "end",
    "tag": "tag__slug",
    "annotator": "annotator__username",
    "annotator_id": "annotator_id",
    "exact": "exact",
    "note": "note",
    "version": "version",
    "layer": "layer",
    "replies": "reply_count",
    "resolved": "thread_resolved_at",
    "labels": "labels",
    "source_annotator": "source__annotator__username",
    "source_verdict": "source__decision__verdict",
}


@dataclass(frozen=True)
class ReaderFilters:
    """The sidebar's filters as the query string gives them; anything malformed falls back to the default."""

    tag: str = ""
    who: str = "everyone"
    layer: str = ""
    limit: int = SIDEBAR_PAGE
    undo: int | None = None
    at: int | None = None  # list only the annotations covering this code point offset

    @classmethod
    def parse(cls, query: QueryDict) -> ReaderFilters:
        limit = query.get("limit", "")
        undo = query.get("undo", "")
        at = query.get("at", "")
        return cls(
            tag=query.get("tag", ""),
            who="mine" if query.get("who") == "mine" else "everyone",
            layer=query.get("layer", "") if query.get("layer") in Annotation.Layer.values else "",
            limit=max(SIDEBAR_PAGE, min(int(limit), 1_000_000))
            if limit.isdecimal() and len(limit) < 10
            else SIDEBAR_PAGE,
            undo=int(undo) if undo.isdecimal() and len(undo) < 19 else None,
            at=int(at) if at.isdecimal() and len(at) < 10 else None,
        )


# What the highlights and the tag counts need of every visible annotation: five integer columns,
# all in the `annotation_document_order` index, so 100,000 annotations are read from the index
# alone; tags and names come from two small queries. The sidebar's page is read in full.
COLUMNS = ("pk", "start", "end", "tag_id", "annotator_id")


def _visible(user, revision, activity, filters: ReaderFilters):
    rows = Annotation.objects.visible_to(user, activity).filter(revision=revision)
    if filters.who == "mine" and user.is_authenticated:
        rows = rows.filter(annotator=user)
    if filters.layer:
        rows = rows.filter(layer=filters.layer)
    return rows.order_by("start", "-end", "pk")


def _listed(visible, filters: ReaderFilters):
    """The annotations the sidebar lists: the visible ones of the chosen tag, covering `at` if given."""
    if filters.tag:
        visible = visible.filter(tag__in=Tag.objects.filter(slug=filters.tag).values("pk"))
    if filters.at is not None:
        visible = visible.filter(start__lte=filters.at, end__gt=filters.at)
    return visible


def _in_full(visible, ids: list[int]) -> list[dict]:
    """The sidebar's annotations (`ids`, in order) with every field it shows."""
    full = visible.filter(pk__in=ids).annotate(reply_count=Count("replies"))
    by_id = {row["pk"]: row for row in full.values(*FIELDS.values())}
    return [{name: by_id[pk][field] for name, field in FIELDS.items()} for pk in ids if pk in by_id]


def _lock(user, article, revision, activity) -> tuple[bool, str]:
    """Whether `user` may annotate this revision here, and if not, why (shown in the sidebar)."""
    if revision.pk != article.current_id or not user.is_authenticated:
        return False, ""
    if activity is not None:
        try:
            annotating_layer(user, activity)
        except PermissionDenied as exc:
            return False, str(exc)
    return True, ""


def _with_shortcuts(tags: list[Tag]) -> list[Tag]:
    """Give each tag its number key: its own, else the next free digit (custom tags get 5, 6, ...)."""
    taken = {t.key for t in tags if t.key}
    free = (d for d in "1234567890" if d not in taken)
    for tag in tags:
        tag.shortcut = tag.key or next(free, "")
    return tags


def reader_listing(request, article, revision, activity=None) -> dict:
    """The sidebar's list, a page at a time: every visible annotation, or those covering `?at=`."""
    filters = ReaderFilters.parse(request.GET)
    visible = _visible(request.user, revision, activity, filters)
    listed = _listed(visible, filters)
    ids = list(listed.values_list("pk", flat=True)[: filters.limit])
    shown = listed.count()
    items = _in_full(visible, ids)
    me = request.user.pk
    for row in items:
        row["mine"] = row["annotator_id"] == me
        if (
            row["source_annotator"] and row["layer"] == Annotation.Layer.CONSENSUS
        ):  # a consensus copy names the reviewer it came from, not the editor
            verdict = Decision.Verdict(row["source_verdict"] or Decision.Verdict.ACCEPT).label
            row["origin"] = f"{verdict} from {row['source_annotator']}"
    can_annotate, lock_reason = _lock(request.user, article, revision, activity)
    query = request.GET.copy()
    query.pop("limit", None)
    everywhere = query.copy()
    everywhere.pop("at", None)
    return {
        "article": article,
        "revision": revision,
        "activity": activity,
        "tag_filter": filters.tag,
        "who": filters.who,
        "at": filters.at,
        "items": items,
        "shown": shown,
        "more": shown > filters.limit,
        "next_limit": filters.limit + SIDEBAR_PAGE,
        "query": query.urlencode(),
        "everywhere_query": everywhere.urlencode(),
        "can_annotate": can_annotate,
        "lock_reason": lock_reason,
    }


def _highlights(visible) -> Highlights:
    """Every visible annotation as highlight columns, its tag and annotator by name."""
    rows = list(visible.values_list(*COLUMNS))
    ids, starts, ends, tag_ids, annotator_ids = (list(map(itemgetter(n), rows)) for n in range(len(COLUMNS)))
    slugs = dict(Tag.objects.filter(pk__in=set(tag_ids)).values_list("pk", "slug"))
    names = dict(get_user_model().objects.filter(pk__in=set(annotator_ids)).values_list("pk", "username"))
    return Highlights(
        ids, starts, ends, list(map(slugs.__getitem__, tag_ids)), list(map(names.__getitem__, annotator_ids))
    )


def reader_workspace(request, article, revision, activity=None) -> dict:
    """Everything the reader's text and sidebar show; a fixed number of queries at any size."""
    filters = ReaderFilters.parse(request.GET)
    tags = _with_shortcuts(list(activity.tags.all()) if activity else list(Tag.objects.public()))
    everything = _highlights(_visible(request.user, revision, activity, filters))
    counts = Counter(everything.tags)
    drawn = everything.where([tag == filters.tag for tag in everything.tags]) if filters.tag else everything
    drawing = render_paragraphs(revision.text, revision.paragraphs, drawn)
    me = request.user.get_username() if request.user.is_authenticated else None
    return reader_listing(request, article, revision, activity) | {
        "tags": tags,
        "tag_counts": [(t, counts.get(t.slug, 0)) for t in tags],
        "total": len(everything),
        # Built from html.escape()d pieces by annotations.text.highlighting; no user HTML goes in.
        "text_html": mark_safe(drawing.html),
        # Who the shallow marks name, for their popover; a deep mark's are listed on demand.
        "highlight_data": {
            drawn.ids[k]: [drawn.tags[k], drawn.annotators[k], drawn.annotators[k] == me] for k in drawing.named
        },
        "is_current": revision.pk == article.current_id,
        "activity_query": f"activity={activity.pk}&" if activity else "",
        "undo_id": filters.undo or "",
    }
