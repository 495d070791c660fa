"""The aligned view: selected articles in columns, one row per alignment group."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from annotations.access import activity_from_request
from annotations.highlighting import Highlight, highlights_in, render_span
from annotations.models import Annotation, Job, Tag
from articles.models import AlignmentGroup, AlignmentPassage, Article
from articles.services import alignment_override_add

MAX_COLUMNS = 5


def _selected(request: HttpRequest, articles: list[Article]) -> list[Article]:
    wanted = [v for v in request.GET.getlist("a") if v.isdigit()]
    if wanted:
        chosen = [a for a in articles if str(a.pk) in wanted][:MAX_COLUMNS]
        if len(chosen) >= 2:
            return chosen
    return articles[:MAX_COLUMNS]


def can_edit_alignment(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("articles.change_alignmentgroup"))


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.filter(current__isnull=False).select_related("current").order_by("source"))
    chosen = _selected(request, articles)
    columns = {a.pk: n for n, a in enumerate(chosen)}
    revision_of = {a.pk: a.current for a in chosen}
    passages = (
        AlignmentPassage.objects.filter(article_id__in=columns)
        .select_related("group__event")
        .only(
            "group__event__label",
            "group__event__order",
            "group__label",
            "group__discrepancy",
            "group__order",
            "group__level",
            "article_id",
            "revision_id",
            "start",
            "end",
        )
        .order_by("group__order", "article_id", "start")
    )
    activity = activity_from_request(request)
    visible = Annotation.objects.visible_to(request.user, activity)
    if activity is not None and request.GET.get("layer"):
        visible = visible.filter(layer=request.GET["layer"])
    annotations = list(
        visible.filter(revision_id__in=[r.pk for r in revision_of.values()]).values_list(
            "pk", "revision_id", "start", "end", "tag__slug", "annotator__username"
        )
    )
    highlights_by_revision: dict[int, list[Highlight]] = defaultdict(list)
    for pk, revision_id, start, end, tag, who in annotations:
        highlights_by_revision[revision_id].append(Highlight(pk, start, end, tag, who))

    rows: dict[int, dict] = {}
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in passages:
        revision = revision_of[p.article_id]
        if p.revision_id != revision.pk:
            continue  # an older revision: the alignment is recomputed after imports
        row = rows.setdefault(
            p.group_id, {"group": p.group, "cells": [[] for _ in chosen], "tags": [Counter() for _ in chosen]}
        )
        hs = highlights_by_revision[revision.pk]
        by_id = {h.id: h for h in hs}
        inside = highlights_in(p.start, p.end, hs)
        row["tags"][columns[p.article_id]].update(by_id[i].tag for i, _s, _e in inside)
        starts = [para[0] for para in revision.paragraphs]
        row["cells"][columns[p.article_id]].append(
            {
                "html": mark_safe(render_span(revision.text, p.start, p.end, inside, by_id)),  # escaped pieces
                "url": reverse("annotations:reader", args=[p.article_id])
                + f"#p{max(0, bisect_right(starts, p.start) - 1)}",
                "article": p.article_id,
                "start": p.start,
            }
        )
        covered[p.article_id].append((p.start, p.end))
    shown = [r for r in rows.values() if sum(1 for c in r["cells"] if c) >= 2]
    shown.sort(key=lambda r: r["group"].order)
    tags = {t.slug: t for t in Tag.objects.all()}
    for row in shown:
        row["coverage"] = sum(1 for c in row["cells"] if c)
        row["columns"] = []
        for n, cell in enumerate(row["cells"]):
            counts = row["tags"][n]
            dominant = counts.most_common(1)[0][0] if counts else ""
            row["columns"].append(
                {
                    "article": chosen[n],
                    "passages": cell,
                    "counts": [(tags.get(t), c) for t, c in counts.most_common()],
                    "dominant": dominant,
                }
            )
    only_in = []
    for article in chosen:
        spans = covered[article.pk]
        lonely = [
            article.current.text[s:e]
            for s, e in article.current.sentences
            if not any(a <= s < b for a, b in spans) and len(article.current.text[s:e].split()) >= 4
        ]
        only_in.append({"article": article, "sentences": lonely})
    context = {
        "sections": _event_sections(shown),
        "articles": articles,
        "chosen": chosen,
        "chosen_ids": [a.pk for a in chosen],
        "rows": shown,
        "only_in": only_in,
        "can_edit": can_edit_alignment(request.user),
        "all_groups": [r["group"] for r in shown],
        "activity": activity,
        "realigning": Job.objects.filter(
            kind=Job.Kind.ALIGN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).first(),
    }
    return render(request, "annotations/compare.html", context)


def _event_sections(rows: list[dict]) -> list[dict]:
    """Rows (points) under their event, events in the engine's order, widest event first among ties."""
    sections: dict[object, dict] = {}
    for row in rows:
        event = row["group"].event
        section = sections.setdefault(event.pk if event else ("group", row["group"].pk), {"event": event, "rows": []})
        section["rows"].append(row)
    for section in sections.values():
        section["coverage"] = max(r["coverage"] for r in section["rows"])
    return sorted(sections.values(), key=lambda s: (-s["coverage"], s["rows"][0]["group"].order))


@login_required
@require_POST
def alignment_correct(request: HttpRequest) -> HttpResponse:
    """An editor's correction: rename a row, split a passage out, move it, or merge two rows."""
    if not can_edit_alignment(request.user):
        raise PermissionDenied("Only editors correct the alignment.")
    kind = request.POST.get("kind", "")
    article = get_object_or_404(Article, pk=_int(request.POST.get("article")))
    start = _int(request.POST.get("start"))
    target_group = request.POST.get("target_group")
    target_article = target_start = None
    if kind in ("move", "merge"):
        target = AlignmentPassage.objects.filter(group_id=_int(target_group)).order_by("article_id", "start").first()
        if target is None:
            messages.error(request, "Choose the row to move or merge into.")
            return redirect(reverse("annotations:compare") + "?" + request.POST.get("query", ""))
        target_article, target_start = target.article, target.start
    if kind == "rename" and not request.POST.get("label", "").strip():
        messages.error(request, "A label cannot be empty.")
        return redirect(reverse("annotations:compare") + "?" + request.POST.get("query", ""))
    if kind not in ("rename", "split", "move", "merge"):
        messages.error(request, "Unknown correction.")
        return redirect("annotations:compare")
    alignment_override_add(
        user=request.user, kind=kind, article=article, start=start, target_article=target_article,
        target_start=target_start, label=request.POST.get("label", ""),
    )  # fmt: skip
    messages.success(request, "Alignment corrected; the correction is kept when the alignment is recomputed.")
    return redirect(reverse("annotations:compare") + "?" + request.POST.get("query", ""))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def groups_for_article(article_id: int) -> list[AlignmentGroup]:
    """Rows of the aligned view that hold a passage of this article, for the reader's sidebar."""
    return list(AlignmentGroup.objects.filter(passages__article_id=article_id).distinct().order_by("order")[:50])
