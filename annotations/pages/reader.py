"""The reader's workspace: the article text with its highlights, and the sidebar of annotations."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from itertools import batched
from operator import itemgetter, or_

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import mark_safe

from annotations.access import annotating_layer, handles_imports_of
from annotations.formats.records import IMPORT_PREFIX
from annotations.models import Annotation, Decision, Orphan, Tag
from annotations.pages.verdicts import agreeing, names_and
from annotations.text.coverage import Coverage, Highlights, Spans, coverage
from annotations.text.highlighting import paragraph_cuts, render_paragraphs

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
    "verdict": "decision__verdict",  # an editor's verdict on it: its reviewer no longer changes it
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


# What the highlights and the tag counts need of every visible annotation: its span and tag, three
# integer columns of the `annotation_document_order` index, so 100,000 annotations are read from
# the index alone. Who made them is read only for the stretches few enough to name them, in at
# most NAMED_RANGES ranges of text; the sidebar's page is read in full.
SPANS = ("start", "end", "tag_id")
CHUNK = 2000
NAMED_RANGES = 20


def _visible(user, revision, activity, filters: ReaderFilters):
    rows = Annotation.objects.visible_to(user, activity).filter(revision=revision)
    if filters.who == "mine" and user.is_authenticated:
        rows = rows.filter(annotator=user)
    if filters.layer:
        rows = rows.filter(layer=filters.layer)
    return rows.order_by("start", "-end", "pk")


def _of_tag(visible, tag: str):
    return visible.filter(tag__in=Tag.objects.filter(slug=tag).values("pk")) if tag else visible


def _listed(visible, filters: ReaderFilters):
    """The annotations the sidebar lists: the visible ones of the chosen tag, covering `at` if given."""
    visible = _of_tag(visible, filters.tag)
    if filters.at is not None:
        visible = visible.filter(start__lte=filters.at, end__gt=filters.at)
    return visible


def _in_full(visible, ids: list[int]) -> list[dict]:
    """The sidebar's annotations (`ids`, in order) with every field it shows."""
    full = visible.filter(pk__in=ids).annotate(reply_count=Count("replies"))
    by_id = {row["pk"]: row for row in full.values(*FIELDS.values())}
    return [{name: by_id[pk][field] for name, field in FIELDS.items()} for pk in ids if pk in by_id]


def _url_for_each(name: str):
    """reverse(name, args=[pk]) for the many annotations of a page: reversed once, each id set in
    its place (the URL's last number; a sidebar page would otherwise reverse ~150 times)."""
    probe = 987654321
    head, _, tail = reverse(name, args=[probe]).rpartition(str(probe))
    return lambda pk: f"{head}{int(pk)}{tail}"


def _lock(user, article, revision, activity) -> tuple[bool, str, str]:
    """Whether `user` may annotate this revision here, and if not, why (shown in the sidebar); and
    the layer they write to when it is not their own (an exercise's key, a session's consensus)."""
    if revision.pk != article.current_id or not user.is_authenticated:
        return False, "", ""
    layer = ""
    if activity is not None:
        try:
            layer = annotating_layer(user, activity)
        except PermissionDenied as exc:
            return False, str(exc), ""
    return True, "", "" if layer == Annotation.Layer.INDIVIDUAL else layer


def _with_shortcuts(tags: list[Tag]) -> list[Tag]:
    """Give each tag its number key: its own, else the next free digit (custom tags get 5, 6, ...)."""
    taken = {t.key for t in tags if t.key}
    free = (d for d in "1234567890" if d not in taken)
    for tag in tags:
        tag.shortcut = tag.key or next(free, "")
    return tags


def _reader_query(request, article, revision, activity) -> QueryDict:
    """The reader's query for this workspace, whichever request drew it (an edit or a delete too).

    Its activity and revision come from what is shown, not from the request: after a write the
    request is the form's POST, and a link built from it would open the public layer.
    """
    query = QueryDict(mutable=True)
    if activity is not None:
        query["activity"] = str(activity.pk)
    if revision.pk != article.current_id:
        query["revision"] = str(revision.number)
    for name, values in request.GET.lists():
        if name not in ("activity", "revision", "limit", "undo"):
            query.setlist(name, values)
    return query


