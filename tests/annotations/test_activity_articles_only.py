"""An activity's work lives on its articles only: an import, a re-attached orphan or an edit of the
activity never leaves it on an article nobody in the activity can open."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation, Orphan
from annotations.services.activities import activity_update
from annotations.services.corrections import orphan_reattach
from annotations.services.imports import annotations_import
from tests.annotations.conftest import XI_MOMENT, XI_VISIT


def _row(article, phrase: str, **extra) -> dict:
    start = article.current.text.index(phrase)
    return {
        "id": extra.pop("id", "r1"),
        "article_id": article.pk,
        "revision": article.current.number,
        "start": start,
        "end": start + len(phrase),
        "exact": phrase,
        "tag": "claim",
        "annotator": "ghost",
        **extra,
    }


def test_an_import_into_an_exercise_orphans_an_annotation_of_an_article_outside_it(corpus, exercise, instructor):
    outside = next(a for a in corpus if not exercise.articles.filter(pk=a.pk).exists())
    inside = exercise.articles.first()
    phrase = outside.current.text.split(".")[0][:40]
    rows = [_row(outside, phrase), _row(inside, inside.current.text[:30], id="r2")]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    report = annotations_import(data=data, filename="a.jsonl", activity=exercise, importer=instructor)
    assert report.created == 1
    orphan = Orphan.objects.get(activity=exercise)
    assert f"{outside.source} is not one of the articles of “{exercise.title}”" in orphan.reason
    assert not Annotation.objects.filter(activity=exercise, revision__article=outside).exists()


def test_an_exercise_orphan_is_not_reattached_to_an_article_outside_the_exercise(corpus, exercise, instructor, alice):
    outside = next(a for a in corpus if not exercise.articles.filter(pk=a.pk).exists())
    orphan = Orphan.objects.create(
        origin=Orphan.Origin.IMPORT, activity=exercise, annotator=alice, tag="claim", exact="x", reason="test"
    )
    phrase = outside.current.text[:30]
    with pytest.raises(ValueError, match="is not one of the articles of"):
        orphan_reattach(user=instructor, orphan=orphan, exact=phrase, article=outside, tag="claim")
    assert not Annotation.objects.filter(activity=exercise).exists()


def test_since_the_reveal_a_students_orphan_is_not_re_attached_with_another_tag_or_passage(
    corpus, exercise, instructor, alice
):
    from annotations.services.activities import activity_reveal

    inside = exercise.articles.first()
    orphan = Orphan.objects.create(
        origin=Orphan.Origin.CORRECTION, activity=exercise, annotator=alice, tag="opinion", exact="x", reason="test"
    )
    activity_reveal(activity=exercise, user=instructor)
    with pytest.raises(ValueError, match="was revealed and is locked: dismiss this orphan"):
        orphan_reattach(user=instructor, orphan=orphan, exact=inside.current.text[:30], article=inside, tag="claim")
    assert not Annotation.objects.filter(activity=exercise).exists()


def test_taking_an_annotated_article_out_of_an_exercise_asks_first_and_names_the_work(
    client, exercise, linked_pair, instructor, alice, make_link
):
    first, second = linked_pair
    start = first.current.text.index(XI_VISIT)
    from annotations.services.annotations import annotation_create

    annotation_create(
        user=alice,
        revision=first.current,
        start=start,
        end=start + len(XI_VISIT),
        exact=XI_VISIT,
        tag="claim",
        activity=exercise,
    )
    make_link(alice, first, XI_VISIT, second, XI_MOMENT, activity=exercise)
    client.force_login(instructor)
    url = reverse("annotations:activity_edit", args=[exercise.pk])
    form = client.get(url).content.decode()
    assert "Take out articles that hold work" in form
    post = {
        "title": exercise.title,
        "instructions": "",
        "articles": [second.pk],
        "tags": list(exercise.tags.values_list("pk", flat=True)),
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
        "blind": "on",
        "asks_links": "on",
    }
    refused = client.post(url, post)
    assert refused.status_code == 400
    assert f"{first.source}: 1 annotation and 1 link by 1 person" in refused.content.decode()
    assert exercise.articles.filter(pk=first.pk).exists()
    taken = client.post(url, {**post, "take_out_work": "on"})
    assert taken.status_code == 302 and not exercise.articles.filter(pk=first.pk).exists()
    assert Annotation.objects.filter(activity=exercise, deleted_at__isnull=True).count() == 1  # kept, not shown


def test_an_article_nobody_worked_on_is_taken_out_without_a_question(exercise, linked_pair, instructor):
    first, second = linked_pair
    activity_update(
        activity=exercise,
        user=instructor,
        title=exercise.title,
        instructions="",
        articles=[second],
        tags=list(exercise.tags.all()),
        opens_at=exercise.opens_at,
        closes_at=exercise.closes_at,
        blind=True,
    )
    assert list(exercise.articles.all()) == [second]


def test_nothing_is_imported_into_an_exercise_after_its_reveal(corpus, exercise, instructor):
    from annotations.services.activities import activity_reveal
    from annotations.services.imports import ImportFileError

    activity_reveal(activity=exercise, user=instructor)
    inside = exercise.articles.first()
    data = json.dumps(_row(inside, inside.current.text[:30], layer="key")).encode()
    with pytest.raises(ImportFileError, match="was revealed: its work and its answer key are locked"):
        annotations_import(data=data, filename="k.jsonl", activity=exercise, importer=instructor)
    assert not Annotation.objects.filter(activity=exercise).exists()


def test_taking_a_tag_annotations_carry_out_of_the_set_asks_first_and_names_them(
    client, exercise, linked_pair, instructor, alice, make_annotation
):
    make_annotation(alice, linked_pair[0], XI_VISIT, "claim", activity=exercise)
    client.force_login(instructor)
    url = reverse("annotations:activity_edit", args=[exercise.pk])
    assert "Take out tags that annotations carry" in client.get(url).content.decode()
    post = {
        "title": exercise.title,
        "instructions": "",
        "articles": list(exercise.articles.values_list("pk", flat=True)),
        "tags": list(exercise.tags.exclude(slug="claim").values_list("pk", flat=True)),
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
        "blind": "on",
        "asks_links": "on",
    }
    refused = client.post(url, post)
    assert (
        refused.status_code == 400
        and "These tags are on this activity&#x27;s annotations (Claim: 1 annotation)" in refused.content.decode()
    )
    assert exercise.tags.filter(slug="claim").exists()
    quiet = client.post(url, {**post, "tags": [*post["tags"], exercise.tags.get(slug="claim").pk]})
    assert quiet.status_code == 302  # a set that keeps it: no question
    taken = client.post(url, {**post, "take_out_tags": "on"})
    assert taken.status_code == 302 and not exercise.tags.filter(slug="claim").exists()
    assert Annotation.objects.get(activity=exercise).tag.slug == "claim"  # the annotation keeps it
