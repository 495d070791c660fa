"""Links as pages show them: in the reader's panel, under the aligned view's events, and on the link form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotations.access import annotating_layer, handles_imports_of
from annotations.formats.records import IMPORT_PREFIX
from annotations.models import Link
from articles.models import Article, Revision

MIN_SENTENCE_WORDS = 3  # the link form offers sentences of at least this many words


def may_link(user, activity) -> bool:
    """Whether `user` may make links here now (the same lock as highlighting)."""
    if not user.is_authenticated:
        return False
    if activity is None:
        return True
    try:
        annotating_layer(user, activity)
    except PermissionDenied:
        return False
    return True


def in_activity(path: str, query, activity) -> str:
    """This page with the same query, in `activity` (a page of the public layer offering it)."""
    query = query.copy()
    query["activity"] = str(activity.pk)
    return f"{path}?{query.urlencode()}"


def _reader_url(article_id: int, activity) -> str:
    url = reverse("annotations:reader", args=[article_id])
    return url + (f"?activity={activity.pk}" if activity else "")


def _shown(link: Link, user, activity) -> dict:
    ends = list(link.ends.all())
    return {
        "id": link.pk,
        "kind": link.kind,
        "kind_label": link.get_kind_display(),
        "note": link.note,
        "annotator": link.annotator.username,
        "layer": link.layer,
        "mine": link.annotator_id == user.pk,
        # one an import brought: whoever looks after this layer's imports may delete it
        "removable": link.annotator_id == user.pk
        or (
            link.annotator.username.startswith(IMPORT_PREFIX)
            and handles_imports_of(user, activity)
            and not (activity and activity.revealed)
        ),
        "lost": any(e.lost_reason for e in ends),
        "ends": [
            {
                "article": e.revision.article_id,
                "title": e.revision.title,
                "exact": e.exact,
                "start": e.start,
                "end": e.end,
                "revision": e.revision_id,
                "lost_reason": e.lost_reason,
                "url": _reader_url(e.revision.article_id, activity),
            }
            for e in ends
        ],
    }


def _visible(user, activity, layer: str = ""):
    rows = Link.objects.visible_to(user, activity)
    return rows.filter(layer=layer) if activity is not None and layer else rows


def reader_links(user, article: Article, activity=None) -> list[dict]:
    """The visible links with an end in any revision of `article` (a lost end stays on an old one)."""
    revisions = Revision.objects.filter(article=article).values("pk")
    return [_shown(link, user, activity) for link in _visible(user, activity).touching(revisions)]


def reader_link_count(user, url: str | None) -> int | None:
    """How many links the reader page at `url` lists for `user` now, or None if `url` is another page."""
    from urllib.parse import parse_qs, urlsplit

    from django.http import Http404
    from django.urls import Resolver404, resolve

    from annotations.access import activity_for_member
    from articles.access import article_for_reading

    address = urlsplit(url or "")
    try:
        match = resolve(address.path)
    except Resolver404:
        return None
    if match.view_name != "annotations:reader":
        return None
    value = parse_qs(address.query).get("activity", [""])[0]
    try:
        activity = activity_for_member(user, value) if value else None
        return len(reader_links(user, article_for_reading(match.kwargs["pk"]), activity))
    except Http404:
        return None


def aligned_links(user, chosen: list[Article], sections: list[dict], activity=None, layer: str = "") -> list[dict]:
    """Put each visible link between two chosen articles in the first row it touches, under the
    passages it joins (a link made from a row's "link to…" shows where it was made).

    A link touches a row when one of its ends overlaps one of the row's passages; the links that
    touch none are returned, for a list of their own.
    """
    current = {a.current_id for a in chosen}
    links = [
        _shown(link, user, activity)
        for link in _visible(user, activity, layer).touching(current)
        if all(end.revision_id in current for end in link.ends.all())
    ]
    rows = [row for section in sections for row in section["rows"]]
    for row in rows:
        row["links"] = []
    rest = []
    for link in links:
        home = next((row for row in rows if _touches(link, row)), None)
        (home["links"] if home else rest).append(link)
    return rest


def _touches(link: dict, row: dict) -> bool:
    return any(
        p["article"] == end["article"] and p["start"] < end["end"] and end["start"] < p["end"]
        for end in link["ends"]
        for column in row["columns"]
        for p in column["passages"]
    )


def sentences_of(revision: Revision) -> list[dict]:
    """The sentences the link form offers as passages: "start-end" and the text."""
    out = []
    for start, end in revision.sentences:
        text = revision.text[start:end].strip()
        if len(text.split()) >= MIN_SENTENCE_WORDS:
            out.append({"value": f"{start}-{end}", "text": text})
    return out
