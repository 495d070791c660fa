"""The reader on a dense article: bounded marks, and the annotations on one spot listed on demand (?at=)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Tag
from annotations.services.activities import activity_join
from annotations.services.annotations import anchored_fields
from annotations.text.coverage import DETAIL
from tests.factories import make_activity

SENTENCE = "It was his first trip abroad after being re-elected to a third term as President."
TRIP = "first trip abroad"
LISTING = {"HX-Request": "true", "HX-Target": "listing"}


def crowd(article, users, phrase: str, tags=("claim",), *, activity=None, note: str = "") -> list[Annotation]:
    """One annotation on `phrase` by each user with each tag, written at once as an import would."""
    text = article.current.text
    start = text.index(phrase)
    slugs = {t.slug: t for t in Tag.objects.filter(slug__in=tags)}
    return Annotation.objects.bulk_create(
        Annotation(
            revision=article.current,
            annotator=user,
            tag=slugs[tag],
            activity=activity,
            note=note,
            **anchored_fields(text, start, start + len(phrase)),
        )
        for user in users
        for tag in tags
    )


@pytest.fixture
def people(django_user_model):
    return [django_user_model.objects.create_user(f"reader{n}") for n in range(12)]


def spot(article, phrase: str, inside: str = "") -> int:
    text = article.current.text
    return text.index(phrase) + phrase.index(inside)


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="a(\d+)"', html)]


def test_a_dense_passage_draws_a_few_marks_that_count_rather_than_name(client, article, people):
    crowd(article, people, SENTENCE, ("claim", "opinion", "quote"))
    crowd(article, people[:4], TRIP)
    html = client.get(article.get_absolute_url()).content.decode()
    text = html.split('id="article-text"')[1].split("</div>")[0]
    marks = re.findall(r"<mark[^>]*>", text)
    assert 1 <= len(marks) <= 3  # before, on and after the trip, whatever the number of annotations
    assert all("data-ids" not in m and "reader" not in m for m in marks)
    assert 'aria-label="Highlight: 36 to 40 annotations (claim, opinion, quote)"' in text or any(
        "Highlight: 40 annotations" in m for m in marks
    )
    assert 'data-tags="claim opinion quote"' in marks[0]
    assert html.count('class="ann ') == 40 and 'Annotations <span class="count">40</span>' in html


def test_at_lists_only_the_annotations_covering_that_spot(client, article, people):
    whole = crowd(article, people[:5], SENTENCE)
    trip = crowd(article, people[5:8], TRIP, ("quote",))
    url = article.get_absolute_url()
    on_trip = client.get(url, {"at": spot(article, TRIP, "abroad")}).content.decode()
    assert sorted(listed_ids(on_trip)) == sorted(a.pk for a in whole + trip)
    assert "8 annotations cover this spot" in on_trip
    before_trip = client.get(url, {"at": spot(article, SENTENCE, "his")}).content.decode()
    assert sorted(listed_ids(before_trip)) == sorted(a.pk for a in whole)
    elsewhere = client.get(url, {"at": 0}).content.decode()
    assert listed_ids(elsewhere) == [] and "No annotations cover this spot." in elsewhere


def test_the_spot_listing_is_its_own_partial_and_pages_through_a_crowd(client, article, people, django_user_model):
    many = [django_user_model.objects.create_user(f"crowd{n}") for n in range(60)]
    crowd(article, many, TRIP)
    url = article.get_absolute_url()
    at = spot(article, TRIP, "trip")
    html = client.get(url, {"at": at}, headers=LISTING).content.decode()
    assert html.lstrip().startswith('<div id="listing">') and "article-text" not in html
    assert len(listed_ids(html)) == 50 and "60 annotations cover this spot" in html
    more = re.search(r'hx-get="(\?[^"]+)" hx-target="#listing"[^>]*>Show more \(60 in all\)', html).group(1)
    assert f"at={at}" in more
    rest = client.get(url + more.replace("&amp;", "&"), headers=LISTING).content.decode()
    assert len(listed_ids(rest)) == 60 and "Show more" not in rest
    everything = client.get(url, headers=LISTING).content.decode()
    assert "cover this spot" not in everything and len(listed_ids(everything)) == 50


def test_the_spot_listing_keeps_the_tag_filter(client, article, people):
    crowd(article, people[:3], SENTENCE, ("claim", "opinion"))
    html = client.get(article.get_absolute_url(), {"at": spot(article, TRIP), "tag": "opinion"}, headers=LISTING)
    assert "3 annotations cover this spot" in html.content.decode()


def test_a_malformed_spot_lists_everything(client, article, people):
    crowd(article, people[:2], SENTENCE)
    html = client.get(article.get_absolute_url(), {"at": "-1"}).content.decode()
    assert len(listed_ids(html)) == 2 and "cover this spot" not in html


def test_the_spot_listing_takes_as_many_queries_for_three_annotations_as_for_thirty(client, article, people, alice):
    client.force_login(alice)
    url = article.get_absolute_url()
    crowd(article, people[:3], TRIP)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"at": spot(article, TRIP)}, headers=LISTING)
    crowd(article, people[3:], TRIP, ("opinion", "quote"))
    with CaptureQueriesContext(connection) as many:
        assert len(listed_ids(client.get(url, {"at": spot(article, TRIP)}, headers=LISTING).content.decode())) == 21
    assert len(many) == len(few)


def test_a_student_in_a_blind_exercise_gets_only_their_own_annotations_at_a_spot(
    client, corpus, instructor, alice, bob, people
):
    article = corpus[0]
    exercise = make_activity(instructor, [article])
    for student in (alice, bob, *people):
        activity_join(user=student, code=exercise.join_code)
    mine = crowd(article, [alice], TRIP, activity=exercise)
    crowd(article, [bob, *people], SENTENCE, ("claim", "opinion"), activity=exercise)
    client.force_login(alice)
    query = {"activity": exercise.pk, "at": spot(article, TRIP, "abroad")}
    for headers in (LISTING, {}):
        html = client.get(article.get_absolute_url(), query, headers=headers).content.decode()
        assert listed_ids(html) == [mine[0].pk]
        who = re.findall(r"\bbob\b|\breader\d+", html)
        assert not who, html[html.index(who[0]) - 300 : html.index(who[0]) + 100]
    page = client.get(article.get_absolute_url(), {"activity": exercise.pk}).content.decode()
    assert "Highlight: claim by alice" in page and len(re.findall(r"<mark", page)) == 1
    client.force_login(instructor)  # the owner sees the whole class at the same spot
    html = client.get(article.get_absolute_url(), query, headers=LISTING).content.decode()
    assert len(listed_ids(html)) == 1 + 2 * 13


def test_someone_outside_an_exercise_gets_nothing_of_its_spots(client, corpus, instructor, alice, bob):
    article = corpus[0]
    exercise = make_activity(instructor, [article])
    activity_join(user=alice, code=exercise.join_code)
    crowd(article, [alice], TRIP, activity=exercise)
    query = {"activity": exercise.pk, "at": spot(article, TRIP)}
    assert client.get(article.get_absolute_url(), query, headers=LISTING).status_code == 404
    client.force_login(bob)
    assert client.get(article.get_absolute_url(), query, headers=LISTING).status_code == 404


def test_a_hostile_note_listed_at_a_spot_stays_inert(client, article, alice):
    from annotations.services.annotations import annotation_create

    start = article.current.text.index(TRIP)
    annotation_create(
        user=alice,
        revision=article.current,
        start=start,
        end=start + len(TRIP),
        tag="claim",
        note='<a hx-get="/accounts/logout/" hx-trigger="load">x</a><script>alert(1)</script><img src=x onerror=alert(2)>',
    )
    html = client.get(article.get_absolute_url(), {"at": start}, headers=LISTING).content.decode()
    note = re.search(r'<div class="note" hx-disable>(.*?)</div>', html, re.S).group(1)
    assert "<script" not in note and "onerror" not in note


def test_shallow_marks_name_at_most_detail_highlights_in_the_popover_data(client, article, people):
    crowd(article, people[:DETAIL], TRIP)
    html = client.get(article.get_absolute_url()).content.decode()
    data = html.split('id="highlight-data"')[1].split("</script>")[0]
    assert len(re.findall(r'"\d+": \["claim"', data)) == DETAIL
    crowd(article, people[DETAIL : DETAIL + 1], TRIP)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.split('id="highlight-data" type="application/json">')[1].startswith("{}</script>")


def test_after_a_delete_the_workspace_still_lists_spots_and_pages_of_its_own_activity(
    client, corpus, instructor, alice, people
):
    from django.urls import reverse

    article = corpus[0]
    review = make_activity(instructor, [article], kind="review", blind=False)
    for user in (alice, *people):
        activity_join(user=user, code=review.join_code)
    crowd(article, people, SENTENCE)  # the public layer, which the review's sidebar must not mix in
    in_review = crowd(
        article, [alice, *people], SENTENCE, ("claim", "opinion", "quote", "unsupported"), activity=review
    )
    mine = next(a for a in in_review if a.annotator == alice)
    client.force_login(alice)
    html = client.post(reverse("annotations:delete", args=[mine.pk]), headers={"HX-Request": "true"}).content.decode()
    reader_url = re.search(r'data-reader-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    at = spot(article, TRIP)
    listing = client.get(f"{reader_url}&at={at}", headers=LISTING)  # what a click on a highlight asks for
    assert listing.status_code == 200
    assert listed_ids(listing.content.decode()) == sorted(a.pk for a in in_review if a != mine)[:50]
    more = re.search(r'hx-get="(\?[^"]+)" hx-target="#listing"[^>]*>Show more', html).group(1).replace("&amp;", "&")
    page = client.get(article.get_absolute_url() + more, headers=LISTING).content.decode()
    assert listed_ids(page) == sorted(a.pk for a in in_review if a != mine)
