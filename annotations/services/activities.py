"""Writes for classroom exercises and review sessions: create, join, submit, reveal, adjudicate."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from annotations.access import can_create_activities
from annotations.models import Activity, Annotation, Decision, Participation, Tag
from annotations.services.activity_work import tags_carried, work_on
from annotations.services.annotations import audit
from annotations.services.consensus import consensus_reconcile, verdict_tag_id

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class ActivityError(ValueError):
    """A request about an activity that cannot be granted; the message says why, and `field` which
    of the activity's settings it is about, when one is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Activity.objects.filter(join_code=code).exists():
            return code


@transaction.atomic
def activity_create(
    *,
    owner,
    kind: str,
    title: str,
    instructions: str,
    articles,
    tags,
    opens_at: datetime,
    closes_at: datetime,
    blind: bool,
    custom_tags: list[tuple[str, str]] = (),
    asks_links: bool = False,
) -> Activity:
    """Create an exercise or review session; custom tags are (name, definition) pairs."""
    if not can_create_activities(owner):
        raise PermissionDenied("Only instructors and editors create exercises and sessions.")
    activity = Activity(
        kind=kind,
        title=title.strip(),
        instructions=instructions.strip(),
        owner=owner,
        opens_at=opens_at,
        closes_at=closes_at,
        blind=blind,
        asks_links=asks_links,
        join_code=_join_code(),
    )
    activity.full_clean()
    activity.save()
    activity.articles.set(articles)
    chosen = list(tags)
    for name, definition in custom_tags:
        chosen.append(_custom_tag(owner, name, definition))
    activity.tags.set(chosen)
    audit(owner, activity, "activity created", detail={"kind": kind, "title": activity.title})
    return activity


def _custom_tag(owner, name: str, definition: str) -> Tag:
    """The owner's own tag of that name (made if new); never another instructor's or a public one."""
    base = slugify(name, allow_unicode=True)[:36].strip("-_") or "tag"  # no "&", "=" or "#" for a URL to trip on
    existing = Tag.objects.filter(owner=owner, name__iexact=name.strip()).first()
    if existing is not None:
        return existing
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Tag.objects.create(slug=slug, name=name[:60], definition=definition[:300], order=100, owner=owner)


def activity_join(*, user, code: str, now: datetime | None = None) -> Participation:
    """Join by code; raise ActivityError for a wrong, not yet open or expired code."""
    now = now or timezone.now()
    activity = Activity.objects.filter(join_code=code.strip().upper()).first()
    if activity is None:
        raise ActivityError("No exercise or session has this code. Check it with your instructor.")
    if activity.owner_id == user.pk:
        raise ActivityError("You run this activity; you do not need to join it.")
    if now >= activity.closes_at:
        raise ActivityError("This code has expired: the activity is closed.")
    if now < activity.opens_at:
        raise ActivityError("This activity is not open yet.")
    participation, created = Participation.objects.get_or_create(activity=activity, user=user)
    if created:
        audit(user, activity, "joined")
    return participation


def participation_submit(*, participation: Participation) -> None:
    """Lock a student's work and, in a blind exercise, let them see the class's. After the reveal
    there is nothing to submit (the work is locked as it stood, and who submitted before it stays
    told apart from who did not)."""
    if participation.activity.revealed:
        raise ActivityError("the work was revealed: it is locked as it stood, and there is nothing left to submit")
    if participation.submitted_at is None:
        participation.submitted_at = timezone.now()
        participation.save(update_fields=["submitted_at"])
        audit(participation.user, participation.activity, "submitted")


def activity_reveal(*, activity: Activity, user) -> None:
    """Show everyone's work (and the key); from then on no participant's work changes."""
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner reveals it.")
    if not reveal_applies(activity):
        raise ActivityError("This session is not blind: there is nothing to reveal.")
    if activity.revealed_at is None:
        activity.revealed_at = timezone.now()
        activity.save(update_fields=["revealed_at"])
        audit(user, activity, "revealed", detail={"not submitted": len(unsubmitted(activity))})


def reveal_applies(activity: Activity) -> bool:
    """An exercise reveals its key; a review session reveals something only when it is blind."""
    return activity.kind == Activity.Kind.EXERCISE or activity.blind


def unsubmitted(activity: Activity) -> list[str]:
    """The participants who have not submitted, by name (the reveal asks about them)."""
    names = activity.participations.filter(submitted_at__isnull=True).values_list("user__username", flat=True)
    return list(names.order_by("user__username"))


