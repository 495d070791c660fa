"""The aligned view's rows: for each alignment group, the passages of each chosen article with their highlights."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from typing import NamedTuple

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from annotations.models import Annotation, Tag
from annotations.text.coverage import Highlights, TagCounts
from annotations.text.highlighting import Painter
from articles.models import AlignmentGroup, AlignmentPassage, AlignmentSuggestion, Article
from articles.services.alignment_corrections import offsets_naming


class _Passage(NamedTuple):
    group_id: int
    article_id: int
    revision_id: int
    start: int
    end: int


def _passages(chosen: list[Article]) -> tuple[list[_Passage], dict[int, AlignmentGroup]]:
    """The chosen articles' passages (rows, not model instances: a view has hundreds), and their groups."""
    passages = [
        _Passage(*row)
        for row in AlignmentPassage.objects.filter(article_id__in=[a.pk for a in chosen])
        .order_by("group__order", "article_id", "start")
        .values_list("group_id", "article_id", "revision_id", "start", "end")
    ]
    groups = AlignmentGroup.objects.filter(pk__in={p.group_id for p in passages}).select_related("event")
    return passages, {g.pk: g for g in groups.only(*GROUP_FIELDS)}


GROUP_FIELDS = ("event__label", "event__order", "label", "discrepancy", "order", "level")


def _highlights(user, activity, layer: str, chosen: list[Article]) -> dict[int, Highlights]:
    visible = Annotation.objects.visible_to(user, activity)
    if activity is not None and layer:
        visible = visible.filter(layer=layer)
    rows = visible.filter(revision_id__in=[a.current_id for a in chosen]).values_list(
        "revision_id", "pk", "start", "end", "tag__slug", "annotator__username"
    )
    by_revision: dict[int, list[tuple]] = defaultdict(list)
    for revision_id, *row in rows:
        by_revision[revision_id].append(row)
    return defaultdict(lambda: Highlights.of([]), {pk: Highlights.of(rows) for pk, rows in by_revision.items()})


def _cell(passage: _Passage, starts: list[int], painter: Painter, urls: dict[int, tuple[str, str]]) -> dict:
    """One passage as the aligned view shows it; `starts`: where its revision's paragraphs begin."""
    paragraph = max(0, bisect_right(starts, passage.start) - 1)
    return {
        "html": mark_safe(painter.draw(passage.start, passage.end)),  # escaped pieces
        "url": f"{urls[passage.article_id][0]}#p{paragraph}",
        "link": f"{urls[passage.article_id][1]}?start={passage.start}&end={passage.end}",
        "article": passage.article_id,
        "start": passage.start,
        "end": passage.end,
    }


def _columns(row: dict, chosen: list[Article], tags: dict[str, Tag], titles: list[str]) -> list[dict]:
    columns = []
    for n, cell in enumerate(row["cells"]):
        counts = row["tags"][n]
        columns.append(
            {
                "article": chosen[n],
                "title": titles[n],
                "passages": cell,
                "counts": [(tags.get(t), c) for t, c in counts.most_common()],
                "dominant": counts.most_common(1)[0][0] if counts else "",
            }
        )
    return columns


def _only_in(chosen: list[Article], covered: dict[int, list[tuple[int, int]]]) -> list[dict]:
    """Per article, the sentences of four words or more that no row holds."""
    only_in = []
    for article in chosen:
        spans = covered[article.pk]
        text = article.current.text
        lonely = [
            text[s:e]
            for s, e in article.current.sentences
            if not any(a <= s < b for a, b in spans) and len(text[s:e].split()) >= 4
        ]
        only_in.append({"article": article, "sentences": lonely})
    return only_in


def aligned_rows(user, chosen: list[Article], activity=None, layer: str = "") -> dict:
    """Rows covered by two or more chosen articles (most-covered first), and what only one article has."""
    columns = {a.pk: n for n, a in enumerate(chosen)}
    revision_of = {a.pk: a.current for a in chosen}
    highlights = _highlights(user, activity, layer, chosen)
    urls = {
        a.pk: (reverse("annotations:reader", args=[a.pk]), reverse("annotations:link_new", args=[a.pk])) for a in chosen
    }
    passages, groups = _passages(chosen)
    passages = [p for p in passages if p.revision_id == revision_of[p.article_id].pk]
    # (a passage of an older revision is skipped: the alignment is recomputed after imports)
    bounds: dict[int, list[int]] = defaultdict(list)
    for p in passages:
        bounds[p.revision_id] += (p.start, p.end)
    # still marks: the aligned view has no script to press them with
    painters = {r.pk: Painter(r.text, highlights[r.pk], bounds[r.pk], still=True) for r in revision_of.values()}
    counts = {r.pk: TagCounts(highlights[r.pk]) for r in revision_of.values()}
    starts = {r.pk: [paragraph[0] for paragraph in r.paragraphs] for r in revision_of.values()}
    rows: dict[int, dict] = {}
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in passages:
        revision = revision_of[p.article_id]
        row = rows.setdefault(
            p.group_id,
            {"group": groups[p.group_id], "cells": [[] for _ in chosen], "tags": [Counter() for _ in chosen]},
        )
        row["cells"][columns[p.article_id]].append(_cell(p, starts[revision.pk], painters[revision.pk], urls))
        row["tags"][columns[p.article_id]].update(counts[revision.pk].overlapping(p.start, p.end))
        covered[p.article_id].append((p.start, p.end))
    shown = [r for r in rows.values() if sum(1 for c in r["cells"] if c) >= 2]
    shown.sort(key=lambda r: r["group"].order)
    tags_by_slug = {t.slug: t for t in Tag.objects.all()}
    titles = [Truncator(a.current.title).chars(60) for a in chosen]
    for row in shown:
        row["coverage"] = sum(1 for c in row["cells"] if c)
        row["columns"] = _columns(row, chosen, tags_by_slug, titles)
    sections = _event_sections(shown)
    in_order = [row for section in sections for row in section["rows"]]  # the overview reads as the page does
    return {"rows": in_order, "sections": sections, "only_in": _only_in(chosen, covered)}


