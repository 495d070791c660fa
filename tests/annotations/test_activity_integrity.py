"""Review sessions and exercises keep their rules on every path: blindness, verdicts and tag sets."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotations.models import Annotation, Decision, Tag
from annotations.services.activities import activity_join, decision_record
from annotations.services.annotations import annotation_update
from annotations.services.deletions import annotation_delete, annotation_restore
from annotations.text.spans import SpanError
from tests.annotations.test_activities import PHRASE, annotate
from tests.factories import make_activity


@pytest.fixture
def blind_review(corpus, instructor, alice, bob):
    review = make_activity(instructor, corpus[:1], kind="review", blind=True)
    activity_join(user=alice, code=review.join_code)
    activity_join(user=bob, code=review.join_code)
    return review


def test_a_blind_sessions_consensus_is_hidden_from_reviewers_until_the_reveal(
    corpus, blind_review, instructor, alice, bob
):
    mine = annotate(alice, corpus[0], PHRASE, activity=blind_review)
    Annotation.objects.filter(pk=mine.pk).update(note="my private reasoning")
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.ACCEPT)
    visible_to_bob = Annotation.objects.visible_to(bob, blind_review)
    assert not visible_to_bob.filter(layer=Annotation.Layer.CONSENSUS).exists()
    assert not visible_to_bob.filter(note__contains="private").exists()
    blind_review.revealed_at = blind_review.opens_at
    blind_review.save(update_fields=["revealed_at"])
    assert Annotation.objects.visible_to(bob, blind_review).filter(layer=Annotation.Layer.CONSENSUS).exists()


def test_a_reviewers_annotation_with_a_verdict_is_not_changed_or_deleted_until_the_verdict_is_undone(
    client, corpus, blind_review, instructor, alice
):
    from annotations.services.activities import decision_undo

    mine = annotate(alice, corpus[0], PHRASE, activity=blind_review)
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.ACCEPT)
    client.force_login(alice)
    assert client.delete(f"/api/annotations/{mine.pk}").status_code == 403
    patch = json.dumps({"tag": "opinion"})
    assert client.patch(f"/api/annotations/{mine.pk}", data=patch, content_type="application/json").status_code == 403
    page = client.get(
        reverse("annotations:reader", args=[corpus[0].pk]) + f"?activity={blind_review.pk}"
    ).content.decode()
    item = page[page.index(f'<li id="a{mine.pk}"') :].split("</li>")[0]
    assert "accepted in adjudication" in item and ">Delete</button>" not in item
    mine.refresh_from_db()
    assert mine.deleted_at is None and Annotation.objects.filter(layer=Annotation.Layer.CONSENSUS).exists()
    decision_undo(editor=instructor, annotation=mine)
    assert client.delete(f"/api/annotations/{mine.pk}").status_code == 204


def test_a_rejected_consensus_annotation_cannot_be_restored(corpus, blind_review, instructor, alice):
    mine = annotate(alice, corpus[0], PHRASE, activity=blind_review)
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.ACCEPT)
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.REJECT)
    consensus = Annotation.objects.get(layer=Annotation.Layer.CONSENSUS)
    assert consensus.deleted_at is not None
    with pytest.raises(PermissionDenied):
        annotation_restore(annotation=consensus)
    consensus.refresh_from_db()
    assert consensus.deleted_at is not None


def test_the_undo_button_cannot_bring_back_a_rejected_consensus_annotation(
    client, corpus, blind_review, instructor, alice
):
    mine = annotate(alice, corpus[0], PHRASE, activity=blind_review)
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.ACCEPT)
    decision_record(editor=instructor, annotation=mine, verdict=Decision.Verdict.REJECT)
    consensus = Annotation.objects.get(layer=Annotation.Layer.CONSENSUS)
    client.force_login(instructor)
    assert client.post(reverse("annotations:restore", args=[consensus.pk])).status_code == 403
    assert Annotation.objects.get(pk=consensus.pk).deleted_at is not None


def test_patch_cannot_give_an_activity_annotation_a_tag_outside_its_tag_set(client, corpus, instructor, alice):
    exercise = make_activity(instructor, corpus[:1])
    exercise.tags.set(Tag.objects.filter(slug__in=["claim", "opinion"]))
    activity_join(user=alice, code=exercise.join_code)
    mine = annotate(alice, corpus[0], PHRASE, activity=exercise)
    with pytest.raises(SpanError):
        annotation_update(annotation=mine, version=1, tag="quote")
    client.force_login(alice)
    response = client.patch(
        reverse("annotations:api_annotation", args=[mine.pk]),
        json.dumps({"tag": "quote", "version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "tag"
    edit = client.post(reverse("annotations:edit", args=[mine.pk]), {"tag": "quote", "note": "", "version": 1})
    assert edit.status_code == 400
    assert Annotation.objects.get(pk=mine.pk).tag.slug == "claim"


def test_an_instructors_custom_tags_stay_in_their_own_activities(client, corpus, instructor, alice, django_user_model):
    from django.contrib.auth.models import Group

    from annotations.services.activities import activity_create

    exercise = make_activity(instructor, corpus[:1])
    other = django_user_model.objects.create_user("olga", password="olga-pass-123")
    other.groups.add(Group.objects.get(name="Instructors"))
    private = activity_create(
        owner=other,
        kind="exercise",
        title="Private",
        instructions="",
        articles=corpus[:1],
        tags=[],
        opens_at=exercise.opens_at,
        closes_at=exercise.closes_at,
        blind=True,
        custom_tags=[("loaded word", "secret definition for my class")],
    )
    tag = private.tags.get()
    assert tag.owner == other
    client.force_login(alice)
    reader = client.get(reverse("annotations:reader", args=[corpus[0].pk])).content.decode()
    assert "secret definition" not in reader and "loaded word" not in reader
    client.force_login(instructor)
    form = client.get(reverse("annotations:activity_new")).content.decode()
    assert "secret definition" not in form and "loaded word" not in form
    start = corpus[0].current.text.index(PHRASE)
    body = {"start": start, "end": start + len(PHRASE), "exact": PHRASE, "tag": tag.slug}
    url = reverse("annotations:api_article_annotations", args=[corpus[0].pk])
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 400


def test_two_instructors_custom_tags_of_the_same_name_are_separate(corpus, instructor, django_user_model):
    from django.contrib.auth.models import Group

    from annotations.services.activities import activity_create

    other = django_user_model.objects.create_user("olga", password="olga-pass-123")
    other.groups.add(Group.objects.get(name="Instructors"))
    first, second = (
        activity_create(
            owner=owner,
            kind="exercise",
            title="T",
            instructions="",
            articles=corpus[:1],
            tags=[],
            opens_at=make_activity(instructor, corpus[:1]).opens_at,
            closes_at=make_activity(instructor, corpus[:1]).closes_at,
            blind=True,
            custom_tags=[("evidence", definition)],
        )
        for owner, definition in ((instructor, "mine"), (other, "theirs"))
    )
    assert first.tags.get().definition == "mine" and second.tags.get().definition == "theirs"


def test_deleting_then_restoring_an_ordinary_annotation_still_works(corpus, alice):
    mine = annotate(alice, corpus[0], PHRASE)
    annotation_delete(annotation=mine)
    annotation_restore(annotation=mine)
    assert Annotation.objects.get(pk=mine.pk).deleted_at is None
