"""Pages for classroom exercises and editorial review sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.access import (
    activity_for_member,
    activity_for_owner,
    annotation_for_reading,
    can_create_activities,
    may_resolve_thread,
)
from annotations.forms import ActivityForm, DecisionForm, JoinForm, ReplyForm
from annotations.models import Activity, AuditEvent, Decision, Participation
from annotations.pages import dashboard
from annotations.services.activities import (
    ActivityError,
    activity_create,
    activity_join,
    activity_reveal,
    decision_record,
    participation_submit,
    reply_add,
    thread_set_resolved,
)
from annotations.services.annotations import RevisionSuperseded
from sinorus import throttle


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = (
        Activity.objects.filter(Q(owner=request.user) | Q(participations__user=request.user))
        .distinct()
        .annotate(people=Count("participations", distinct=True))
        .select_related("owner")
        .order_by("-created_at")  # an aggregate query ignores Meta.ordering
    )
    context = {"activities": activities, "join_form": JoinForm(), "can_create": can_create_activities(request.user)}
    return render(request, "annotations/activities.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    if not can_create_activities(request.user):
        raise PermissionDenied("Only instructors and editors create exercises and sessions.")
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = activity_create(
            owner=request.user,
            kind=data["kind"],
            title=data["title"],
            instructions=data["instructions"],
            articles=data["articles"],
            tags=data["tags"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            blind=data["blind"],
            custom_tags=data["custom_tags"],
            asks_links=data["asks_links"],
        )
        messages.success(request, f"Created. Participants join with the code {activity.join_code}.")
        return redirect(activity)
    return render(request, "annotations/activity_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def activity_join_view(request: HttpRequest) -> HttpResponse:
    key = throttle.user_key(request)
    if refused := throttle.refusal(request, throttle.JOIN, key=key, message="Too many wrong join codes."):
        return refused
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a join code.")
        return redirect("annotations:activities")
    try:
        participation = activity_join(user=request.user, code=form.cleaned_data["code"])
    except ActivityError as exc:
        throttle.failed(request, throttle.JOIN, key=key)
        messages.error(request, str(exc))
        return redirect("annotations:activities")
    messages.success(request, f"You joined {participation.activity.title}.")
    return redirect(participation.activity)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_member(request.user, pk)
    is_owner = activity.owner_id == request.user.pk
    participation = None if is_owner else activity.participations.get(user=request.user)
    context = {
        "activity": activity,
        "is_owner": is_owner,
        "participation": participation,
        "articles": activity.articles.select_related("current").order_by("source"),
        "tags": activity.tags.all(),
        "now": timezone.now(),
        "participants": activity.participations.select_related("user") if is_owner else None,
        "feedback": dashboard.student_feedback(activity, request.user)
        if participation and activity.revealed and activity.kind == Activity.Kind.EXERCISE
        else None,
    }
    return render(request, "annotations/activity_detail.html", context)


@login_required
@require_POST
def activity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_member(request.user, pk)
    participation = Participation.objects.filter(activity=activity, user=request.user).first()
    if participation is None:
        raise PermissionDenied("Only participants submit.")
    participation_submit(participation=participation)
    messages.success(request, "Submitted: your work is locked.")
    return redirect(activity)


@login_required
@require_POST
def activity_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    activity_reveal(activity=activity, user=request.user)
    messages.success(request, "Revealed: participants now see everyone's work and the key.")
    return redirect(activity)


@login_required
@require_GET
def activity_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    context = {"activity": activity, **dashboard.exercise_dashboard(activity)}
    context["links_agreement"] = dashboard.exercise_links(activity) if activity.asks_links else None
    return render(request, "annotations/dashboard.html", context)


@login_required
@require_GET
def activity_adjudicate(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    if activity.kind != Activity.Kind.REVIEW:
        raise PermissionDenied("Adjudication is for review sessions.")
    decisions = dict(Decision.objects.filter(annotation__activity=activity).values_list("annotation_id", "verdict"))
    context = {
        "activity": activity,
        "disagreements": dashboard.disagreements(activity),
        "decisions": decisions,
        "tags": activity.tags.all(),
        "audit": AuditEvent.objects.filter(activity=activity).select_related("actor")[:200],
    }
    return render(request, "annotations/adjudicate.html", context)


@login_required
@require_POST
def annotation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_reading(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept, reject or relabel.")
    else:
        try:
            decision_record(
                editor=request.user,
                annotation=annotation,
                verdict=form.cleaned_data["verdict"],
                tag=form.cleaned_data["tag"],
            )
        except ActivityError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Annotation {form.cleaned_data['verdict']}ed.".replace("relabeled", "relabelled")
            )
    return redirect("annotations:adjudicate", pk=annotation.activity_id)


@require_http_methods(["GET", "POST"])
def annotation_thread(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_for_reading(request.user, pk)
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied("Sign in to reply.")
        if "resolve" in request.POST or "reopen" in request.POST:
            if not may_resolve_thread(request.user, annotation):
                raise PermissionDenied("Only the annotator or the activity's owner resolves a thread.")
            thread_set_resolved(user=request.user, annotation=annotation, resolved="resolve" in request.POST)
        elif form.is_valid():
            try:
                reply_add(user=request.user, annotation=annotation, body=form.cleaned_data["body"])
            except ActivityError as exc:
                form.add_error("body", str(exc))
                status = 400
            except RevisionSuperseded as exc:
                form.add_error("body", str(exc).capitalize() + ".")
                status = 409
            else:
                form = ReplyForm()
        else:
            status = 400
        if not request.htmx and status == 200:
            return redirect("annotations:thread", pk=pk)
    context = {"annotation": annotation, "replies": annotation.replies.select_related("author"), "form": form}
    template = "annotations/thread.html#thread" if request.htmx else "annotations/thread.html"
    return render(request, template, context, status=status)