def activity_update(
    *,
    activity: Activity,
    user,
    title: str,
    instructions: str,
    articles,
    tags,
    opens_at: datetime,
    closes_at: datetime,
    blind: bool,
    custom_tags: list[tuple[str, str]] = (),
    asks_links: bool | None = None,
    take_out_work: bool = False,
    take_out_tags: bool = False,
) -> Activity:
    """Change what the owner set at creation (the kind stays); custom tags are (name, definition) pairs.

    Taking out an article that holds the activity's work (annotations or links) hides that work
    from everyone in it: it is refused (ActivityError, naming what) unless `take_out_work`. Taking
    a tag out of the set while the activity's annotations carry it leaves them a tag nobody can
    give again: refused the same way unless `take_out_tags`."""
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner changes it.")
    kept = {getattr(a, "pk", a) for a in articles}
    gone = [a for a in activity.articles.all() if a.pk not in kept]
    held = work_on(activity, gone) if gone else {}
    if held and not take_out_work:
        named = "; ".join(f"{source}: {what}" for source, what in held.items())
        raise ActivityError(
            f"these articles hold this activity's work ({named}). Keep them, or tick "
            "“Take out articles that hold work”: the work is kept and comes back if you add the article again"
        )
    carried = tags_carried(activity, {getattr(t, "pk", t) for t in tags}, [name for name, _d in custom_tags], user)
    if carried and not take_out_tags:
        named = "; ".join(f"{name}: {n} annotation{'s' if n != 1 else ''}" for name, n in carried)
        raise ActivityError(
            f"these tags are on this activity's annotations ({named}). Keep them in the set, or tick "
            "“Take out tags that annotations carry”: the annotations keep them",
            field="tags",
        )
    activity.title, activity.instructions = title.strip(), instructions.strip()
    activity.opens_at, activity.closes_at, activity.blind = opens_at, closes_at, blind
    if asks_links is not None:
        activity.asks_links = asks_links
    activity.full_clean()
    with transaction.atomic():
        activity.save(update_fields=["title", "instructions", "opens_at", "closes_at", "blind", "asks_links"])
        activity.articles.set(articles)
        activity.tags.set([*tags, *(_custom_tag(user, name, definition) for name, definition in custom_tags)])
        audit(user, activity, "activity changed", detail={"title": activity.title})
    return activity


def activity_close(*, activity: Activity, user, now: datetime | None = None) -> None:
    """Close now: participants' work locks and the join code stops working."""
    now = now or timezone.now()
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner closes it.")
    if activity.closes_at <= now:
        return
    activity.closes_at = max(now, activity.opens_at + timedelta(seconds=1))
    activity.save(update_fields=["closes_at"])
    audit(user, activity, "closed early")


def activity_reopen(*, activity: Activity, user, days: int = 7, now: datetime | None = None) -> None:
    """Open again for `days` days; after the reveal, work stays locked (the key is out)."""
    now = now or timezone.now()
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner reopens it.")
    if activity.closes_at > now:
        return
    activity.closes_at = now + timedelta(days=days)
    activity.opens_at = min(activity.opens_at, now)
    activity.save(update_fields=["opens_at", "closes_at"])
    audit(user, activity, "reopened")


def activity_delete(*, activity: Activity, user) -> None:
    """Delete the activity with every annotation, reply and decision made in it."""
    if activity.owner_id != user.pk:
        raise PermissionDenied("Only the activity's owner deletes it.")
    activity.delete()


@transaction.atomic
def decision_record(*, editor, annotation: Annotation, verdict: str, tag: Tag | None = None) -> Decision:
    """Accept, reject or relabel a reviewer's annotation; keep the consensus layer in step."""
    activity = annotation.activity
    if activity is None or activity.kind != Activity.Kind.REVIEW or activity.owner_id != editor.pk:
        raise PermissionDenied("Only the session's editor adjudicates.")
    if annotation.layer != Annotation.Layer.INDIVIDUAL:
        raise ActivityError("Only reviewers' annotations are adjudicated.")
    if verdict == Decision.Verdict.RELABEL and tag is None:
        raise ActivityError("Choose the new tag.")
    if verdict == Decision.Verdict.RELABEL and not activity.tags.filter(pk=tag.pk).exists():
        raise ActivityError(f"{tag.name} is not in this session's tag set.")
    was = verdict_tag_id(Decision.objects.filter(annotation=annotation).first(), annotation)
    decision, _ = Decision.objects.update_or_create(
        annotation=annotation,
        defaults={"editor": editor, "verdict": verdict, "tag": tag if verdict == Decision.Verdict.RELABEL else None},
    )
    consensus_reconcile(activity=activity, annotation=annotation, editor=editor, was=was)
    # The audit names the annotation's own tag; a relabel also names the new one.
    detail = {"verdict": verdict, "tag": annotation.tag.slug}
    if verdict == Decision.Verdict.RELABEL:
        detail["to"] = tag.slug
    audit(editor, activity, Decision.Verdict(verdict).label, annotation, detail)
    return decision


@transaction.atomic
def decisions_accept_agreed(*, editor, activity: Activity, agreed: list[dict]) -> int:
    """Accept every reviewer annotation still undecided on the passages all its reviewers tagged
    alike, on the same extent (`agreed`: pages.dashboard.adjudication's "agreed" items): each is
    a verdict of its own, in the audit trail and undone one by one. Returns how many."""
    if activity.kind != Activity.Kind.REVIEW or activity.owner_id != editor.pk:
        raise PermissionDenied("Only the session's editor adjudicates.")
    decided = set(Decision.objects.filter(annotation__activity=activity).values_list("annotation_id", flat=True))
    accepted = 0
    for item in agreed:
        if not item.get("unanimous"):
            continue
        for annotation in item["annotations"]:
            if annotation.pk not in decided:
                decision_record(editor=editor, annotation=annotation, verdict=Decision.Verdict.ACCEPT)
                accepted += 1
    return accepted


@transaction.atomic
def decision_undo(*, editor, annotation: Annotation) -> None:
    """Take a verdict back: the annotation is undecided again and leaves the consensus."""
    activity = annotation.activity
    if activity is None or activity.owner_id != editor.pk:
        raise PermissionDenied("Only the session's editor adjudicates.")
    was = verdict_tag_id(Decision.objects.filter(annotation=annotation).first(), annotation)
    deleted, _ = Decision.objects.filter(annotation=annotation).delete()
    if not deleted:
        return
    consensus_reconcile(activity=activity, annotation=annotation, editor=editor, was=was)
    audit(editor, activity, "verdict undone", annotation, {"tag": annotation.tag.slug})
