"""An annotation's discussion thread: its replies, and resolving or reopening it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from annotations.access import annotation_for_reading, may_resolve_thread
from annotations.forms import ReplyForm
from annotations.services.activities import ActivityError
from annotations.services.annotations import RevisionSuperseded
from annotations.services.threads import reply_add, thread_set_resolved
from sinorus.wording import as_sentence


def _reply(request: HttpRequest, annotation, form: ReplyForm) -> int:
    """Post the form's reply: 200, or the status of the error the form now carries."""
    if not form.is_valid():
        return 400
    try:
        reply_add(user=request.user, annotation=annotation, body=form.cleaned_data["body"])
    except ActivityError as exc:
        form.add_error("body", str(exc))
        return 400
    except RevisionSuperseded as exc:
        form.add_error("body", as_sentence(exc))
        return 409
    return 200


@require_http_methods(["GET", "POST"])
def annotation_thread(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_reading(request.user, pk)
    ids = f"id_%s_{pk}"  # several threads may be open in one page: their fields' ids must differ
    form = ReplyForm(request.POST or None, auto_id=ids)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied("Sign in to reply.")
        if "resolve" in request.POST or "reopen" in request.POST:
            if not may_resolve_thread(request.user, annotation):
                raise PermissionDenied("Only the annotator or the activity's owner resolves a thread.")
            if request.POST.get("body", "").strip():  # a reply typed before "Mark resolved" is posted first
                status = _reply(request, annotation, form)
            if status == 200:
                thread_set_resolved(user=request.user, annotation=annotation, resolved="resolve" in request.POST)
                form = ReplyForm(auto_id=ids)  # resolving says nothing about the reply box: no "field is required"
        else:
            status = _reply(request, annotation, form)
            if status == 200:
                form = ReplyForm(auto_id=ids)
        if not request.htmx and status == 200:
            return redirect("annotations:thread", pk=pk)
    context = {
        "annotation": annotation,
        "replies": annotation.replies.select_related("author"),
        "form": form,
        # the reader's sidebar shows the count and state beside the thread; the thread's own page does not
        "in_reader": bool(request.htmx) and urlsplit(request.htmx.current_url or "").path != request.path,
        "back": reverse("annotations:reader", args=[annotation.revision.article_id])
        + (f"?activity={annotation.activity_id}" if annotation.activity_id else "")
        + f"#a{annotation.pk}",
    }
    template = "annotations/thread.html#thread" if request.htmx else "annotations/thread.html"
    return render(request, template, context, status=status)
