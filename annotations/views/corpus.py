"""Download and upload of annotated corpora, orphans, and editors' text corrections."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations.access import can_correct_text, can_export
from annotations.corpus_forms import CorrectionForm, ExportForm, ImportForm, OrphanForm
from annotations.models import Annotation, Job, Link, Orphan
from annotations.pages.orphans import with_tag_choices
from annotations.services.corrections import article_block_add as article_add_block_service
from annotations.services.corrections import article_text_correct, orphan_dismiss, orphan_reattach
from annotations.services.exports import (
    FILE_NAMES,
    STREAMED,
    ZIP_FORMATS,
    ExportFilter,
    export_chunks,
    export_holds_nothing,
)
from annotations.services.imports import ImportFileError, annotations_import
from annotations.services.jobs import job_export, jobs_recover_stale
from annotations.views.api_json import site_base
from articles.access import article_for_reading, row_id
from articles.models import Article
from articles.services.revisions import StaleCorrection
from articles.signals import corpus_changed
from sinorus.wording import as_sentence

MAX_UPLOAD = 50 * 1024 * 1024


STREAM_PIECE = 64 * 1024  # characters a write: one line an annotation would be a write each


def _in_pieces(chunks, size: int = STREAM_PIECE):
    """Small chunks joined into pieces of about `size`: a streamed response in few writes."""
    held: list[str] = []
    length = 0
    for chunk in chunks:
        held.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


@login_required
@require_http_methods(["GET"])
def export_page(request: HttpRequest) -> HttpResponse:
    if not can_export(request.user):
        raise PermissionDenied("Only instructors and editors export corpora.")
    form = ExportForm(request.user, request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "annotations/export.html", {"form": form}, status=400 if request.GET else 200)
    data = form.cleaned_data
    flt = ExportFilter(
        [a.pk for a in data["article"]],
        data["activity"],
        data["annotator"],
        data["tag"].slug if data["tag"] else "",
        data["layer"],
        data["names"],
        label=data["label"],
        utf16=data["utf16"],
    )
    if export_holds_nothing(request.user, flt):
        context = {"form": form, "nothing": True}
        return render(request, "annotations/export.html", context)
    base = site_base(request)
    fmt = data["format"]
    if fmt in STREAMED:
        chunks = _in_pieces(export_chunks(fmt, request.user, flt, base=base))
        response = StreamingHttpResponse(chunks, content_type=STREAMED[fmt] + "; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{flt.file_name(FILE_NAMES.get(fmt, fmt))}"'
        return response
    # The other formats are files built by the task worker; the job page shows progress and the download.
    job = job_export(user=request.user, fmt=fmt, params={**flt.as_params(), "base": base})
    return redirect(job)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not can_export(request.user):
        raise PermissionDenied("Only instructors and editors import corpora.")
    form = ImportForm(request.user, request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB.")
            status = 400
        else:
            try:
                report = annotations_import(
                    data=upload.read(),
                    filename=upload.name,
                    importer=request.user,
                    activity=form.cleaned_data["activity"],
                    article=form.cleaned_data["article"],
                    default_tag=form.cleaned_data["default_tag"],
                    authors=form.cleaned_data["authors"],
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:  # the result is shown after a redirect: reloading it does not import the file again
                request.session["import_report"] = {
                    "summary": report.summary(),
                    "authors": report.authors,
                    "orphans": report.orphans[:50],
                }
                return redirect(reverse("annotations:import") + "#result")
    elif request.method == "POST":
        status = 400
    else:
        report = request.session.pop("import_report", None)
    return render(request, "annotations/import.html", {"form": form, "report": report}, status=status)


def _orphans_for(user):
    if not can_export(user):
        raise PermissionDenied("Only instructors and editors handle orphans.")
    # Public-layer orphans belong to every instructor and editor; an activity's to its owner.
    return (
        Orphan.objects.filter(resolved_at__isnull=True)
        .filter(Q(activity__isnull=True) | Q(activity__owner=user))
        .select_related("article__current", "annotator")
    )


@login_required
@require_http_methods(["GET"])
def orphan_list(request: HttpRequest) -> HttpResponse:
    return _orphans_page(request)


@login_required
@require_POST
def orphan_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    orphan = get_object_or_404(_orphans_for(request.user), pk=pk)
    if "dismiss" in request.POST:
        orphan_dismiss(orphan=orphan)
        messages.info(request, "Orphan dismissed.")
        return redirect("annotations:orphans")
    form = OrphanForm(request.POST)
    if not form.is_valid():
        return _orphans_page(request, orphan, "choose a passage (and an article that exists)")
    try:
        made = orphan_reattach(
            user=request.user,
            orphan=orphan,
            exact=form.cleaned_data["exact"],
            article=form.cleaned_data["article"],
            tag=form.cleaned_data["tag"],
            note=form.cleaned_data["note"] if "note" in request.POST else None,
        )
    except ValueError as exc:
        return _orphans_page(request, orphan, str(exc))
    messages.success(request, f"Re-attached as {'link' if isinstance(made, Link) else 'annotation'} {made.pk}.")
    return redirect("annotations:orphans")


def _orphans_page(request: HttpRequest, refused=None, problem: str = "") -> HttpResponse:
    """The orphans; after a refused re-attach, that one with what was typed for it and why (400)."""
    orphans = list(_orphans_for(request.user).select_related("activity")[:500])
    for o in orphans:
        o.passage, o.typed_note = o.exact, o.note  # what the form shows; `note` stays the stored one
        if refused is not None and o.pk == refused.pk:
            o.error = f"Not re-attached: {problem}."
            o.passage = request.POST.get("exact", o.exact)
            o.tag = request.POST.get("tag") or o.tag
            o.typed_note = request.POST.get("note", o.note)  # typed text, shown escaped in the form
            o.article_id = row_id(request.POST.get("article")) or o.article_id
    orphans = with_tag_choices(orphans, request.user)
    articles = Article.objects.filter(current__isnull=False).select_related("current").order_by("source")
    context = {"orphans": orphans, "articles": articles, "max_note": Annotation.MAX_NOTE}
    return render(request, "annotations/orphans.html", context, status=400 if refused is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def article_correct(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_correct_text(request.user):
        raise PermissionDenied("Only editors correct an article's text.")
    article = article_for_reading(pk)
    form = CorrectionForm(request.POST or None, initial={"text": article.current.text, "base": article.current.number})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            revision, moved, orphaned = article_text_correct(
                editor=request.user, article=article, text=form.cleaned_data["text"], base=form.cleaned_data["base"]
            )
        except StaleCorrection as exc:
            article.refresh_from_db()
            form.data = form.data.copy()
            form.data["base"] = str(article.current.number)  # a second save, after the comparison, goes through
            form.add_error("text", str(exc))
            stale = article.current
        except ValueError as exc:
            form.add_error("text", str(exc))
        else:
            corpus_changed.send(sender=Article, user=request.user)  # the aligned view follows the new text
            messages.success(
                request,
                f"Saved as revision {revision.number}: {moved} annotation{pluralize(moved)} re-anchored, {orphaned} orphaned.",
            )
            return redirect(
                "annotations:orphans" if orphaned else "annotations:reader", **({} if orphaned else {"pk": article.pk})
            )
    annotated = Annotation.objects.alive().filter(revision_id=article.current_id).count()
    context = {"form": form, "article": article, "annotated": annotated, "stale": stale}
    return render(request, "annotations/correct.html", context, status=400 if form.errors else 200)


LEFT_OUT = "left-out"  # a message shown beside the list of left-out blocks, where the page returns to


@login_required
@require_POST
def article_add_block(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on a block the import report lists as left out of an HTML page: it joins the
    article where the page has it, as an editor's correction (every annotation follows)."""
    if not can_correct_text(request.user):
        raise PermissionDenied("Only editors correct an article's text.")
    article = article_for_reading(pk)
    position, base = row_id(request.POST.get("position")), row_id(request.POST.get("base"))
    if position is None or base is None:
        messages.error(request, "Choose a block of the page to add.", extra_tags=LEFT_OUT)
        return redirect(reverse("articles:report", args=[article.pk]) + "?open=left-out#left-out")
    try:
        revision, moved, orphaned = article_add_block_service(
            editor=request.user, article=article, position=position - 1, base=base
        )
    except ValueError as exc:  # StaleCorrection included: the list shown now is the current one
        messages.error(request, as_sentence(exc), extra_tags=LEFT_OUT)
        return redirect(reverse("articles:report", args=[article.pk]) + "?open=left-out#left-out")
    corpus_changed.send(sender=Article, user=request.user)  # the aligned view follows the new text
    messages.success(
        request,
        f"Block {position} added to the article in revision {revision.number}: "
        f"{moved} annotation{pluralize(moved)} re-anchored, {orphaned} orphaned.",
        extra_tags="" if orphaned else LEFT_OUT,  # shown where the page returns to: the list, or the orphans
    )
    if orphaned:
        return redirect("annotations:orphans")
    return redirect(reverse("articles:report", args=[article.pk]) + "?open=left-out#left-out")


