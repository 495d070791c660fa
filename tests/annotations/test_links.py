"""Links between passages of two articles: writing them, who sees them, and following new revisions."""

from __future__ import annotations

import pytest

from annotations.models import AuditEvent, Link, LinkEnd
from annotations.services.activities import activity_reveal, participation_submit
from annotations.services.annotations import RevisionSuperseded
from annotations.services.links import Passage, link_create, link_delete
from annotations.text.spans import SpanError
from articles.services.revisions import article_import
from tests.annotations.conftest import XI_MOMENT, XI_VISIT


def test_a_link_joins_two_anchored_passages_with_its_kind_and_a_sanitized_note(linked_pair, alice, make_link):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="adds-detail", note="<b>ok</b><script>x</script>")
    first, second = link.ends.order_by("position")
    assert (first.revision_id, second.revision_id) == (left.current_id, right.current_id)
    assert left.current.text[first.start : first.end] == first.exact == XI_VISIT
    assert right.current.text[second.start : second.end] == XI_MOMENT
    assert first.suffix and second.suffix  # context for re-anchoring
    assert link.kind == Link.Kind.ADDS_DETAIL and link.note.startswith("<b>ok</b>") and "<script" not in link.note


def test_a_passage_given_as_a_quote_is_found_in_its_article(linked_pair, alice):
    left, right = linked_pair
    link = link_create(
        user=alice,
        first=Passage(left.current, exact=XI_VISIT),
        second=Passage(right.current, exact=XI_MOMENT),
        kind="same-event",
    )
    assert [e.exact for e in link.ends.order_by("position")] == [XI_VISIT, XI_MOMENT]


def test_a_quote_that_is_not_in_the_article_is_refused_naming_the_end(linked_pair, alice):
    left, right = linked_pair
    with pytest.raises(SpanError) as error:
        link_create(
            user=alice,
            first=Passage(left.current, exact=XI_VISIT),
            second=Passage(right.current, exact="no such words"),
            kind="same-event",
        )
    assert error.value.field == "second" and not Link.objects.exists()


def test_the_same_two_passages_linked_again_alike_are_refused_but_another_kind_or_person_is_not(
    linked_pair, alice, bob, make_link
):
    left, right = linked_pair
    first = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    for again in ((left, XI_VISIT, right, XI_MOMENT), (right, XI_MOMENT, left, XI_VISIT)):  # either way round
        with pytest.raises(SpanError, match="already linked these two passages as same event") as error:
            make_link(alice, *again)
        assert error.value.field == "kind"
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="contradicts")
    make_link(bob, left, XI_VISIT, right, XI_MOMENT)
    link_delete(link=first)
    make_link(alice, left, XI_VISIT, right, XI_MOMENT)  # linked again once the first is gone
    assert Link.objects.alive().count() == 3


def test_two_passages_of_one_article_cannot_be_linked(linked_pair, alice):
    left, _right = linked_pair
    with pytest.raises(SpanError) as error:
        link_create(
            user=alice, first=Passage(left.current, 0, 5), second=Passage(left.current, 10, 20), kind="same-event"
        )
    assert error.value.field == "second"


def test_an_unknown_kind_is_refused(linked_pair, alice, make_link):
    left, right = linked_pair
    with pytest.raises(SpanError) as error:
        make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="rhymes-with")
    assert error.value.field == "kind"


def test_public_links_are_seen_by_everyone_even_signed_out(linked_pair, alice, bob, make_link):
    from django.contrib.auth.models import AnonymousUser

    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    assert list(Link.objects.visible_to(bob)) == [link]
    assert list(Link.objects.visible_to(AnonymousUser())) == [link]


def test_in_a_blind_exercise_a_student_sees_only_their_own_links_until_they_submit(
    linked_pair, exercise, alice, bob, make_link
):
    left, right = linked_pair
    mine = make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise)
    theirs = make_link(bob, left, XI_VISIT, right, XI_MOMENT, kind="adds-detail", activity=exercise)
    assert list(Link.objects.visible_to(alice, exercise)) == [mine]
    participation_submit(participation=exercise.participations.get(user=alice))
    assert set(Link.objects.visible_to(alice, exercise)) == {mine, theirs}


def test_the_answer_key_links_are_hidden_from_students_until_the_reveal(
    linked_pair, exercise, instructor, alice, make_link
):
    left, right = linked_pair
    key = make_link(instructor, left, XI_VISIT, right, XI_MOMENT, activity=exercise, layer="key")
    assert list(Link.objects.visible_to(instructor, exercise)) == [key]
    assert not Link.objects.visible_to(alice, exercise).exists()
    activity_reveal(activity=exercise, user=instructor)
    exercise.refresh_from_db()
    assert list(Link.objects.visible_to(alice, exercise)) == [key]


def test_an_activitys_links_are_not_in_the_public_layer_nor_seen_by_outsiders(
    linked_pair, exercise, alice, staff, make_link
):
    left, right = linked_pair
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise)
    assert not Link.objects.visible_to(alice).exists()
    assert not Link.objects.visible_to(staff, exercise).exists()


def test_a_deleted_link_is_seen_by_nobody_and_audited_in_its_activity(linked_pair, exercise, alice, make_link):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise)
    link_delete(link=link)
    assert not Link.objects.visible_to(alice, exercise).exists()
    assert list(AuditEvent.objects.filter(activity=exercise).values_list("action", flat=True)[:2]) == [
        "unlinked",
        "linked",
    ]


def test_a_link_aimed_at_a_superseded_revision_is_refused(linked_pair, alice):
    left, right = linked_pair
    stale = left.current  # what the form was built from, before a re-import committed
    article_import(source=left.source, data=bytes(stale.raw) + b"\n")
    start = stale.text.index(XI_VISIT)
    with pytest.raises(RevisionSuperseded):
        link_create(
            user=alice,
            first=Passage(stale, start, start + len(XI_VISIT)),
            second=Passage(right.current, exact=XI_MOMENT),
            kind="same-event",
        )
    assert not Link.objects.exists()


def test_a_link_end_follows_its_article_to_a_new_revision(linked_pair, alice, make_link):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    outcome = article_import(source=left.source, data=b"Breaking\n\n" + bytes(left.current.raw))
    assert outcome.status == "revised" and outcome.moved == 1
    left.refresh_from_db()
    moved = link.ends.get(position=0)
    assert moved.revision_id == left.current_id and moved.lost_reason == ""
    assert left.current.text[moved.start : moved.end] == XI_VISIT
    assert link.ends.get(position=1).revision_id == right.current_id  # the other article did not change


def test_an_end_whose_text_is_gone_stays_on_the_old_revision_with_its_reason(linked_pair, alice, make_link):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    old = left.current
    raw = bytes(old.raw).decode("utf-8").replace(XI_VISIT, "An entirely different opening sentence here.")
    outcome = article_import(source=left.source, data=raw.encode())
    assert outcome.orphaned == 1
    lost = LinkEnd.objects.get(link=link, position=0)
    assert lost.revision_id == old.pk and "re-import" in lost.lost_reason
    assert Link.objects.visible_to(alice).get().lost  # kept and flagged, never dropped
