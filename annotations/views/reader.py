"""The reader: one article with its highlights and sidebar, and the annotator's edit, delete and undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from annotations.access import (
    activity_from_request,
    activity_includes_article,
    annotation_for_editing,
    annotation_for_removing,
    can_correct_text,
)
from annotations.forms import AnnotationEditForm
from annotations.models import Annotation
from annotations.pages.aligned import groups_for_article
from annotations.pages.links import reader_links
from annotations.pages.reader import reader_listing, reader_workspace
from annotations.services.annotations import RevisionSuperseded, VersionConflict, annotation_update
from annotations.services.deletions import RestoreRefused, annotation_delete, annotation_restore
from articles.access import article_for_reading, revision_for_reading
from sinorus.notices import messages_beside
from sinorus.wording import as_sentence


@require_safe
def reader(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_for_reading(pk)
    revision = revision_for_reading(article, request.GET.get("revision"))
    activity = activity_from_request(request)
    if not activity_includes_article(activity, article):
        raise Http404("This article is not part of the activity.")
    if request.htmx and request.htmx.target == "listing":  # a spot's annotations, or the next page of the list
        return render(request, "annotations/reader.html#listing", reader_listing(request, article, revision, activity))
    context = reader_workspace(request, article, revision, activity)
    if request.htmx:
        return render(request, "annotations/reader.html#workspace", context)
    context["text_codepoints"] = revision.text
    context["sentences"] = revision.sentences
    context["groups"] = groups_for_article(article.pk)
    context["can_correct"] = can_correct_text(request.user)
    context["links"] = reader_links(request.user, article, activity)
    context["can_link"] = context["can_annotate"]
    # "Linked." is said in the links section the link form returns to (#links), the rest at the top
    context["page_messages"], context["links_messages"] = messages_beside(request, "links")
    return render(request, "annotations/reader.html", context)


def _after_change(request: HttpRequest, annotation: Annotation, *, undo: bool = False) -> HttpResponse:
    """htmx: swap in the refreshed workspace; otherwise redirect back to the reader."""
    article = annotation.revision.article
    if request.htmx:
        request.GET = request.GET.copy()
        if undo:
            request.GET["undo"] = str(annotation.pk)
        context = reader_workspace(request, article, annotation.revision, annotation.activity)
        response = render(request, "annotations/reader.html#workspace", context)
        return reswap(retarget(response, "#workspace"), "outerHTML")
    return redirect(_in_reader(annotation, undo=undo) + f"#a{annotation.pk}")


def _in_reader(annotation: Annotation, *, undo: bool = False, kept=None) -> str:
    """The annotation in the reader, in its activity and on its revision, with the sidebar's
    filters `kept` (the query the reader gave the edit or delete it came from)."""
    article = annotation.revision.article
    query = kept.copy() if kept is not None else QueryDict(mutable=True)
    query.pop("undo", None)
    if annotation.activity_id:
        query["activity"] = str(annotation.activity_id)
    if annotation.revision_id != article.current_id:
        query["revision"] = str(annotation.revision.number)
    if undo:
        query["undo"] = str(annotation.pk)
    url = reverse("annotations:reader", args=[article.pk])
    return f"{url}?{query.urlencode()}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_editing(request.user, pk)
    initial = {"tag": annotation.tag.slug, "note": annotation.note, "version": annotation.version}
    ids = f"id_%s_{pk}"  # several edit panels may be open in one page: their fields' ids must differ
    form = AnnotationEditForm(request.POST or None, initial=initial, activity=annotation.activity, auto_id=ids)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            updated = annotation_update(
                annotation=annotation,
                version=form.cleaned_data["version"],
                tag=form.cleaned_data["tag"].slug,
                note=form.cleaned_data["note"],
            )
        except RevisionSuperseded as exc:
            status = 409
            form.conflict = as_sentence(exc)
        except VersionConflict as exc:
            status = 409
            typed = form.cleaned_data["tag"], form.cleaned_data["note"]
            form = AnnotationEditForm(
                activity=annotation.activity,
                auto_id=ids,
                initial={"tag": exc.current.tag.slug, "note": exc.current.note, "version": exc.current.version},
            )
            form.conflict = "This annotation was changed since you opened it (in another tab, or through the API): here is its current state. Edit again."
            form.typed = typed  # what this user wrote, shown beside the current state: nothing typed is lost
            annotation = exc.current
            if request.htmx:
                redrawn = _conflict_in_workspace(request, annotation, form)
                if redrawn is not None:
                    return redrawn
        else:
            return _after_change(request, updated)
    elif request.method == "POST":
        status = 400
    template = "annotations/edit.html#form" if request.htmx else "annotations/edit.html"
    return render(
        request,
        template,
        {"form": form, "annotation": annotation, "back": _in_reader(annotation, kept=request.GET)},
        status=status,
    )


def _conflict_in_workspace(request: HttpRequest, annotation: Annotation, form) -> HttpResponse | None:
    """The workspace drawn again around the conflict's form, open in its annotation's panel: the
    card and the highlights show the current state beside it, not the one the editor had loaded.
    None when the annotation is no longer in the list the reader shows (a filter now hides it):
    then only the form is swapped, so what was typed stays in view."""
    article = annotation.revision.article
    context = reader_workspace(request, article, annotation.revision, annotation.activity)
    if not any(item["id"] == annotation.pk for item in context["items"]):
        return None
    context |= {
        "editing": annotation.pk,
        "form": form,
        "annotation": annotation,
        "back": _in_reader(annotation, kept=request.GET),
    }
    response = render(request, "annotations/reader.html#workspace", context, status=409)
    return reswap(retarget(response, "#workspace"), "outerHTML")


@login_required
@require_POST
def annotation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_removing(request.user, pk)
    annotation_delete(annotation=annotation, by=request.user)
    if not request.htmx:
        messages.info(request, "Annotation deleted.")
    return _after_change(request, annotation, undo=True)


@login_required
@require_POST
def annotation_undo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_removing(request.user, pk, include_deleted=True)
    try:
        annotation_restore(annotation=annotation, by=request.user)
    except RestoreRefused as exc:
        messages.error(request, as_sentence(exc))
        back = _in_reader(annotation) + f"#a{annotation.pk}"
        return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
    if not request.htmx:
        messages.success(request, "Annotation restored.")
    return _after_change(request, annotation)
