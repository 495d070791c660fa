"""The aligned view: selected articles in columns, one row per alignment group."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from annotations.access import activities_at_work, activity_from_request, can_edit_alignment
from annotations.models import Job, Tag
from annotations.pages.aligned import aligned_rows, correction_row, suggested_links
from annotations.pages.links import aligned_links, in_activity, may_link
from articles.access import row_id
from articles.models import Article

MAX_COLUMNS = 5


def _selected(request: HttpRequest, articles: list[Article], whose: str = "") -> tuple[list[Article], str]:
    """The articles to compare, and what to tell the reader when the choice could not be followed.
    `whose`: the activity the articles offered are those of ("this exercise's")."""
    asked = request.GET.getlist("a")
    if not asked:
        if len(articles) > MAX_COLUMNS:
            return articles[:MAX_COLUMNS], (
                f"Showing the first {MAX_COLUMNS} of {len(articles)} articles: choose which to compare below."
            )
        return articles, ""
    wanted = {v for v in asked if v.isdigit()}
    chosen = [a for a in articles if str(a.pk) in wanted]
    if len(chosen) < 2:
        shown = "these articles" if len(articles) <= MAX_COLUMNS else f"the first {MAX_COLUMNS} articles"
        of = f"{whose} " if whose else ""
        return articles[:MAX_COLUMNS], f"Choose two {of}articles or more to compare: showing {shown}."
    if len(chosen) > MAX_COLUMNS:
        note = f"At most {MAX_COLUMNS} articles side by side: showing the first {MAX_COLUMNS} chosen."
        return chosen[:MAX_COLUMNS], note
    return chosen, ""


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    activity = activity_from_request(request)
    articles = Article.objects.filter(current__isnull=False).select_related("current").order_by("source")
    articles = list(articles)
    titles = Counter(a.current.title for a in articles)
    for a in articles:  # two articles of one title are told apart by their file names
        a.twin = titles[a.current.title] > 1
    whose = ""
    if activity:  # an exercise's or session's highlights are on its articles: those are the columns offered
        own = set(activity.articles.values_list("pk", flat=True))
        if len(own) >= 2:  # (one article alone is compared with the others)
            articles = [a for a in articles if a.pk in own]
            whose = f"of this {activity.get_kind_display()}'s"
    chosen, choice_note = _selected(request, articles, whose)
    correct = row_id(request.GET.get("correct"))
    if request.htmx and correct:
        return _correction_controls(request, chosen, correct)
    built = aligned_rows(request.user, chosen, activity, request.GET.get("layer", ""))
    suggestions = suggested_links(chosen)
    other_links = aligned_links(request.user, chosen, built["sections"], activity, request.GET.get("layer", ""))
    context = {
        "articles": articles,
        "chosen": chosen,
        "chosen_ids": [a.pk for a in chosen],
        "choice_note": choice_note,
        "rows": built["rows"],
        "sections": built["sections"],
        "only_in": built["only_in"],
        "suggestions": suggestions,
        "can_edit": can_edit_alignment(request.user),
        # Without JavaScript, ?correct=<row> shows that row's correction controls in the page.
        "correction": correction_row(chosen, correct) if can_edit_alignment(request.user) and correct else None,
        "query": _without_correct(request),
        # the row a correction came back to shows its message; the top of the page does if it is not shown
        "message_row": next(
            (r["group"].pk for r in built["rows"] if r["group"].pk in (correct, row_id(request.GET.get("row")))),
            "suggested" if request.GET.get("at") == "suggested" and suggestions else None,
        ),
        "legend_tags": activity.tags.all() if activity else Tag.objects.public(),
        "activity": activity,
        # outside an activity links made here are public: the activities this user is doing on these articles
        "at_work": []
        if activity
        else [
            (a, in_activity(request.path, request.GET, a))
            for a in activities_at_work(request.user, [c.pk for c in chosen])
        ],
        "other_links": other_links,
        "can_link": may_link(request.user, activity),
        # what each passage's "link to…" adds to its own start and end; the page comes back at its
        # row, which the template appends (`row=N#gN`), with the message there
        "link_query": (f"&activity={activity.pk}" if activity else "") + "&next=" + quote(_back_to_a_row(request)),
        "realigning": Job.objects.filter(
            kind=Job.Kind.ALIGN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).first(),
    }
    return render(request, "annotations/compare.html", context)


def _correction_controls(request: HttpRequest, chosen: list[Article], group_pk: int) -> HttpResponse:
    """htmx: one row's correction forms, so the page does not carry a select of every row per passage."""
    if not can_edit_alignment(request.user):
        raise PermissionDenied("Only editors correct the alignment.")
    row = correction_row(chosen, group_pk)
    if row is None:
        raise Http404("No such row among these articles.")
    context = {"correction": row, "query": _without_correct(request)}
    return render(request, "annotations/compare.html#correct", context)


def _without_correct(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("correct", None)
    query.pop("row", None)
    query.pop("at", None)
    return query.urlencode()


def _back_to_a_row(request: HttpRequest) -> str:
    """This page's address, without the row it was opened at, ready for another: "...&row="."""
    query = request.GET.copy()
    query.pop("row", None)
    return f"{request.path}?{query.urlencode()}&row=" if query else f"{request.path}?row="
