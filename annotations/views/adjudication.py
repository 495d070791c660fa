"""A review session's adjudication: the disagreements, the verdicts (and their undo), the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from annotations.access import activity_for_owner, annotation_for_reading
from annotations.forms import DecisionForm
from annotations.models import Activity, Annotation, AuditEvent, Decision
from annotations.pages import dashboard
from annotations.services.activities import ActivityError, decision_record, decision_undo, decisions_accept_agreed
from articles.access import row_id


def _audit_rows(activity: Activity) -> list[tuple[AuditEvent, Annotation | None]]:
    """The latest audit events, each with the annotation it names (deleted ones included)."""
    events = list(AuditEvent.objects.filter(activity=activity).select_related("actor")[:200])
    ids = {e.annotation_id_ref for e in events if e.annotation_id_ref}
    annotations = Annotation.objects.filter(pk__in=ids, activity=activity).select_related("revision__article")
    by_id = {a.pk: a for a in annotations}
    return [(e, by_id.get(e.annotation_id_ref)) for e in events]


def _session_for_editor(user, pk: int) -> Activity:
    activity = activity_for_owner(user, pk)
    if activity.kind != Activity.Kind.REVIEW:
        raise PermissionDenied("Adjudication is for review sessions.")
    return activity


@login_required
@require_safe
def activity_adjudicate(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _session_for_editor(request.user, pk)
    decisions = Decision.objects.filter(annotation__activity=activity).select_related("editor", "tag")
    by_annotation = {d.annotation_id: d for d in decisions}
    found = dashboard.adjudication(activity)
    asked = row_id(request.GET.get("item"))
    for items in found.values():
        for item in items:
            for annotation in item["annotations"]:
                annotation.verdict = by_annotation.get(annotation.pk)
            item["open"] = sum(a.verdict is None for a in item["annotations"])
    context = {
        "activity": activity,
        **found,
        "agreed_open": sum(item["open"] for item in found["agreed"] if item["unanimous"]),
        "tags": activity.tags.all(),
        "audit": _audit_rows(activity),
        # the item a verdict came back to shows its message (the top of the page is out of sight)
        "message_item": next(
            (a.pk for items in found.values() for item in items for a in item["annotations"] if a.pk == asked), None
        ),
    }
    return render(request, "annotations/adjudicate.html", context)


@login_required
@require_POST
def accept_agreed(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _session_for_editor(request.user, pk)
    accepted = decisions_accept_agreed(
        editor=request.user, activity=activity, agreed=dashboard.adjudication(activity)["agreed"]
    )
    messages.success(request, f"Accepted {accepted} annotation{pluralize(accepted)} on agreed passages.")
    return redirect(reverse("annotations:adjudicate", args=[activity.pk]) + "#agreed")


def _adjudicable(user, pk: int) -> Annotation:
    """An annotation a verdict may be given on: one of a review session (the service checks whose)."""
    annotation = annotation_for_reading(user, pk)
    if annotation.activity_id is None:
        raise PermissionDenied("Only the annotations of a review session are adjudicated.")
    return annotation


def _changed_since(request: HttpRequest, annotation: Annotation) -> str:
    """Why the verdict the page showed (the form's `seen`) is not the annotation's any more, as when
    another editor, or another tab, decided meanwhile; "" when it still is (or no page said)."""
    if "seen" not in request.POST:
        return ""
    current = Decision.objects.filter(annotation=annotation).select_related("editor", "tag").first()
    if request.POST["seen"] == (current.seen_as if current else ""):
        return ""
    if current is None:
        return "This verdict was undone meanwhile: the annotation is undecided again. Look at it, then decide."
    relabel = f" as {current.tag.slug}" if current.tag else ""
    return (
        f"{current.editor} {current.get_verdict_display()} this annotation{relabel} meanwhile: nothing was "
        "changed. Look at it again, then undo that verdict to give another."
    )


def _back(annotation: Annotation):
    """Back to the adjudicated item, not the top of the page."""
    return redirect(
        reverse("annotations:adjudicate", args=[annotation.activity_id]) + f"?item={annotation.pk}#d{annotation.pk}"
    )


@login_required
@require_POST
def annotation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _adjudicable(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept, reject or relabel.")
        return _back(annotation)
    verdict = form.cleaned_data["verdict"]
    if changed := _changed_since(request, annotation):
        messages.error(request, changed)
        return _back(annotation)
    try:
        decision_record(editor=request.user, annotation=annotation, verdict=verdict, tag=form.cleaned_data["tag"])
    except ActivityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Annotation {Decision.Verdict(verdict).label}.")
    return _back(annotation)


@login_required
@require_POST
def decision_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _adjudicable(request.user, pk)
    if changed := _changed_since(request, annotation):
        messages.error(request, changed)
        return _back(annotation)
    decision_undo(editor=request.user, annotation=annotation)
    messages.success(request, "Verdict undone: the annotation is undecided again.")
    return _back(annotation)