def _event_sections(rows: list[dict]) -> list[dict]:
    """Rows (points) under their event, events in the engine's order, widest event first among ties."""
    sections: dict[object, dict] = {}
    for row in rows:
        event = row["group"].event
        key = event.pk if event else ("group", row["group"].pk)
        sections.setdefault(key, {"event": event, "rows": []})["rows"].append(row)
    for section in sections.values():
        section["coverage"] = max(r["coverage"] for r in section["rows"])
    return sorted(sections.values(), key=lambda s: (-s["coverage"], s["rows"][0]["group"].order))


def suggested_links(chosen: list[Article], limit: int = 20) -> list[dict]:
    """Pairs of passages of the chosen articles that the engine found likely the same but did not
    group, most likely first, with their text as each article's current revision holds it."""
    revision_of = {a.pk: a.current for a in chosen}
    ids = list(revision_of)
    rows: dict[int, list[tuple[int, int, int]]] = {}
    for article_id, start, end, group_id in AlignmentPassage.objects.filter(
        article_id__in=ids, revision_id=F("article__current")
    ).values_list("article_id", "start", "end", "group_id"):
        rows.setdefault(article_id, []).append((start, end, group_id))

    def rows_of(article_id: int, offset: int) -> set[int]:
        return {g for start, end, g in rows.get(article_id, ()) if start <= offset < end}

    out = []
    for s in AlignmentSuggestion.objects.filter(article_id__in=ids, target_article_id__in=ids)[: limit * 3]:
        left, right = revision_of[s.article_id], revision_of[s.target_article_id]
        if s.end > len(left.text) or s.target_end > len(right.text):
            continue  # computed on an older revision; the next recomputation replaces it
        if rows_of(s.article_id, s.start) & rows_of(s.target_article_id, s.target_start):
            continue  # a correction has put them in one row since
        if len(out) == limit:
            break
        out.append(
            {
                "suggestion": s,
                "percent": round(s.probability * 100),
                "left": {"article": s.article_id, "title": left.title, "text": left.text[s.start : s.end]},
                "right": {
                    "article": s.target_article_id,
                    "title": right.title,
                    "text": right.text[s.target_start : s.target_end],
                },
            }
        )
    return out


def groups_for_article(article_id: int, columns: int = 5) -> list[AlignmentGroup]:
    """Rows of the aligned view that hold a passage of this article, for the reader's sidebar; each
    with `compare_query`: the aligned view's choice of articles that shows it (this article and
    the row's others, up to `columns`), since the default choice may not hold this article."""
    groups = list(AlignmentGroup.objects.filter(passages__article_id=article_id).distinct().order_by("order")[:50])
    held: dict[int, list[int]] = {}
    for group_id, other in (
        AlignmentPassage.objects.filter(group__in=groups)
        .exclude(article_id=article_id)
        .order_by("group_id", "article_id")
        .values_list("group_id", "article_id")
        .distinct()
    ):
        held.setdefault(group_id, []).append(other)
    for group in groups:
        chosen = [article_id, *held.get(group.pk, [])][:columns]
        group.compare_query = "&".join(f"a={pk}" for pk in chosen)
    return groups


def correction_row(chosen: list[Article], group_pk: int) -> dict | None:
    """What the "Correct this row" controls of one row need, loaded only when an editor opens them.

    The row's passages in the chosen articles and the other rows a passage can move into (those
    the page shows: covered by two or more chosen articles). None if the row is not shown.
    """
    current = [a.current_id for a in chosen]
    titles = {a.pk: a.current.title for a in chosen}
    texts = {a.pk: a.current.text for a in chosen}
    passages = list(
        AlignmentPassage.objects.filter(group_id=group_pk, revision_id__in=current)
        .order_by("article_id", "start")
        .values_list("article_id", "start", "end")
    )
    if not passages:
        return None
    group = AlignmentGroup.objects.get(pk=group_pk)
    # A correction names a passage by an offset, which the first row holding it takes.
    offsets = offsets_naming(group, passages)
    groups = (
        AlignmentGroup.objects.filter(passages__revision_id__in=current)
        .annotate(articles=Count("passages__article", distinct=True))
        .filter(articles__gte=2)
        .only("pk", "label", "order")
        .order_by("order", "pk")
    )
    return {
        "group": group,
        "passages": [
            {"article": a, "title": titles[a], "start": at, "text": Truncator(texts[a][s:e]).chars(90)}
            for (a, s, e), at in zip(passages, offsets, strict=True)
            if at is not None
        ],
        "shared": [
            {"title": titles[a], "text": Truncator(texts[a][s:e]).chars(90), **_earlier_row_holding(group, a, s)}
            for (a, s, e), at in zip(passages, offsets, strict=True)
            if at is None
        ],
        "targets": [g for g in groups if g.pk != group_pk],
    }


def _earlier_row_holding(group: AlignmentGroup, article_id: int, start: int) -> dict:
    """The first row before `group` that holds this passage's start (where a correction naming it
    lands; see offsets_naming)."""
    row = (
        AlignmentPassage.objects.filter(article_id=article_id, start__lte=start, end__gt=start)
        .filter(Q(group__order__lt=group.order) | Q(group__order=group.order, group_id__lt=group.pk))
        .order_by("group__order", "group_id")
        .values("group_id", "group__label")
        .first()
    )
    return {"row": row["group_id"], "label": row["group__label"]} if row else {"row": group.pk, "label": group.label}
