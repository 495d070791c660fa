"""The reader's workspace: the article text with its highlights, and the sidebar of annotations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import QueryDict
from django.utils.safestring import mark_safe

from annotations.access import annotating_layer
from annotations.models import Annotation, Decision, Tag
from annotations.text.highlighting import Highlight, render_paragraphs

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

    @classmethod
    def parse(cls, query: QueryDict) -> ReaderFilters:
        limit = query.get("limit", "")
        undo = query.get("undo", "")
        return cls(
            tag=query.get("tag", ""),
            who="mine" if query.get("who") == "mine" else "everyone",
            layer=query.get("layer", "") if query.get("layer") in Annotation.Layer.values else "",
            limit=max(SIDEBAR_PAGE, min(int(limit), 1_000_000))
            if limit.isdecimal() and len(limit) < 10
            else SIDEBAR_PAGE,
            undo=int(undo) if undo.isdecimal() and len(undo) < 19 else None,
        )


# What the highlights, the tag counts and the filters need of every annotation; the sidebar's
# slice alone is read in full (with its reply counts), so 100,000 annotations read 6 columns each.
LIGHT = {"id": "pk", "start": "start", "end": "end", "tag": "tag__slug", "annotator": "annotator__username"}
LIGHT_ANNOTATOR = "annotator_id"


def _visible(user, revision, activity, filters: ReaderFilters):
    rows = Annotation.objects.visible_to(user, activity).filter(revision=revision)
    if filters.who == "mine" and user.is_authenticated:
        rows = rows.filter(annotator=user)
    if filters.layer:
        rows = rows.filter(layer=filters.layer)
    return rows.order_by("start", "-end", "pk")


def _rows(rows) -> list[dict]:
    """Every visible annotation, the few fields the highlights need, in document order."""
    names = (*LIGHT, LIGHT_ANNOTATOR)
    return [dict(zip(names, row, strict=True)) for row in rows.values_list(*LIGHT.values(), LIGHT_ANNOTATOR)]


def _in_full(rows, light: list[dict]) -> list[dict]:
    """The sidebar's annotations (`light`, in order) with every field it shows."""
    full = rows.filter(pk__in=[row["id"] for row in light]).annotate(reply_count=Count("replies"))
    by_id = {row["pk"]: row for row in full.values(*FIELDS.values())}
    return [{name: by_id[row["id"]][field] for name, field in FIELDS.items()} for row in light if row["id"] in by_id]


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


def reader_workspace(request, article, revision, activity=None) -> dict:
    """Everything the reader's text and sidebar show; a fixed number of queries at any size."""
    filters = ReaderFilters.parse(request.GET)
    tags = _with_shortcuts(list(activity.tags.all()) if activity else list(Tag.objects.public()))
    visible = _visible(request.user, revision, activity, filters)
    rows = _rows(visible)
    counts = Counter(row["tag"] for row in rows)
    if filters.tag:
        rows = [row for row in rows if row["tag"] == filters.tag]
    me = request.user.pk
    items = _in_full(visible, rows[: filters.limit])
    for row in items:
        row["mine"] = row["annotator_id"] == me
        if (
            row["source_annotator"] and row["layer"] == Annotation.Layer.CONSENSUS
        ):  # a consensus copy names the reviewer it came from, not the editor
            verdict = Decision.Verdict(row["source_verdict"] or Decision.Verdict.ACCEPT).label
            row["origin"] = f"{verdict} from {row['source_annotator']}"
    highlights = [Highlight(r["id"], r["start"], r["end"], r["tag"], r["annotator"]) for r in rows]
    can_annotate, lock_reason = _lock(request.user, article, revision, activity)
    query = request.GET.copy()
    query.pop("limit", None)
    return {
        "article": article,
        "revision": revision,
        "tags": tags,
        "tag_counts": [(t, counts.get(t.slug, 0)) for t in tags],
        "total": sum(counts.values()),
        "tag_filter": filters.tag,
        "who": filters.who,
        # Built from html.escape()d pieces by annotations.text.highlighting; no user HTML goes in.
        "text_html": mark_safe(render_paragraphs(revision.text, revision.paragraphs, highlights)),
        "items": items,
        "shown": len(rows),
        "more": len(rows) > filters.limit,
        "next_limit": filters.limit + SIDEBAR_PAGE,
        "query": query.urlencode(),
        "highlight_data": {
            r["id"]: [r["tag"], r["annotator"], r["start"], r["end"], r["annotator_id"] == me] for r in rows
        },
        "is_current": revision.pk == article.current_id,
        "can_annotate": can_annotate,
        "lock_reason": lock_reason,
        "activity": activity,
        "activity_query": f"activity={activity.pk}&" if activity else "",
        "undo_id": filters.undo or "",
    }