def reader_listing(request, article, revision, activity=None, *, shown: int | None = None) -> dict:
    """The sidebar's list, a page at a time: every visible annotation, or those covering `?at=`.

    `shown` is how many it lists in all, when the caller has counted them already.
    """
    filters = ReaderFilters.parse(request.GET)
    visible = _visible(request.user, revision, activity, filters)
    listed = _listed(visible, filters)
    ids = list(listed.values_list("pk", flat=True)[: filters.limit])
    if shown is None or filters.at is not None:
        shown = listed.count()
    items = _in_full(visible, ids)
    me = request.user.pk
    thread_url, edit_url, delete_url = map(
        _url_for_each, ("annotations:thread", "annotations:edit", "annotations:delete")
    )
    starts = [paragraph[0] for paragraph in revision.paragraphs]
    agreed = None
    looks_after_imports = handles_imports_of(request.user, activity) and not (activity and activity.revealed)
    for row in items:
        row["mine"] = row["annotator_id"] == me
        # one an import brought: whoever looks after this layer's imports may delete it
        row["removable"] = row["mine"] or (looks_after_imports and row["annotator"].startswith(IMPORT_PREFIX))
        if row["verdict"]:  # adjudicated: changed only after the editor undoes the verdict
            row["mine"] = row["removable"] = False
            row["adjudicated"] = Decision.Verdict(row["verdict"]).label
        row["paragraph"] = max(0, bisect_right(starts, row["start"]) - 1)  # where it jumps without the script
        row["thread_url"], row["edit_url"], row["delete_url"] = (
            url(row["id"]) for url in (thread_url, edit_url, delete_url)
        )
        if (
            row["source_annotator"] and row["layer"] == Annotation.Layer.CONSENSUS
        ):  # a consensus copy names the reviewers whose verdict it stands for, not the editor
            verdict = Decision.Verdict(row["source_verdict"] or Decision.Verdict.ACCEPT).label
            agreed = agreeing(activity, revision) if agreed is None else agreed  # one query a page
            names = agreed.get((row["start"], row["end"], row["tag"]), [])
            names = names if row["source_annotator"] in names else [row["source_annotator"], *names]
            row["origin"] = f"{verdict} from {names_and(names)}"
    can_annotate, lock_reason, writing = _lock(request.user, article, revision, activity)
    query = _reader_query(request, article, revision, activity)
    everywhere = query.copy()
    everywhere.pop("at", None)
    kept = query.copy()  # what an edit, a delete or an undo carries, to draw the list as it was
    kept["limit"] = str(filters.limit)
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
        "kept_query": kept.urlencode(),
        "everywhere_query": everywhere.urlencode(),
        "reader_url": f"{reverse('annotations:reader', args=[article.pk])}?{query.urlencode()}",
        "can_annotate": can_annotate,
        "lock_reason": lock_reason,
        "writing": writing,
    }


def _spans(visible) -> Spans:
    """Every visible annotation's span and tag."""
    # Read into columns a chunk at a time: rows dropped as soon as read leave the garbage
    # collector next to nothing to scan (holding 100,000 row tuples made it run ~50 times).
    starts, ends, tag_ids = columns = ([], [], [])
    for rows in batched(visible.values_list(*SPANS).iterator(chunk_size=CHUNK), CHUNK):
        for n, column in enumerate(columns):
            column += map(itemgetter(n), rows)
    slugs = dict(Tag.objects.filter(pk__in=set(tag_ids)).values_list("pk", "slug"))
    return Spans(starts, ends, list(map(slugs.__getitem__, tag_ids)))


def _named(visible, cover: Coverage) -> Coverage:
    """The coverage with its shallow stretches naming their annotations, read where they are."""
    ranges = cover.shallow_ranges(NAMED_RANGES)
    if not ranges:
        return cover
    around = reduce(or_, (Q(start__lt=end, end__gt=start) for start, end in ranges))
    rows = visible.filter(around).values_list("pk", "start", "end", "tag__slug", "annotator__username")
    return cover.naming(Highlights.of(list(rows)))


def _waiting(user, article, activity) -> int:
    """How many of `user`'s annotations here are orphans: not found in the text after it changed,
    kept until an editor (or the activity's owner) re-attaches them. Only one's own are counted."""
    if not user.is_authenticated:
        return 0
    return Orphan.objects.filter(resolved_at__isnull=True, annotator=user, article=article, activity=activity).count()


def reader_workspace(request, article, revision, activity=None) -> dict:
    """Everything the reader's text and sidebar show; a fixed number of queries at any size."""
    filters = ReaderFilters.parse(request.GET)
    tags = _with_shortcuts(list(activity.tags.all()) if activity else list(Tag.objects.public()))
    visible = _visible(request.user, revision, activity, filters)
    everything = _spans(visible)
    counts = Counter(everything.tags)
    drawn = everything.where([tag == filters.tag for tag in everything.tags]) if filters.tag else everything
    cover = _named(_of_tag(visible, filters.tag), coverage(drawn, paragraph_cuts(revision.paragraphs)))
    drawing = render_paragraphs(revision.text, revision.paragraphs, cover)
    named, me = cover.named, request.user.get_username() if request.user.is_authenticated else None
    return reader_listing(request, article, revision, activity, shown=len(drawn)) | {
        "tags": tags,
        "tag_counts": [(t, counts.get(t.slug, 0)) for t in tags],
        "total": len(everything),
        # Built from html.escape()d pieces by annotations.text.highlighting; no user HTML goes in.
        "text_html": mark_safe(drawing.html),
        # Who the shallow marks name, for their popover; a deep mark's are listed on demand.
        "highlight_data": {
            named.ids[k]: [named.tags[k], named.annotators[k], named.annotators[k] == me] for k in drawing.named
        },
        "is_current": revision.pk == article.current_id,
        "waiting_orphans": _waiting(request.user, article, activity),
        "activity_query": f"activity={activity.pk}&" if activity else "",
        "undo_id": filters.undo or "",
    }
