"""Pages for classroom exercises and editorial review sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations.access import (
    activity_for_member,
    activity_for_owner,
    can_create_activities,
)
from annotations.forms import ActivityForm, JoinForm
from annotations.models import Activity, Participation
from annotations.pages import dashboard
from annotations.services.activities import (
    ActivityError,
    activity_close,
    activity_create,
    activity_delete,
    activity_join,
    activity_reopen,
    activity_reveal,
    activity_update,
    participation_submit,
    reveal_applies,
    unsubmitted,
)
from sinorus import throttle
from sinorus.wording import as_sentence


@login_required
@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    mine = Activity.objects.filter(Q(owner=request.user) | Q(participations__user=request.user)).values("pk")
    activities = (  # counted apart from the filter: its join on participations would count only one's own
        Activity.objects.filter(pk__in=mine)
        .annotate(people=Count("participations", distinct=True))
        .select_related("owner")
        .order_by("-created_at")  # an aggregate query ignores Meta.ordering
    )
    context = {"activities": activities, "join_form": JoinForm(), "can_create": can_create_activities(request.user)}
    return render(request, "annotations/activities.html", context)


def _settings(data: dict) -> dict:
    """What the activity form sets, as the create and update services take it."""
    names = ("title", "instructions", "articles", "tags", "opens_at", "closes_at", "blind", "custom_tags", "asks_links")
    return {name: data[name] for name in names}


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    if not can_create_activities(request.user):
        raise PermissionDenied("Only instructors and editors create exercises and sessions.")
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = activity_create(owner=request.user, kind=data["kind"], **_settings(data))
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
@require_safe
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_member(request.user, pk)
    is_owner = activity.owner_id == request.user.pk
    participation = None if is_owner else activity.participations.get(user=request.user)
    revealed_to_student = bool(participation) and activity.revealed and activity.kind == Activity.Kind.EXERCISE
    context = {
        "activity": activity,
        "is_owner": is_owner,
        "participation": participation,
        "articles": activity.articles.select_related("current").order_by("source"),
        "tags": activity.tags.all(),
        "now": timezone.now(),
        "participants": activity.participations.select_related("user") if is_owner else None,
        "can_reveal": is_owner and not activity.revealed and reveal_applies(activity),
        "feedback": dashboard.student_feedback(activity, request.user) if revealed_to_student else None,
        "link_feedback": dashboard.student_link_feedback(activity, request.user) if revealed_to_student else None,
    }
    return render(request, "annotations/activity_detail.html", context)


def _for_whom(participants: int) -> str:
    if participants == 0:
        return " (nobody has joined it)"
    if participants <= 2:
        return " of its one participant" if participants == 1 else " of both its participants"
    return f" of all {participants} participants"


def _confirm(
    request: HttpRequest,
    activity: Activity,
    *,
    action: str,
    question: str,
    button: str,
    warning: str = "",
    names: list[str] = (),
    names_label: str = "",
    danger: bool = False,
) -> HttpResponse:
    """The page that asks before a step that cannot be taken back; its form posts to the same URL.
    `danger`: the step destroys work (its button says so by its colour)."""
    context = {
        "danger": danger,
        "activity": activity,
        "action": action,
        "question": question,
        "button": button,
        "warning": warning,
        "names": names,
        "names_label": names_label,
    }
    return render(request, "annotations/activity_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_member(request.user, pk)
    participation = Participation.objects.filter(activity=activity, user=request.user).first()
    if participation is None:
        raise PermissionDenied("Only participants submit.")
    if participation.submitted_at is not None:
        submitted = timezone.localtime(participation.submitted_at)
        messages.info(request, f"You submitted your work on {submitted:%Y-%m-%d %H:%M}.")
        return redirect(activity)
    if activity.revealed:
        messages.info(request, "The work was revealed: it is locked as it stood, and there is nothing left to submit.")
        return redirect(activity)
    if request.method == "GET":
        return _confirm(
            request,
            activity,
            action=reverse("annotations:activity_submit", args=[pk]),
            question=f"Submit your work in {activity.title}?",
            button="Submit my work",
            warning="Once submitted, you cannot add, change or delete annotations in this exercise.",
        )
    participation_submit(participation=participation)
    messages.success(request, "Submitted: your work is locked.")
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    if request.method == "GET":
        missing = unsubmitted(activity) if activity.kind == Activity.Kind.EXERCISE else []
        shown = "everyone's work and the answer key" if activity.kind == Activity.Kind.EXERCISE else "everyone's work"
        return _confirm(
            request,
            activity,
            action=reverse("annotations:activity_reveal", args=[pk]),
            question=f"Reveal {activity.title}?",
            button="Reveal to participants",
            warning=f"Participants will see {shown}. From then on nobody's annotations can change, "
            "whether they submitted or not.",
            names=missing,
            names_label=f"{len(missing)} participant{pluralize(len(missing))} "
            f"{pluralize(len(missing), 'has,have')} not submitted; their work is locked as it stands:",
        )
    try:
        activity_reveal(activity=activity, user=request.user)
    except ActivityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Revealed: participants now see everyone's work; all work is locked.")
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "instructions": activity.instructions,
        "articles": list(activity.articles.all()),
        "tags": list(activity.tags.all()),
        "blind": activity.blind,
        "opens_at": timezone.localtime(activity.opens_at),
        "closes_at": timezone.localtime(activity.closes_at),
        "asks_links": activity.asks_links,
    }
    form = ActivityForm(request.POST or None, user=request.user, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity_update(
                activity=activity,
                user=request.user,
                take_out_work=data["take_out_work"],
                take_out_tags=data["take_out_tags"],
                **_settings(data),
            )
        except ActivityError as exc:
            form.add_error(exc.field or "articles", as_sentence(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(activity)
    context = {"form": form, "activity": activity}
    return render(request, "annotations/activity_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def activity_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    if "reopen" in request.POST:
        activity_reopen(activity=activity, user=request.user)
        messages.success(request, f"Reopened until {timezone.localtime(activity.closes_at):%Y-%m-%d %H:%M}.")
    else:
        activity_close(activity=activity, user=request.user)
        messages.success(request, "Closed: participants' work is locked and the join code no longer works.")
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    if request.method == "GET":
        count = activity.annotations.count()
        return _confirm(
            request,
            activity,
            action=reverse("annotations:activity_delete", args=[pk]),
            question=f"Delete {activity.title}?",
            button="Delete for good",
            warning=(
                f"This deletes its {count} annotation{pluralize(count)}, with every reply, verdict and the audit trail"
                if count
                else "This deletes it and its audit trail (it holds no annotation)"
            )
            + f"{_for_whom(activity.participations.count())}. It cannot be undone.",
            danger=True,
        )
    title = activity.title
    activity_delete(activity=activity, user=request.user)
    messages.success(request, f"Deleted {title}.")
    return redirect("annotations:activities")


@login_required
@require_safe
def activity_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_owner(request.user, pk)
    context = {"activity": activity, **dashboard.exercise_dashboard(activity)}
    review = activity.kind == Activity.Kind.REVIEW
    context |= {"person": "reviewer" if review else "student", "group": "session" if review else "class"}
    context["links_agreement"] = dashboard.exercise_links(activity) if activity.asks_links else None
    return render(request, "annotations/dashboard.html", context)
