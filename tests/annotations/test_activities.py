from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.models import Activity, Annotation, AuditEvent, Decision, Participation, Tag
from annotations.services.activities import (
    ActivityError,
    activity_join,
    activity_reveal,
    decision_record,
    participation_submit,
)
from annotations.services.annotations import annotation_create
from tests.factories import make_activity

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."
OTHER = "It was his first trip abroad after being re-elected to a third term as President."
HTMX = {"HX-Request": "true"}


@pytest.fixture
def carol(django_user_model):
    return django_user_model.objects.create_user("carol", password="carol-pass-123")


@pytest.fixture
def exercise(corpus, instructor, alice, bob):
    activity = make_activity(instructor, corpus[:2])
    activity_join(user=alice, code=activity.join_code)
    activity_join(user=bob, code=activity.join_code)
    return activity


def annotate(user, article, phrase, tag="claim", activity=None, layer="individual"):
    text = article.current.text
    start = text.index(phrase)
    return annotation_create(
        user=user,
        revision=article.current,
        start=start,
        end=start + len(phrase),
        exact=phrase,
        tag=tag,
        activity=activity,
        layer=layer,
    )


def reader_url(article, activity, extra=""):
    return reverse("annotations:reader", args=[article.pk]) + f"?activity={activity.pk}{extra}"


def api_list(article, activity):
    return f"/api/articles/{article.pk}/annotations?activity={activity.pk}"


# ---------------------------------------------------------------- creating and joining


def new_exercise(corpus, **fields) -> dict:
    """The new-exercise form as an instructor fills it: one article, the public tags, open now for a day."""
    now = timezone.now()
    return {
        "kind": "exercise",
        "title": "Week 3",
        "articles": [corpus[0].pk],
        "tags": [t.pk for t in Tag.objects.public()],
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        **fields,
    }


