"""An activity's life after creation: reveal and submit ask first, edit, close, reopen, delete, verdicts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Activity, Annotation, AuditEvent, Decision
from annotations.services.activities import decision_record
from tests.annotations.test_activities import OTHER, PHRASE, annotate, api_list, make_activity, reader_url


@pytest.fixture
def exercise(corpus, instructor, alice, bob):
    from annotations.services.activities import activity_join

    activity = make_activity(instructor, corpus[:2])
    activity_join(user=alice, code=activity.join_code)
    activity_join(user=bob, code=activity.join_code)
    return activity


def test_the_reveal_asks_first_and_names_who_has_not_submitted(client, exercise, instructor, alice, bob):
    exercise.participations.filter(user=alice).update(submitted_at=timezone.now())
    client.force_login(instructor)
    page = client.get(reverse("annotations:activity_reveal", args=[exercise.pk])).content.decode()
    assert '<ul class="not-submitted"><li>bob</li></ul>' in page
    exercise.refresh_from_db()
    assert exercise.revealed_at is None


def test_after_the_reveal_a_student_who_never_submitted_cannot_annotate(client, exercise, corpus, instructor, bob):
    annotation = annotate(bob, corpus[0], PHRASE, activity=exercise)
    client.force_login(instructor)
    client.post(reverse("annotations:activity_reveal", args=[exercise.pk]))
    client.force_login(bob)
    start = corpus[0].current.text.index(OTHER)
    body = {"start": start, "end": start + len(OTHER), "tag": "claim"}
    assert client.post(api_list(corpus[0], exercise), body, content_type="application/json").status_code == 403
    assert client.post(reverse("annotations:delete", args=[annotation.pk])).status_code == 403
    assert "revealed" in client.get(reader_url(corpus[0], exercise)).content.decode()
    assert Annotation.objects.alive().filter(annotator=bob).count() == 1


def test_submit_asks_first(client, exercise, alice):
    client.force_login(alice)
    page = client.get(reverse("annotations:activity_submit", args=[exercise.pk])).content.decode()
    assert "cannot add, change or delete" in page
    assert exercise.participations.get(user=alice).submitted_at is None


def test_a_session_that_is_not_blind_cannot_be_revealed(client, corpus, instructor):
    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    client.force_login(instructor)
    assert "Reveal" not in client.get(session.get_absolute_url()).content.decode()
    client.post(reverse("annotations:activity_reveal", args=[session.pk]))
    session.refresh_from_db()
    assert session.revealed_at is None


def test_the_owner_edits_the_title_articles_and_times(client, exercise, corpus, instructor):
    client.force_login(instructor)
    form = {
        "kind": "review",
        "title": "Renamed",
        "instructions": "",
        "articles": [corpus[2].pk],
        "tags": list(exercise.tags.values_list("pk", flat=True)),
        "blind": "on",
        "opens_at": "2020-01-01T10:00",
        "closes_at": "2099-01-01T10:00",
        "custom_tags": "Hedge: softened claim",
    }
    response = client.post(reverse("annotations:activity_edit", args=[exercise.pk]), form)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert (exercise.title, exercise.kind) == ("Renamed", "exercise")  # the kind stays
    assert list(exercise.articles.all()) == [corpus[2]]
    assert exercise.tags.filter(name="Hedge").exists()


def test_closing_early_locks_work_and_the_code_and_reopening_undoes_it(client, exercise, corpus, instructor, alice):
    from annotations.services.activities import ActivityError, activity_join

    client.force_login(instructor)
    client.post(reverse("annotations:activity_close", args=[exercise.pk]))
    exercise.refresh_from_db()
    assert exercise.closes_at <= timezone.now()
    with pytest.raises(ActivityError):
        activity_join(user=alice, code=exercise.join_code)
    client.post(reverse("annotations:activity_close", args=[exercise.pk]), {"reopen": "1"})
    exercise.refresh_from_db()
    assert exercise.is_open(timezone.now())


def test_delete_asks_first_then_removes_everything(client, exercise, corpus, instructor, alice):
    annotate(alice, corpus[0], PHRASE, activity=exercise)
    client.force_login(instructor)
    url = reverse("annotations:activity_delete", args=[exercise.pk])
    assert "cannot be undone" in client.get(url).content.decode()
    assert Activity.objects.filter(pk=exercise.pk).exists()
    assert client.post(url).status_code == 302
    assert not Activity.objects.filter(pk=exercise.pk).exists()
    assert not Annotation.objects.filter(activity_id=exercise.pk).exists()


def test_an_identical_annotation_by_the_same_person_is_refused(client, corpus, alice, bob):
    annotate(alice, corpus[0], PHRASE)
    client.force_login(alice)
    start = corpus[0].current.text.index(PHRASE)
    body = {"start": start, "end": start + len(PHRASE), "tag": "claim"}
    url = f"/api/articles/{corpus[0].pk}/annotations"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "already tagged this passage as claim" in response.json()["error"]
    assert client.post(url, {**body, "tag": "opinion"}, content_type="application/json").status_code == 201
    client.force_login(bob)
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_the_audit_names_the_annotations_own_tag_and_links_its_quote(client, corpus, instructor, alice):
    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    from annotations.services.activities import activity_join

    activity_join(user=alice, code=session.join_code)
    annotation = annotate(alice, corpus[0], PHRASE, tag="unsupported", activity=session)
    client.force_login(instructor)
    client.post(reverse("annotations:decide", args=[annotation.pk]), {"verdict": "accept", "tag": "claim"})
    event = AuditEvent.objects.get(action="accepted")
    assert event.detail == {"verdict": "accept", "tag": "unsupported"}
    page = client.get(reverse("annotations:adjudicate", args=[session.pk])).content.decode()
    assert "accepted (unsupported)" in page
    assert f'#a{annotation.pk}"><q>{PHRASE[:40]}' in page


def test_undoing_a_verdict_takes_the_copy_out_of_the_consensus(client, corpus, instructor, alice):
    from annotations.services.activities import activity_join

    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    activity_join(user=alice, code=session.join_code)
    annotation = annotate(alice, corpus[0], PHRASE, activity=session)
    decision_record(editor=instructor, annotation=annotation, verdict="relabel", tag=session.tags.get(slug="opinion"))
    client.force_login(instructor)
    response = client.post(reverse("annotations:undecide", args=[annotation.pk]))
    assert response.url.endswith(f"#d{annotation.pk}")
    assert not Decision.objects.exists()
    assert not Annotation.objects.alive().filter(layer="consensus").exists()
    client.force_login(alice)
    assert client.post(reverse("annotations:undecide", args=[annotation.pk])).status_code == 403


def _consensus():
    return list(
        Annotation.objects.alive().filter(layer="consensus").values_list("tag__slug", "source__annotator__username")
    )


def test_accepting_both_sides_of_an_agreement_puts_the_passage_in_the_consensus_once(corpus, instructor, alice, bob):
    from annotations.services.activities import activity_join, decision_undo

    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    for user in (alice, bob):
        activity_join(user=user, code=session.join_code)
    first = annotate(alice, corpus[0], PHRASE, tag="claim", activity=session)
    second = annotate(bob, corpus[0], PHRASE, tag="opinion", activity=session)
    decision_record(editor=instructor, annotation=first, verdict="accept")
    decision_record(editor=instructor, annotation=second, verdict="accept")
    assert sorted(_consensus()) == [("claim", "alice"), ("opinion", "bob")]
    decision_record(editor=instructor, annotation=second, verdict="relabel", tag=session.tags.get(slug="claim"))
    assert _consensus() == [("claim", "alice")]
    decision_undo(editor=instructor, annotation=first)  # bob's verdict still stands: the copy stays, now his
    assert _consensus() == [("claim", "bob")]
    decision_undo(editor=instructor, annotation=second)
    assert _consensus() == []


def test_a_duplicate_copy_taken_out_of_the_consensus_cannot_be_restored_beside_the_other(
    corpus, instructor, alice, bob
):
    from django.core.exceptions import PermissionDenied

    from annotations.services.activities import activity_join
    from annotations.services.deletions import annotation_restore

    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    for user in (alice, bob):
        activity_join(user=user, code=session.join_code)
    first = annotate(alice, corpus[0], PHRASE, tag="claim", activity=session)
    second = annotate(bob, corpus[0], PHRASE, tag="opinion", activity=session)
    decision_record(editor=instructor, annotation=first, verdict="accept")
    decision_record(editor=instructor, annotation=second, verdict="accept")
    bobs_copy = Annotation.objects.alive().get(layer="consensus", source=second)
    decision_record(editor=instructor, annotation=second, verdict="relabel", tag=session.tags.get(slug="claim"))
    bobs_copy.refresh_from_db()
    assert bobs_copy.deleted_at is not None
    with pytest.raises(PermissionDenied):
        annotation_restore(annotation=bobs_copy)
    assert _consensus() == [("claim", "alice")]


@pytest.fixture
def review(corpus, instructor, alice, bob):
    from annotations.services.activities import activity_join

    session = make_activity(instructor, corpus[:1], kind="review", blind=False)
    for user in (alice, bob):
        activity_join(user=user, code=session.join_code)
    return session


def _shown():
    return list(Annotation.objects.alive().filter(layer="consensus").values_list("tag__slug", "note"))


def test_a_verdict_on_another_reviewer_keeps_the_editors_retag_of_a_consensus_copy(
    corpus, review, instructor, alice, bob
):
    from annotations.services.annotations import annotation_update

    first = annotate(alice, corpus[0], PHRASE, tag="claim", activity=review)
    second = annotate(bob, corpus[0], PHRASE, tag="opinion", activity=review)
    decision_record(editor=instructor, annotation=first, verdict="accept")
    copy = Annotation.objects.alive().get(layer="consensus")
    annotation_update(annotation=copy, version=copy.version, tag="quote", note="a quote, not a claim")
    decision_record(editor=instructor, annotation=second, verdict="reject")
    decision_record(editor=instructor, annotation=second, verdict="relabel", tag=review.tags.get(slug="claim"))
    assert _shown() == [("quote", "a quote, not a claim")]  # bob's claim is the passage the editor made a quote


def test_a_consensus_copy_the_editor_deleted_stays_out_after_a_verdict_on_another_annotation(
    corpus, review, instructor, alice, bob
):
    from annotations.services.deletions import annotation_delete

    first = annotate(alice, corpus[0], PHRASE, tag="claim", activity=review)
    second = annotate(bob, corpus[0], PHRASE, tag="opinion", activity=review)
    decision_record(editor=instructor, annotation=first, verdict="accept")
    annotation_delete(annotation=Annotation.objects.alive().get(layer="consensus"))
    decision_record(editor=instructor, annotation=second, verdict="reject")
    assert _shown() == []


def test_a_copy_whose_verdict_was_undone_cannot_be_restored_into_the_consensus(corpus, review, instructor, alice):
    from django.core.exceptions import PermissionDenied

    from annotations.services.activities import decision_undo
    from annotations.services.deletions import annotation_restore

    annotation = annotate(alice, corpus[0], PHRASE, tag="claim", activity=review)
    decision_record(editor=instructor, annotation=annotation, verdict="accept")
    copy = Annotation.objects.alive().get(layer="consensus")
    decision_undo(editor=instructor, annotation=annotation)
    with pytest.raises(PermissionDenied):
        annotation_restore(annotation=copy)
    assert _shown() == []


def test_relabelling_into_a_tag_the_editor_added_by_hand_keeps_the_passage_once(corpus, review, instructor, alice):
    annotation = annotate(alice, corpus[0], PHRASE, tag="claim", activity=review)
    decision_record(editor=instructor, annotation=annotation, verdict="accept")
    annotate(instructor, corpus[0], PHRASE, tag="opinion", activity=review, layer="consensus")
    decision_record(editor=instructor, annotation=annotation, verdict="relabel", tag=review.tags.get(slug="opinion"))
    assert list(Annotation.objects.alive().filter(layer="consensus").values_list("tag__slug", "source")) == [
        ("opinion", None)
    ]


def test_relabelling_the_first_of_two_agreeing_reviewers_leaves_the_edited_copy_to_the_other(
    corpus, review, instructor, alice, bob
):
    from annotations.services.annotations import annotation_update

    first = annotate(alice, corpus[0], PHRASE, tag="claim", activity=review)
    second = annotate(bob, corpus[0], PHRASE, tag="claim", activity=review)
    decision_record(editor=instructor, annotation=first, verdict="accept")
    decision_record(editor=instructor, annotation=second, verdict="accept")
    copy = Annotation.objects.alive().get(layer="consensus")
    annotation_update(annotation=copy, version=copy.version, note="checked against the transcript")
    decision_record(editor=instructor, annotation=first, verdict="relabel", tag=review.tags.get(slug="opinion"))
    assert sorted(_consensus()) == [("claim", "bob"), ("opinion", "alice")]
    assert Annotation.objects.alive().get(layer="consensus", tag__slug="claim").note == "checked against the transcript"
