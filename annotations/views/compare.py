"""The aligned view: selected articles in columns, one row per alignment group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.access import activity_from_request, can_edit_alignment
from annotations.models import Job
from annotations.pages.aligned import aligned_rows, suggested_links
from annotations.pages.links import aligned_links, may_link
from articles.models import Article

MAX_COLUMNS = 5


def _selected(request: HttpRequest, articles: list[Article]) -> list[Article]:
    wanted = [v for v in request.GET.getlist("a") if v.isdigit()]
    if wanted:
        chosen = [a for a in articles if str(a.pk) in wanted][:MAX_COLUMNS]
        if len(chosen) >= 2:
            return chosen
    return articles[:MAX_COLUMNS]


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.filter(current__isnull=False).select_related("current").order_by("source"))
    chosen = _selected(request, articles)
    activity = activity_from_request(request)
    built = aligned_rows(request.user, chosen, activity, request.GET.get("layer", ""))
    other_links = aligned_links(request.user, chosen, built["sections"], activity, request.GET.get("layer", ""))
    context = {
        "articles": articles,
        "chosen": chosen,
        "chosen_ids": [a.pk for a in chosen],
        "rows": built["rows"],
        "sections": built["sections"],
        "only_in": built["only_in"],
        "suggestions": suggested_links(chosen),
        "can_edit": can_edit_alignment(request.user),
        "all_groups": [r["group"] for r in built["rows"]],
        "activity": activity,
        "other_links": other_links,
        "can_link": may_link(request.user, activity),
        "realigning": Job.objects.filter(
            kind=Job.Kind.ALIGN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).first(),
    }
    return render(request, "annotations/compare.html", context)