@login_required
@require_http_methods(["GET"])
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress; the page polls this partial until the job is done (or its worker died)."""
    jobs_recover_stale()
    job = Job.objects.filter(pk=pk).filter(Q(owner=request.user) | Q(kind=Job.Kind.ALIGN)).first()
    if job is None:
        raise Http404("No such job.")
    template = "annotations/job.html#progress" if request.htmx else "annotations/job.html"
    # ?a=…: the articles an upload brought, for the way to the aligned view once it is done
    shown = [pk for pk in (row_id(v) for v in request.GET.getlist("a")[:5]) if pk is not None]
    return render(request, template, {"job": job, "shown": urlencode({"a": shown}, doseq=True)})


@login_required
@require_http_methods(["GET"])
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = Job.objects.filter(pk=pk, owner=request.user, kind=Job.Kind.EXPORT, status=Job.Status.DONE).first()
    if job is None or not job.result_file or not Path(job.result_file).exists():
        raise Http404("No such export.")
    fmt = job.params.get("format", "export")
    extension = f"{fmt}.zip" if fmt in ZIP_FORMATS else FILE_NAMES.get(fmt, fmt)  # "brat.zip", "labelstudio.json"
    name = ExportFilter.from_params(job.params).file_name(extension)
    return FileResponse(open(job.result_file, "rb"), as_attachment=True, filename=name)  # noqa: SIM115