def test_only_instructors_and_editors_create_activities(client, corpus, alice, instructor):
    client.force_login(alice)
    assert client.get(reverse("annotations:activity_new")).status_code == 403
    client.force_login(instructor)
    response = client.post(
        reverse("annotations:activity_new"),
        new_exercise(corpus, custom_tags="loaded word: a word chosen for its emotional charge", blind="on"),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert len(activity.join_code) == 6
    assert activity.tags.filter(slug="loaded-word", definition__startswith="a word chosen").exists()


@pytest.mark.parametrize(
    ("custom", "error"),
    [
        ("Claim: a second claim", "Claim is already in the set (ticked above)"),
        ("Loaded word: again", "Loaded word is already a tag: tick it above"),
        ("evidence: one\nEvidence: two", "Line 2: Evidence is already on an earlier line."),
        ("x" * 61 + ": too long", "Line 1: a tag&#x27;s name has at most 60 characters."),
        ("short: " + "d" * 301, "Line 1: a tag&#x27;s definition has at most 300 characters."),
    ],
)
def test_a_custom_tag_that_repeats_a_tag_or_is_too_long_is_refused_with_the_reason(
    client, corpus, instructor, custom, error
):
    client.force_login(instructor)
    earlier = Tag.objects.create(slug="loaded-word", name="Loaded word", definition="mine", owner=instructor, order=100)
    response = client.post(reverse("annotations:activity_new"), new_exercise(corpus, custom_tags=custom))
    assert response.status_code == 400 and error in response.content.decode()
    assert not Activity.objects.exists() and list(Tag.objects.exclude(owner__isnull=True)) == [earlier]


def test_a_custom_tag_name_of_invisible_characters_is_refused_and_a_slug_holds_no_url_character(
    client, corpus, instructor
):
    client.force_login(instructor)
    response = client.post(reverse("annotations:activity_new"), new_exercise(corpus, custom_tags="\u200b\u200b: blank"))
    assert response.status_code == 400 and "a tag&#x27;s name needs a character that shows" in response.content.decode()
    response = client.post(
        reverse("annotations:activity_new"), new_exercise(corpus, custom_tags="q&activity=2#frag: odd")
    )
    assert response.status_code == 302
    assert Tag.objects.get(name="q&activity=2#frag").slug == "qactivity2frag"


def test_a_title_or_a_reply_of_invisible_characters_only_is_refused(client, corpus, instructor, review, alice):
    client.force_login(instructor)
    for blank in ("\u3164\u3164", "\u2800"):  # Hangul fillers and the blank Braille pattern draw nothing
        response = client.post(reverse("annotations:activity_new"), new_exercise(corpus, title=blank))
        assert response.status_code == 400
    response = client.post(reverse("annotations:activity_new"), new_exercise(corpus, title="\u200b\u200b\u2066"))
    assert response.status_code == 400 and "A title needs some text" in response.content.decode()
    assert not Activity.objects.exclude(pk=review.pk).exists()
    mine = annotate(alice, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(alice)
    response = client.post(reverse("annotations:thread", args=[mine.pk]), {"body": "\u200b\u202e "}, headers=HTMX)
    assert "A reply needs some text" in response.content.decode()
    assert not mine.replies.exists()


def test_joining_with_the_right_code_works_and_wrong_or_expired_codes_fail(corpus, instructor, alice):
    activity = make_activity(instructor, corpus[:1])
    with pytest.raises(ActivityError, match="No exercise or session has this code"):
        activity_join(user=alice, code="WRONG1")
    expired = make_activity(instructor, corpus[:1], opens=-3, closes=-1)
    with pytest.raises(ActivityError, match="expired"):
        activity_join(user=alice, code=expired.join_code)
    later = make_activity(instructor, corpus[:1], opens=1, closes=3)
    with pytest.raises(ActivityError, match="not open yet"):
        activity_join(user=alice, code=later.join_code)
    activity_join(user=alice, code=activity.join_code.lower())
    assert Participation.objects.filter(user=alice).count() == 1


def test_join_page_shows_the_reason_a_code_failed(client, corpus, alice, instructor):
    client.force_login(alice)
    response = client.post(reverse("annotations:activity_join"), {"code": "NOPE99"}, follow=True)
    assert "No exercise or session has this code" in response.content.decode()


# ---------------------------------------------------------------- blind visibility


def test_blind_student_sees_only_own_work_in_page_api_partial_and_single_get(client, exercise, corpus, alice, bob):
    article = corpus[0]
    mine = annotate(alice, article, PHRASE, activity=exercise)
    peer = annotate(bob, article, OTHER, "opinion", activity=exercise)
    client.force_login(alice)
    html = client.get(reader_url(article, exercise)).content.decode()
    assert "Highlight: claim by alice" in html and "bob" not in html
    partial = client.get(reader_url(article, exercise), headers=HTMX).content.decode()
    assert "bob" not in partial
    items = client.get(api_list(article, exercise)).json()["first"]["items"]
    assert [i["creator"]["nickname"] for i in items] == ["alice"]
    assert client.get(f"/api/annotations/{peer.pk}").status_code == 404
    assert client.get(reverse("annotations:thread", args=[peer.pk])).status_code == 404
    assert client.get(f"/api/annotations/{mine.pk}").status_code == 200


def test_counts_do_not_leak_peers_work(client, exercise, corpus, alice, bob):
    annotate(bob, corpus[0], OTHER, "opinion", activity=exercise)
    client.force_login(alice)
    html = client.get(reader_url(corpus[0], exercise)).content.decode()
    assert 'Opinion <span class="n">0</span>' in html
    assert 'Annotations <span class="count">0</span>' in html


def test_after_submitting_a_student_sees_peers_and_cannot_change_anything(client, exercise, corpus, alice, bob):
    mine = annotate(alice, corpus[0], PHRASE, activity=exercise)
    annotate(bob, corpus[0], OTHER, "opinion", activity=exercise)
    client.force_login(alice)
    client.post(reverse("annotations:activity_submit", args=[exercise.pk]))
    items = client.get(api_list(corpus[0], exercise)).json()["first"]["items"]
    assert sorted(i["creator"]["nickname"] for i in items) == ["alice", "bob"]
    start = corpus[0].current.text.index("third term")
    response = client.post(
        api_list(corpus[0], exercise),
        json.dumps({"start": start, "end": start + 10, "tag": "claim"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and "submitted" in response.json()["error"]
    patch = client.patch(
        f"/api/annotations/{mine.pk}", json.dumps({"note": "late", "version": 1}), content_type="application/json"
    )
    assert patch.status_code == 403
    assert client.delete(f"/api/annotations/{mine.pk}").status_code == 403
    assert client.post(reverse("annotations:delete", args=[mine.pk])).status_code == 403
    mine.refresh_from_db()
    assert mine.note == "" and mine.deleted_at is None


def test_the_close_time_locks_everyones_work(client, corpus, instructor, alice):
    activity = make_activity(instructor, corpus[:1])
    activity_join(user=alice, code=activity.join_code)
    mine = annotate(alice, corpus[0], PHRASE, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(alice)
    start = corpus[0].current.text.index("third term")
    response = client.post(
        api_list(corpus[0], activity),
        json.dumps({"start": start, "end": start + 10, "tag": "claim"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and "closed" in response.json()["error"]
    assert client.delete(f"/api/annotations/{mine.pk}").status_code == 403
    html = client.get(reader_url(corpus[0], activity)).content.decode()
    assert 'id="toolbar"' not in html and "closed" in html


def test_reveal_shows_the_class_and_the_key_and_the_students_feedback(client, exercise, corpus, instructor, alice, bob):
    annotate(instructor, corpus[0], PHRASE, "opinion", activity=exercise, layer="key")
    annotate(instructor, corpus[0], OTHER, "claim", activity=exercise, layer="key")
    annotate(alice, corpus[0], PHRASE, "opinion", activity=exercise)
    annotate(bob, corpus[0], "third term", "claim", activity=exercise)
    client.force_login(alice)
    assert all(
        i["creator"]["nickname"] == "alice" for i in client.get(api_list(corpus[0], exercise)).json()["first"]["items"]
    )
    assert client.post(reverse("annotations:activity_reveal", args=[exercise.pk])).status_code == 403
    client.force_login(instructor)
    client.post(reverse("annotations:activity_reveal", args=[exercise.pk]))
    client.force_login(alice)
    names = sorted(i["creator"]["nickname"] for i in client.get(api_list(corpus[0], exercise)).json()["first"]["items"])
    assert names == ["alice", "bob", "ines", "ines"]
    page = client.get(reverse("annotations:activity", args=[exercise.pk])).content.decode()
    assert "1 matched, 1 missed, 0 not in the key." in page

    client.force_login(bob)  # bob tagged words of the key's claim as a claim: a match, and nothing else
    page = client.get(reverse("annotations:activity", args=[exercise.pk])).content.decode()
    assert "1 matched, 1 missed, 0 not in the key." in page and '<ul class="extra">' not in page


def test_after_the_reveal_a_student_sees_which_of_their_tags_the_key_gives_otherwise(
    client, exercise, corpus, instructor, alice
):
    annotate(instructor, corpus[0], PHRASE, "opinion", activity=exercise, layer="key")
    annotate(alice, corpus[0], PHRASE, "claim", activity=exercise)
    annotate(alice, corpus[0], OTHER, "quote", activity=exercise)
    client.force_login(instructor)
    client.post(reverse("annotations:activity_reveal", args=[exercise.pk]))
    client.force_login(alice)
    page = client.get(reverse("annotations:activity", args=[exercise.pk])).content.decode()
    assert "0 matched, 1 missed, 2 not in the key." in page
    extra = page[page.index('<ul class="extra">') :]
    extra = extra[: extra.index("</ul>")]
    assert extra.count("<li>") == 2
    assert 'the key says <span class="tag-chip t-opinion">opinion</span>' in extra
    assert "the key tags nothing there" in extra


# ---------------------------------------------------------------- outsiders


def test_non_participants_anonymous_and_foreign_ids_get_nothing(client, exercise, corpus, alice, carol):
    annotation = annotate(alice, corpus[0], PHRASE, activity=exercise)
    client.force_login(carol)
    for url in [
        reader_url(corpus[0], exercise),
        api_list(corpus[0], exercise),
        reverse("annotations:activity", args=[exercise.pk]),
        reverse("annotations:dashboard", args=[exercise.pk]),
        f"/api/annotations/{annotation.pk}",
        reverse("annotations:thread", args=[annotation.pk]),
        reverse("annotations:activity", args=[99999]),
    ]:
        assert client.get(url).status_code == 404, url
    start = corpus[0].current.text.index("third term")
    response = client.post(
        api_list(corpus[0], exercise),
        json.dumps({"start": start, "end": start + 10, "tag": "claim"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    client.logout()
    assert client.get(api_list(corpus[0], exercise)).status_code == 404
    assert client.get(reverse("annotations:activity", args=[exercise.pk])).status_code == 302


def test_activity_annotations_stay_out_of_the_public_layer(client, exercise, corpus, alice):
    annotate(alice, corpus[0], PHRASE, activity=exercise)
    assert client.get(f"/api/articles/{corpus[0].pk}/annotations").json()["total"] == 0
    assert "alice" not in client.get(corpus[0].get_absolute_url()).content.decode()


def test_an_article_outside_the_activity_cannot_be_annotated_in_it(client, exercise, corpus, alice):
    client.force_login(alice)
    assert client.get(reader_url(corpus[4], exercise)).status_code == 404


# ---------------------------------------------------------------- dashboard


def test_dashboard_shows_progress_and_agreement_to_the_instructor_only(
    client, exercise, corpus, instructor, alice, bob
):
    annotate(alice, corpus[0], PHRASE, "opinion", activity=exercise)
    annotate(bob, corpus[0], PHRASE, "opinion", activity=exercise)
    annotate(bob, corpus[0], OTHER, "claim", activity=exercise)
    annotate(instructor, corpus[0], PHRASE, "opinion", activity=exercise, layer="key")
    client.force_login(alice)
    assert client.get(reverse("annotations:dashboard", args=[exercise.pk])).status_code == 403
    client.force_login(instructor)
    html = client.get(reverse("annotations:dashboard", args=[exercise.pk])).content.decode()
    assert "Krippendorff" in html and 'class="alpha"' in html
    assert "Cohen" in html and 'class="heat h' in html
    assert "P exact" in html


@pytest.mark.parametrize("kind", ["exercise", "review"])
def test_the_dashboard_of_an_activity_nobody_has_joined_yet_shows_its_empty_figures(client, corpus, instructor, kind):
    activity = make_activity(instructor, corpus[:2], kind=kind, blind=kind == "exercise")
    annotate(
        instructor, corpus[0], PHRASE, "opinion", activity=activity, layer="key" if kind == "exercise" else "consensus"
    )
    client.force_login(instructor)
    response = client.get(reverse("annotations:dashboard", args=[activity.pk]))
    assert response.status_code == 200
    assert corpus[0].current.title in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_the_class(client, exercise, corpus, instructor, django_user_model):
    client.force_login(instructor)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("annotations:dashboard", args=[exercise.pk]))
    for n in range(6):
        student = django_user_model.objects.create_user(f"s{n}")
        activity_join(user=student, code=exercise.join_code)
        annotate(student, corpus[0], PHRASE, "claim", activity=exercise)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("annotations:dashboard", args=[exercise.pk]))
    assert len(large) == len(small)


# ---------------------------------------------------------------- review sessions


@pytest.fixture
def review(corpus, instructor, alice, bob):
    activity = make_activity(instructor, corpus[:1], kind="review", blind=False)
    activity_join(user=alice, code=activity.join_code)
    activity_join(user=bob, code=activity.join_code)
    return activity


def test_reviewers_see_each_other_in_an_open_session_and_reply(client, review, corpus, alice, bob):
    peer = annotate(bob, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(alice)
    assert client.get(f"/api/annotations/{peer.pk}").status_code == 200
    response = client.post(
        reverse("annotations:thread", args=[peer.pk]), {"body": "<b>Source?</b><script>x()</script>"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<b>Source?</b>" in response.content.decode() and "<script" not in response.content.decode()
    assert client.post(reverse("annotations:thread", args=[peer.pk]), {"resolve": "1"}).status_code == 403
    client.force_login(bob)
    client.post(reverse("annotations:thread", args=[peer.pk]), {"resolve": "1"})
    peer.refresh_from_db()
    assert peer.thread_resolved_at is not None


def test_mark_resolved_with_a_reply_typed_posts_the_reply_then_resolves(client, review, corpus, bob):
    own = annotate(bob, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(bob)
    url = reverse("annotations:thread", args=[own.pk])
    client.post(url, {"body": "Checked the source: fine.", "resolve": "1"})
    own.refresh_from_db()
    assert own.thread_resolved_at is not None
    assert list(own.replies.values_list("body", flat=True)) == ["Checked the source: fine."]
    response = client.post(url, {"body": "x" * 6000, "reopen": "1"}, headers=HTMX)
    own.refresh_from_db()
    assert response.status_code == 400 and own.thread_resolved_at is not None  # nothing half done
    assert own.replies.count() == 1


def test_cancel_in_the_edit_form_goes_back_to_the_exercise(client, review, corpus, bob):
    own = annotate(bob, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(bob)
    html = client.get(reverse("annotations:edit", args=[own.pk])).content.decode()
    assert f'href="/articles/{corpus[0].pk}/?activity={review.pk}#a{own.pk}">Cancel</a>' in html
    panel = client.get(
        reverse("annotations:edit", args=[own.pk]) + "?tag=claim&who=mine", headers=HTMX
    ).content.decode()
    back = f"/articles/{corpus[0].pk}/?tag=claim&amp;who=mine&amp;activity={review.pk}"
    assert (
        f'href="{back}#a{own.pk}" hx-get="{back}" hx-target="#workspace"' in panel
    )  # closes the panel, keeps the filters


def test_a_reviewer_cannot_adjudicate(client, review, corpus, alice, bob):
    peer = annotate(bob, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(alice)
    assert client.get(reverse("annotations:adjudicate", args=[review.pk])).status_code == 403
    assert client.post(reverse("annotations:decide", args=[peer.pk]), {"verdict": "accept"}).status_code == 403
    assert not Annotation.objects.filter(layer="consensus").exists()


def test_editor_works_through_disagreements_into_a_consensus_with_an_audit_trail(
    client, review, corpus, instructor, alice, bob
):
    a = annotate(alice, corpus[0], PHRASE, "claim", activity=review)
    b = annotate(bob, corpus[0], PHRASE, "opinion", activity=review)
    client.force_login(instructor)
    page = client.get(reverse("annotations:adjudicate", args=[review.pk])).content.decode()
    assert "claim vs opinion" in page
    decided = client.post(reverse("annotations:decide", args=[a.pk]), {"verdict": "reject"}, follow=True)
    html = decided.content.decode()
    item = html.index(f'<li id="d{a.pk}"')
    assert item < html.index("Annotation rejected") < html.index("</li>", html.index("Annotation rejected"))
    client.post(reverse("annotations:decide", args=[b.pk]), {"verdict": "relabel", "tag": "quote"})
    consensus = Annotation.objects.get(layer="consensus", deleted_at__isnull=True)
    assert (consensus.source, consensus.tag.slug) == (b, "quote")
    actions = list(AuditEvent.objects.filter(activity=review).values_list("action", flat=True))
    assert {"created", "rejected", "relabelled", "joined"} <= set(actions)
    decision_record(editor=instructor, annotation=b, verdict="reject")
    assert not Annotation.objects.filter(layer="consensus", deleted_at__isnull=True).exists()


def test_passages_reviewers_agree_on_reach_the_consensus_in_one_step(client, review, corpus, instructor, alice, bob):
    agreed = [
        annotate(alice, corpus[0], PHRASE, "claim", activity=review),
        annotate(bob, corpus[0], PHRASE, "claim", activity=review),
    ]
    alone = annotate(alice, corpus[0], OTHER, "opinion", activity=review)
    client.force_login(instructor)
    url = reverse("annotations:adjudicate", args=[review.pk])
    page = client.get(url).content.decode()
    assert "No disagreements" in page
    assert page.count(f'action="/annotations/{alone.pk}/decide/"') == 1  # one reviewer's passage can be judged too
    assert "Accept the 2 undecided annotations" in page
    response = client.post(reverse("annotations:accept_agreed", args=[review.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#agreed")
    consensus = Annotation.objects.filter(layer="consensus", deleted_at__isnull=True)
    assert [(c.exact, c.tag.slug) for c in consensus] == [(PHRASE, "claim")]  # once, though two agreed
    assert AuditEvent.objects.filter(activity=review, action="accepted").count() == 2
    assert "Accept the" not in client.get(url).content.decode()  # nothing left to accept in one step
    consensus_page = client.get(corpus[0].get_absolute_url() + f"?activity={review.pk}&layer=consensus").content
    assert "accepted from alice and bob" in consensus_page.decode()  # the copy stands for both verdicts
    client.post(reverse("annotations:undecide", args=[agreed[0].pk]))
    client.post(reverse("annotations:undecide", args=[agreed[1].pk]))
    assert not Annotation.objects.filter(layer="consensus", deleted_at__isnull=True).exists()
    client.force_login(alice)
    assert client.post(reverse("annotations:accept_agreed", args=[review.pk])).status_code in (403, 404)
    assert not Decision.objects.exists()


def test_consensus_is_shown_on_its_own_and_in_the_aligned_view(client, review, corpus, instructor, alice):
    from articles.services.alignment import alignment_compute

    alignment_compute()
    a = annotate(alice, corpus[0], PHRASE, "claim", activity=review)
    decision_record(editor=instructor, annotation=a, verdict="accept")
    client.force_login(alice)
    items = client.get(api_list(corpus[0], review) + "&layer=consensus").json()["first"]["items"]
    assert [i["creator"]["nickname"] for i in items] == ["ines"]
    html = client.get(reverse("annotations:compare") + f"?activity={review.pk}&layer=consensus").content.decode()
    assert "Highlights from" in html and "claim by ines" in html


def test_the_aligned_view_of_a_session_offers_the_sessions_articles(client, corpus, instructor, alice):
    session = make_activity(instructor, corpus[1:3], kind="review", blind=False)
    client.force_login(instructor)
    html = client.get(reverse("annotations:compare") + f"?activity={session.pk}&layer=consensus").content.decode()
    offered = set(re.findall(r'name="a" value="(\d+)"', html))
    assert offered == {str(corpus[1].pk), str(corpus[2].pk)}
    url = reverse("annotations:compare") + f"?activity={session.pk}&a={corpus[3].pk}&a={corpus[4].pk}"
    forced = client.get(url).content.decode()
    assert "Choose two of this review session&#x27;s articles or more to compare" in forced


ACTIVITY_ENDPOINTS = [
    ("get", "annotations:activity"),
    ("post", "annotations:activity_submit"),
    ("post", "annotations:activity_reveal"),
    ("get", "annotations:dashboard"),
    ("get", "annotations:adjudicate"),
    ("get", "annotations:activity_edit"),
    ("post", "annotations:activity_close"),
    ("get", "annotations:activity_delete"),
    ("post", "annotations:activity_delete"),
]


@pytest.mark.parametrize(("method", "name"), ACTIVITY_ENDPOINTS)
def test_every_activity_endpoint_refuses_outsiders_anonymous_and_foreign_ids(client, exercise, carol, method, name):
    url = reverse(name, args=[exercise.pk])
    assert getattr(client, method)(url).status_code == 302  # anonymous: to sign in
    client.force_login(carol)
    assert getattr(client, method)(url).status_code == 404  # not a member: nothing to see
    assert getattr(client, method)(reverse(name, args=[exercise.pk + 1000])).status_code == 404  # foreign id
    exercise.refresh_from_db()
    assert exercise.revealed_at is None


@pytest.mark.parametrize(
    ("method", "name", "expected"),
    [
        ("post", "annotations:activity_reveal", 403),
        ("get", "annotations:dashboard", 403),
        ("get", "annotations:adjudicate", 403),
        ("post", "annotations:activity_edit", 403),
        ("post", "annotations:activity_close", 403),
        ("post", "annotations:activity_delete", 403),
    ],
)
def test_participants_cannot_use_the_owners_endpoints(client, exercise, alice, method, name, expected):
    client.force_login(alice)
    assert getattr(client, method)(reverse(name, args=[exercise.pk])).status_code == expected
    exercise.refresh_from_db()
    assert exercise.revealed_at is None


@pytest.mark.parametrize(
    ("method", "name"), [("get", "annotations:thread"), ("post", "annotations:thread"), ("post", "annotations:decide")]
)
def test_annotation_endpoints_hide_activity_work_from_outsiders(client, exercise, corpus, alice, carol, method, name):
    annotation = annotate(alice, corpus[0], PHRASE, activity=exercise)
    client.force_login(carol)
    assert (
        getattr(client, method)(reverse(name, args=[annotation.pk]), {"body": "x", "verdict": "accept"}).status_code
        == 404
    )
    assert getattr(client, method)(reverse(name, args=[999999]), {"body": "x"}).status_code == 404
    assert not annotation.replies.exists()


def test_submit_and_activity_list_need_sign_in_and_methods(client, exercise, alice):
    assert client.get(reverse("annotations:activities")).status_code == 302
    client.force_login(alice)
    assert client.put(reverse("annotations:activity_submit", args=[exercise.pk])).status_code == 405
    assert client.get(reverse("annotations:activity_join")).status_code == 405
    assert "exercise one" in client.get(reverse("annotations:activities")).content.decode()


def test_the_owner_tagging_in_an_activity_is_told_whose_layer_they_write(client, exercise, review, corpus, instructor):
    client.force_login(instructor)
    page = client.get(corpus[0].get_absolute_url() + f"?activity={exercise.pk}").content.decode()
    assert "you are writing the answer key" in page
    page = client.get(corpus[0].get_absolute_url() + f"?activity={review.pk}").content.decode()
    assert "you are writing the consensus" in page


def test_a_participant_is_not_told_they_write_a_key(client, exercise, corpus, alice):
    client.force_login(alice)
    page = client.get(corpus[0].get_absolute_url() + f"?activity={exercise.pk}").content.decode()
    assert "you are writing" not in page


def test_an_instructor_with_no_activity_is_not_told_to_ask_their_instructor(client, instructor, alice):
    client.force_login(instructor)
    assert "create one, or join one with its code" in client.get(reverse("annotations:activities")).content.decode()
    client.force_login(alice)
    assert (
        "the code your instructor or editor gave you" in client.get(reverse("annotations:activities")).content.decode()
    )


def test_a_review_sessions_dashboard_speaks_of_reviewers_and_an_exercises_of_students(
    client, exercise, review, instructor
):
    client.force_login(instructor)
    session = client.get(reverse("annotations:dashboard", args=[review.pk])).content.decode()
    assert "each reviewer has made" in session and "student" not in session.lower()
    assert "Submitted" not in session and "answer key" not in session  # reviewers submit nothing, against no key
    assert "each student has made" in client.get(reverse("annotations:dashboard", args=[exercise.pk])).content.decode()


def test_deleting_an_activity_nobody_joined_is_asked_in_plain_words(client, corpus, instructor):
    lonely = make_activity(instructor, corpus[:1])
    client.force_login(instructor)
    page = client.get(reverse("annotations:activity_delete", args=[lonely.pk])).content.decode()
    assert "(nobody has joined it)" in page and "0 participants" not in page
    assert '<button type="submit" class="danger">Delete for good</button>' in page


def test_after_the_reveal_an_article_without_a_key_says_so(client, exercise, corpus, instructor, alice):
    annotate(alice, corpus[0], PHRASE, "claim", activity=exercise)
    client.force_login(instructor)
    client.post(reverse("annotations:activity_reveal", args=[exercise.pk]))
    client.force_login(alice)
    page = client.get(reverse("annotations:activity", args=[exercise.pk])).content.decode()
    assert "The answer key highlights nothing in this article" in page and "0 matched" not in page


def test_a_reply_on_the_threads_own_page_sends_no_update_for_a_sidebar_it_lacks(client, review, corpus, bob):
    own = annotate(bob, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(bob)
    url = reverse("annotations:thread", args=[own.pk])
    page = client.get(url).content.decode()
    assert f'href="/articles/{corpus[0].pk}/?activity={review.pk}#a{own.pk}">in the article</a>' in page
    alone = client.post(url, {"body": "Own page."}, headers=HTMX | {"HX-Current-URL": "http://testserver" + url})
    assert "hx-swap-oob" not in alone.content.decode()
    reader = f"http://testserver/articles/{corpus[0].pk}/?activity={review.pk}"
    beside = client.post(url, {"body": "From the reader."}, headers=HTMX | {"HX-Current-URL": reader})
    assert f'<span id="replies-{own.pk}" hx-swap-oob="true">2 replies</span>' in beside.content.decode()


# ---------------------------------------------------------------- after the reveal, and the list


def test_a_participant_sees_how_many_people_are_in_each_activity_not_only_themselves(client, exercise, alice):
    client.force_login(alice)
    html = client.get(reverse("annotations:activities")).content.decode()
    row = html.split(exercise.title)[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2"]


def test_a_review_sessions_owner_reaches_its_dashboard_and_its_adjudication(client, review, instructor):
    client.force_login(instructor)
    html = client.get(review.get_absolute_url()).content.decode()
    assert reverse("annotations:dashboard", args=[review.pk]) in html
    assert reverse("annotations:adjudicate", args=[review.pk]) in html


def test_after_the_reveal_there_is_nothing_to_submit_and_a_second_submit_says_when_the_first_was(
    client, corpus, exercise, instructor, alice, bob
):
    client.force_login(alice)
    url = reverse("annotations:activity_submit", args=[exercise.pk])
    client.post(url)
    again = client.get(url, follow=True).content.decode()
    assert "You submitted your work on" in again and "Submit your work in" not in again
    activity_reveal(activity=exercise, user=instructor)
    client.force_login(bob)
    late = client.post(url, follow=True).content.decode()
    assert "there is nothing left to submit" in late
    assert exercise.participations.get(user=bob).submitted_at is None  # told apart from who submitted
    with pytest.raises(ActivityError):
        participation_submit(participation=exercise.participations.get(user=bob))


def test_the_answer_key_is_locked_once_the_exercise_is_revealed(client, corpus, exercise, instructor):
    key = annotate(instructor, corpus[0], "first trip abroad", activity=exercise, layer="key")
    activity_reveal(activity=exercise, user=instructor)
    client.force_login(instructor)
    start = corpus[1].current.text.index(corpus[1].current.text.split()[3])
    created = client.post(
        reverse("annotations:api_article_annotations", args=[corpus[1].pk]) + f"?activity={exercise.pk}",
        json.dumps({"start": start, "end": start + 5, "tag": "claim"}),
        content_type="application/json",
    )
    assert created.status_code == 403 and "locked since the reveal" in created.json()["error"]
    assert client.post(reverse("annotations:delete", args=[key.pk])).status_code == 403
    assert Annotation.objects.filter(activity=exercise, layer="key", deleted_at__isnull=True).count() == 1


def test_a_verdict_from_a_stale_page_changes_nothing_and_names_the_verdict_given_meanwhile(
    client, review, corpus, instructor, alice
):
    a = annotate(alice, corpus[0], PHRASE, "claim", activity=review)
    client.force_login(instructor)
    page = client.get(reverse("annotations:adjudicate", args=[review.pk])).content.decode()
    assert 'name="seen" value=""' in page
    decide = reverse("annotations:decide", args=[a.pk])
    client.post(decide, {"verdict": "accept", "seen": ""})  # tab A
    stale = client.post(decide, {"verdict": "relabel", "tag": "quote", "seen": ""}, follow=True)  # tab B, not reloaded
    assert "ines accepted this annotation meanwhile: nothing was changed" in stale.content.decode()
    assert Decision.objects.get(annotation=a).verdict == "accept"
    page = client.get(reverse("annotations:adjudicate", args=[review.pk])).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    undo = reverse("annotations:undecide", args=[a.pk])
    client.post(undo, {"seen": seen})  # tab A undoes it
    late = client.post(undo, {"seen": seen}, follow=True)  # tab B's undo of the verdict that is gone
    assert "This verdict was undone meanwhile" in late.content.decode()
    client.post(decide, {"verdict": "reject", "seen": ""})
    assert Decision.objects.get(annotation=a).verdict == "reject"
