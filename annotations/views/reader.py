from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from annotations.access import (
    activity_from_request,
    activity_includes_article,
    annotating_layer,
    annotation_for_editing,
    can_correct_text,
)
from annotations.forms import AnnotationEditForm
from annotations.models import Annotation, Tag
from annotations.services.annotations import VersionConflict, annotation_delete, annotation_restore, annotation_update
from annotations.text.highlighting import Highlight, render_paragraphs
from annotations.views.compare import groups_for_article
from articles.access import article_for_reading, revision_for_reading

SIDEBAR_PAGE = 50  # the rest load with "Show more"; templates cost ~0.2 ms an item


def _workspace(request: HttpRequest, article, revision, activity=None) -> dict:
    """Everything the reader's text and sidebar show; a fixed number of queries at any size."""
    tags = list(activity.tags.all()) if activity else list(Tag.objects.all())
    tag_filter = request.GET.get("tag", "")
    who = request.GET.get("who", "everyone")
    rows = Annotation.objects.visible_to(request.user, activity).filter(revision=revision)
    if who == "mine" and request.user.is_authenticated:
        rows = rows.filter(annotator=request.user)
    if layer := request.GET.get("layer"):
        rows = rows.filter(layer=layer)
    values = list(
        rows.order_by("start", "-end", "pk")
        .annotate(reply_count=Count("replies"))
        .values_list(
            "pk", "start", "end", "tag__slug", "annotator__username", "annotator_id", "exact", "note", "version",
            "layer", "reply_count", "thread_resolved_at",
        )
    )  # fmt: skip
    counts = Counter(v[3] for v in values)
    if tag_filter:
        values = [v for v in values if v[3] == tag_filter]
    highlights = [Highlight(v[0], v[1], v[2], v[3], v[4]) for v in values]
    try:
        limit = max(SIDEBAR_PAGE, int(request.GET.get("limit", SIDEBAR_PAGE)))
    except ValueError:
        limit = SIDEBAR_PAGE
    me = request.user.pk
    items = [
        {"id": v[0], "start": v[1], "end": v[2], "tag": v[3], "annotator": v[4], "mine": v[5] == me,
         "exact": v[6], "note": v[7], "version": v[8], "layer": v[9], "replies": v[10], "resolved": v[11]}
        for v in values[:limit]
    ]  # fmt: skip
    can_annotate, lock_reason = revision.pk == article.current_id, ""
    if activity is not None and request.user.is_authenticated:
        try:
            annotating_layer(request.user, activity)
        except PermissionDenied as exc:
            can_annotate, lock_reason = False, str(exc)
    query = request.GET.copy()
    query.pop("limit", None)
    return {
        "article": article,
        "revision": revision,
        "tags": tags,
        "tag_counts": [(t, counts.get(t.slug, 0)) for t in tags],
        "total": sum(counts.values()),
        "tag_filter": tag_filter,
        "who": who,
        # Built from html.escape()d pieces by annotations.text.highlighting; no user HTML goes in.
        "text_html": mark_safe(render_paragraphs(revision.text, revision.paragraphs, highlights)),
        "items": items,
        "shown": len(values),
        "more": len(values) > limit,
        "next_limit": limit + SIDEBAR_PAGE,
        "query": query.urlencode(),
        "highlight_data": {v[0]: [v[3], v[4], v[1], v[2], v[5] == me] for v in values},
        "is_current": revision.pk == article.current_id,
        "can_annotate": can_annotate and request.user.is_authenticated,
        "lock_reason": lock_reason,
        "activity": activity,
        "activity_query": f"activity={activity.pk}&" if activity else "",
        "undo_id": request.GET.get("undo", ""),
    }


@require_GET
def reader(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk)
    revision = revision_for_reading(article, request.GET.get("revision"))
    activity = activity_from_request(request)
    if not activity_includes_article(activity, article):
        raise Http404("This article is not part of the activity.")
    context = _workspace(request, article, revision, activity)
    if request.htmx:
        return render(request, "annotations/reader.html#workspace", context)
    context["text_codepoints"] = revision.text
    context["sentences"] = revision.sentences
    context["groups"] = groups_for_article(article.pk)
    context["can_correct"] = can_correct_text(request.user)
    return render(request, "annotations/reader.html", context)


def _after_change(request: HttpRequest, annotation: Annotation, *, undo: bool = False) -> HttpResponse:
    """htmx: swap in the refreshed workspace; otherwise redirect back to the reader."""
    article = annotation.revision.article
    if request.htmx:
        request.GET = request.GET.copy()
        if undo:
            request.GET["undo"] = str(annotation.pk)
        context = _workspace(request, article, annotation.revision, annotation.activity)
        response = render(request, "annotations/reader.html#workspace", context)
        return reswap(retarget(response, "#workspace"), "outerHTML")
    url = reverse("annotations:reader", args=[article.pk])
    if annotation.activity_id:
        url += f"?activity={annotation.activity_id}"
    if annotation.revision_id != article.current_id:
        url += ("&" if "?" in url else "?") + f"revision={annotation.revision.number}"
    if undo:
        url += ("&" if "?" in url else "?") + f"undo={annotation.pk}"
    return redirect(url + f"#a{annotation.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_editing(request.user, pk)
    initial = {"tag": annotation.tag.slug, "note": annotation.note, "version": annotation.version}
    form = AnnotationEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            updated = annotation_update(
                annotation=annotation,
                version=form.cleaned_data["version"],
                tag=form.cleaned_data["tag"].slug,
                note=form.cleaned_data["note"],
            )
        except VersionConflict as exc:
            status = 409
            form = AnnotationEditForm(
                initial={"tag": exc.current.tag.slug, "note": exc.current.note, "version": exc.current.version}
            )
            form.conflict = "Someone changed this annotation meanwhile; here is its current state. Edit again."
            annotation = exc.current
        else:
            return _after_change(request, updated)
    elif request.method == "POST":
        status = 400
    template = "annotations/edit.html#form" if request.htmx else "annotations/edit.html"
    return render(request, template, {"form": form, "annotation": annotation}, status=status)


@login_required
@require_POST
def annotation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_editing(request.user, pk)
    annotation_delete(annotation=annotation)
    if not request.htmx:
        messages.info(request, "Annotation deleted.")
    return _after_change(request, annotation, undo=True)


@login_required
@require_POST
def annotation_undo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_editing(request.user, pk, include_deleted=True)
    annotation_restore(annotation=annotation)
    if not request.htmx:
        messages.success(request, "Annotation restored.")
    return _after_change(request, annotation)
