"""Making and removing links between passages of two articles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from annotations.access import activities_at_work, activity_from_request, link_for_editing, linking_layer
from annotations.forms import LinkForm
from annotations.pages.links import in_activity, reader_link_count, sentences_of
from annotations.services.annotations import RevisionSuperseded
from annotations.services.links import Passage, link_create, link_delete
from annotations.text.spans import SpanError
from articles.access import article_for_reading
from articles.models import Article, Revision
from sinorus.wording import as_sentence


def _next(request: HttpRequest, fallback: str) -> str:
    """Where to go after a write: the page the user came from, if it is one of ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else fallback


def _targets(article: Article, activity):
    pool = activity.articles.all() if activity else Article.objects.all()
    return pool.filter(current__isnull=False).exclude(pk=article.pk).select_related("current").order_by("source")


def _passage(field: str, revision_id, article: Article, span: str, quote: str = "") -> Passage:
    """One end as the form gives it; the revision its sentences were offered from must be the article's."""
    revision = Revision.objects.filter(pk=revision_id, article=article).first() if revision_id else article.current
    if revision is None:
        raise SpanError(field, "this passage was offered for another article: choose it again")
    if span:
        start, end = LinkForm.span(span)
        return Passage(revision, start, end)
    return Passage(revision, exact=quote)


@login_required
@require_http_methods(["GET", "POST"])
def link_new(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk)
    activity = activity_from_request(request)
    linking_layer(request.user, activity, [article])  # 404 or 403 before the form is shown
    # "Show its passages" without a script posts the form as it stands (a GET would put the CSRF
    # token in the URL): the same form again, with the chosen article's passages, nothing made
    showing = request.method == "POST" and "show" in request.POST
    form = LinkForm(
        None if showing else request.POST or None,
        articles=_targets(article, activity),
        initial=_initial(request.POST if showing else request.GET, article),
        passages_url=request.path,
    )
    status = _create(request, form, article, activity) if request.method == "POST" and not showing else 200
    if status == 201:
        messages.success(request, "Linked.", extra_tags="links")  # said where the reader returns to: #links
        fallback = article.get_absolute_url() + (f"?activity={activity.pk}" if activity else "") + "#links"
        return redirect(_next(request, fallback))
    context = _context(request, form, article, activity)
    partial = request.htmx and request.method == "GET"  # choosing the other article brings its sentences
    return render(request, "annotations/link_form.html" + ("#second" if partial else ""), context, status=status)


def _create(request: HttpRequest, form: LinkForm, article: Article, activity) -> int:
    """Make the link the form describes: 201, or the status of the errors added to the form."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    target = data["target"]
    layer = linking_layer(request.user, activity, [article, target])
    try:
        link_create(
            user=request.user,
            first=_passage("first", data["first_revision"], article, data["first"]),
            second=_passage("second", data["second_revision"], target, data["second"], data["second_quote"]),
            kind=data["kind"],
            note=data["note"],
            activity=activity,
            layer=layer,
        )
    except SpanError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return 400
    except RevisionSuperseded as exc:
        form.conflict = as_sentence(exc)
        return 409
    return 201


def _initial(query, article: Article) -> dict:
    """What the query string (or a form shown again) chose: a passage (?start=&end= from a
    selection, or ?first=), a target..."""
    initial = {"first_revision": article.current_id}
    first = query.get("first") or f"{query.get('start', '')}-{query.get('end', '')}"
    if _is_span(first) and LinkForm.span(first)[0] < LinkForm.span(first)[1] <= len(article.current.text):
        initial["first"] = first
    if query.get("target", "").isdecimal():
        initial["target"] = int(query["target"])
    initial.update({name: query[name] for name in ("kind", "note", "second_quote") if name in query})
    return initial


def _context(request: HttpRequest, form: LinkForm, article: Article, activity) -> dict:
    """The form with the passages it offers: the chosen one of this article, or its sentences; the target's."""
    first = form["first"].value() or ""
    first_text = ""
    if _is_span(first):
        start, end = LinkForm.span(first)
        first_text = article.current.text[start:end]
    target = _chosen_target(form)
    return {
        "form": form,
        "article": article,
        "activity": activity,
        "first_text": first_text,
        "first_sentences": [] if first_text else sentences_of(article.current),
        "target": target,
        "second_sentences": sentences_of(target.current) if target else [],
        "next": _next(request, ""),
        # outside an activity a link is public: the activities this user is doing on the article,
        # each with this form in it
        "at_work": []
        if activity
        else [(a, in_activity(request.path, request.GET, a)) for a in activities_at_work(request.user, [article.pk])],
    }


def _is_span(value: str) -> bool:
    parts = value.split("-")
    return len(parts) == 2 and all(p.isdecimal() and len(p) < 10 for p in parts)


def _chosen_target(form: LinkForm) -> Article | None:
    value = form["target"].value()
    if not str(value or "").isdecimal():
        return None
    return form.fields["target"].queryset.filter(pk=int(value)).first()


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = link_for_editing(request.user, pk)
    link_delete(link=link, by=request.user)
    if request.htmx:  # the link's list item becomes what was done; the reader's count follows
        return render(
            request,
            "annotations/_links.html#deleted",
            {"count": reader_link_count(request.user, request.htmx.current_url)},
        )
    messages.info(request, "Link deleted.")
    end = link.ends.select_related("revision").first()
    fallback = end.revision.article.get_absolute_url() + (f"?activity={link.activity_id}" if link.activity_id else "")
    return redirect(_next(request, fallback + "#links"))
