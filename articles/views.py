from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles.access import (
    article_for_curating,
    article_for_reading,
    can_curate,
    can_edit_alignment,
    can_upload,
    revision_for_reading,
)
from articles.forms import RestoreLineForm, UploadForm, unsupported
from articles.models import AlignmentGroup, AlignmentPassage, Article
from articles.services.alignment_corrections import alignment_override_add
from articles.services.processing import ArticleImportError
from articles.services.revisions import article_import, followed_summary, revision_restore_line
from articles.signals import corpus_changed
from sinorus.notices import messages_beside
from sinorus.wording import as_sentence


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.filter(current__isnull=False).select_related("current").order_by("source")
    return render(request, "articles/list.html", {"articles": articles})


@require_safe
def revision_text(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A revision's cleaned text as text/plain at a stable URL: what annotation offsets count into.

    W3C exports name this URL as each target's source, so position selectors hold against it
    (the reader page's textContent joins paragraphs differently).
    """
    article = article_for_reading(pk, light=True)
    revision = revision_for_reading(article, str(number))
    response = HttpResponse(revision.text, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # public text, for browser annotation tools
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk)
    revision = revision_for_reading(article, request.GET.get("revision"))
    return render(request, "articles/detail.html", {"article": article, "revision": revision})


@require_safe
def article_report(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk)
    revision = revision_for_reading(article, request.GET.get("revision"))
    context = {
        "article": article,
        "revision": revision,
        "revisions": article.revisions.order_by("-number").only("number", "created_at", "kept_lines", "carried"),
        "can_restore": can_curate(request.user) and revision.pk == article.current_id,
    }
    # what "Add to the article" said is shown beside the list it returns to, the rest at the top
    context["page_messages"], context["left_out_messages"] = messages_beside(request, "left-out")
    return render(request, "articles/report.html", context)


@require_POST
def article_restore_line(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_curating(request.user, pk)
    form = RestoreLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a dropped line to restore.")
    else:
        try:
            revision = revision_restore_line(article=article, number=form.cleaned_data["number"])
            corpus_changed.send(sender=Article, user=request.user)
        except ValueError as exc:
            messages.error(request, as_sentence(exc))
        else:
            messages.success(
                request,
                f"Line {form.cleaned_data['number']} restored in revision {revision.number}; "
                + followed_summary(revision.followed),
            )
    return redirect("articles:report", pk=article.pk)


@login_required
@require_http_methods(["GET", "POST"])
def article_upload(request: HttpRequest) -> HttpResponse:
    if not can_upload(request.user):
        raise PermissionDenied("Only curators upload articles.")
    results: list[tuple[str, str, str, Article | None]] = []
    realigning = None  # the job realigning the corpus with what was uploaded, to follow from here
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["files"]:
            if reason := unsupported(upload.name):
                results.append((upload.name, "failed", reason, None))
                continue
            try:
                outcome = article_import(
                    source=upload.name, data=upload.read(), over_correction=form.cleaned_data["over_correction"]
                )
            except ArticleImportError as exc:
                results.append((upload.name, "failed", exc.reason, None))
            else:
                details = list(outcome.warnings)
                if outcome.status == "revised":
                    details.append(followed_summary(outcome))
                results.append((upload.name, outcome.status, "; ".join(details), outcome.article))
        if any(status in ("created", "revised") for _name, status, _detail, _article in results):
            answers = corpus_changed.send(sender=Article, user=request.user)  # the alignment is redone off the request
            realigning = next((job for _receiver, job in answers if hasattr(job, "get_absolute_url")), None)
    status = 400 if any(r[1] == "failed" for r in results) or form.errors else 200
    # the job page's way to the aligned view shows these articles side by side, not the corpus's first five
    shown = [a.pk for _name, state, _detail, a in results if a is not None and state in ("created", "revised")]
    context = {
        "form": form,
        "results": results,
        "realigning": realigning,
        "shown": urlencode({"a": shown[:5]}, doseq=True),
    }
    return render(request, "articles/upload.html", context, status=status)


@login_required
@require_POST
def alignment_correct(request: HttpRequest) -> HttpResponse:
    """An editor's correction: rename a row, split a passage out, move it, merge two rows, or
    accept or reject a suggested link between two passages."""
    if not can_edit_alignment(request.user):
        raise PermissionDenied("Only editors correct the alignment.")
    kind = request.POST.get("kind", "")
    article = get_object_or_404(Article, pk=_int(request.POST.get("article")))
    start = _int(request.POST.get("start"))
    query = request.POST.get("query", "")
    target_group = request.POST.get("target_group")
    target_article = target_start = None
    if kind in ("move", "merge") and not AlignmentGroup.objects.filter(pk=_int(target_group)).exists():
        messages.error(request, "Choose the row to move or merge into.")
        return _back_to_row(query, article, start, reopen=True)
    if kind in ("accept", "reject"):
        target_article = get_object_or_404(Article, pk=_int(request.POST.get("target_article")))
        target_start = _int(request.POST.get("target_start"))
    if kind == "rename" and not request.POST.get("label", "").strip():
        messages.error(request, "A label cannot be empty.")
        return _back_to_row(query, article, start, reopen=True)
    if kind not in ("rename", "split", "move", "merge", "accept", "reject"):
        messages.error(request, "Unknown correction.")
        return redirect("annotations:compare")
    was = _row_holding(article, start)  # where a passage split out (into no row) was
    if kind in ("move", "merge"):  # a correction that changes nothing is not kept either
        into = _int(target_group)
        already = AlignmentPassage.objects.filter(group_id=into, article=article, start__lte=start, end__gt=start)
        if (kind == "merge" and into == was) or (kind == "move" and already.exists()):
            messages.error(request, "The passage is already in that row: choose another row.")
            return _back_to_row(query, article, start, reopen=True)
    try:
        alignment_override_add(
            user=request.user,
            kind=kind,
            article=article,
            start=start,
            target_article=target_article,
            target_start=target_start,
            label=request.POST.get("label", ""),
            target_group=_int(target_group) if kind in ("move", "merge") else None,
        )
    except (ValidationError, ValueError) as exc:  # a passage no text holds (a hand-made request)
        messages.error(request, as_sentence(exc.messages[0] if isinstance(exc, ValidationError) else exc))
        return redirect("annotations:compare")
    still = _row_holding(article, start) if kind == "split" else None  # a sentence can be in two rows
    elsewhere = AlignmentGroup.objects.filter(pk=still).values_list("label", flat=True).first() if still else None
    done = {
        "rename": "Row renamed",
        "split": f"Passage split out of the row (it stays in the row “{elsewhere}”)"
        if elsewhere is not None
        else "Passage split out of the row (now listed under “Only in …”)",
        "move": "Passage moved",
        "merge": "Rows merged",
        "accept": "Suggested link accepted: the passages share a row",
        "reject": "Suggested link rejected: it is not suggested again",
    }[kind]
    messages.success(request, f"{done}; the correction is kept when the alignment is recomputed.")
    if kind == "reject":  # the judged suggestion is gone from the list it was in: back to that list
        return redirect(reverse("annotations:compare") + "?" + _without_place(query, at="suggested") + "#suggested")
    if kind == "split" and was and AlignmentGroup.objects.filter(pk=was).exists():
        return _back_to_row(query, article, start, row=was)  # the row it left, not another that holds it
    return _back_to_row(query, article, start, was=was)


def _row_holding(article: Article, start: int) -> int | None:
    passage = (
        AlignmentPassage.objects.filter(article=article, start__lte=start, end__gt=start)
        .order_by("group__order", "group_id")
        .only("group_id")
        .first()
    )
    return passage.group_id if passage else None


def _without_place(query: str, **extra: str) -> str:
    """The aligned view's query without the row or controls an earlier correction came back to."""
    params = QueryDict(query, mutable=True)
    for name in ("row", "correct", "at"):
        params.pop(name, None)
    params.update(extra)
    return params.urlencode()


def _back_to_row(
    query: str,
    article: Article,
    start: int,
    *,
    reopen: bool = False,
    was: int | None = None,
    row: int | None = None,
) -> HttpResponse:
    """The aligned view at `row`, else at the row that holds the passage (rows are rebuilt by a
    correction, so it is looked up), or else at the row it was in (`was`: split out), not at its
    top; `reopen`: with that row's correction controls open (after an error)."""
    row = (
        row or _row_holding(article, start) or (was if was and AlignmentGroup.objects.filter(pk=was).exists() else None)
    )
    query = _without_place(query)
    url = reverse("annotations:compare") + "?" + query
    if row:  # the row shows the message (the top of the page is out of sight), and after an error its controls
        url += f"{'&' if query else ''}{'correct' if reopen else 'row'}={row}"
    return redirect(url + (f"#g{row}" if row else ""))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
