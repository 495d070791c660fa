"""Undoing a delete after the text changed: the annotation comes back on the current text, as an
orphan when its passage is gone, and never twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation, Orphan
from annotations.services.annotations import annotation_create
from annotations.services.deletions import annotation_delete
from articles.services.revisions import article_import

PARAGRAPHS = [
    "The harbour board met on Tuesday and voted to rebuild the old pier before winter.",
    "Fishermen said the vote came two years too late for the boats that moved away.",
    "The work will cost four million and take eight months, the board's engineer said.",
]


@pytest.fixture
def pier(db):
    return article_import(source="pier.txt", data="\n\n".join(["Pier to be rebuilt", *PARAGRAPHS]).encode()).article


def _annotate(user, article, phrase, tag="claim"):
    text = article.current.text
    start = text.index(phrase)
    return annotation_create(
        user=user, revision=article.current, start=start, end=start + len(phrase), exact=phrase, tag=tag
    )


def _reupload(article, paragraphs):
    article_import(source="pier.txt", data="\n\n".join(["Pier to be rebuilt", *paragraphs]).encode())
    article.refresh_from_db()


def test_undo_after_a_reupload_brings_the_annotation_back_on_the_current_text(client, pier, alice):
    phrase = "voted to rebuild the old pier"
    annotation = _annotate(alice, pier, phrase)
    annotation_delete(annotation=annotation)
    _reupload(pier, ["A new first paragraph came with the changed file, long enough to move offsets.", *PARAGRAPHS])
    client.force_login(alice)
    response = client.post(reverse("annotations:restore", args=[annotation.pk]))
    assert response.status_code == 302 and "revision=" not in response["Location"]
    annotation.refresh_from_db()
    assert annotation.deleted_at is None and annotation.revision_id == pier.current_id
    assert pier.current.text[annotation.start : annotation.end] == phrase
    listed = client.get(reverse("annotations:api_article_annotations", args=[pier.pk])).json()
    assert [item["target"]["selector"][0]["exact"] for item in listed["first"]["items"]] == [phrase]
    edited = client.patch(
        reverse("annotations:api_annotation", args=[annotation.pk]),
        {"tag": "opinion", "version": annotation.version},
        content_type="application/json",
    )
    assert edited.status_code == 200


def test_undo_of_an_annotation_whose_passage_is_gone_makes_it_an_orphan_to_reattach(client, pier, alice):
    annotation = _annotate(alice, pier, "came two years too late")
    annotation_delete(annotation=annotation)
    _reupload(pier, [PARAGRAPHS[0], PARAGRAPHS[2]])
    client.force_login(alice)
    client.post(reverse("annotations:restore", args=[annotation.pk]))
    annotation.refresh_from_db()
    assert annotation.deleted_at is None
    orphan = Orphan.objects.get(source_annotation=annotation)
    assert "when its delete was undone" in orphan.reason and orphan.exact == "came two years too late"


def test_undo_beside_the_same_passage_tagged_again_since_is_refused_and_says_why(client, pier, alice):
    phrase = "voted to rebuild the old pier"
    first = _annotate(alice, pier, phrase, "quote")
    annotation_delete(annotation=first)
    _annotate(alice, pier, phrase, "quote")
    client.force_login(alice)
    response = client.post(reverse("annotations:restore", args=[first.pk]), follow=True)
    assert "tagged this passage as quote again since" in response.content.decode()
    assert Annotation.objects.alive().filter(annotator=alice).count() == 1
    htmx = client.post(reverse("annotations:restore", args=[first.pk]), headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and htmx["HX-Redirect"].endswith(f"#a{first.pk}")


def test_a_second_undo_of_an_annotation_already_back_changes_nothing_and_says_nothing_wrong(client, pier, alice):
    annotation = _annotate(alice, pier, "voted to rebuild the old pier")
    annotation_delete(annotation=annotation)
    client.force_login(alice)
    url = reverse("annotations:restore", args=[annotation.pk])
    client.post(url)
    again = client.post(url, follow=True).content.decode()  # a double click, or the other tab
    assert "again since" not in again
    assert Annotation.objects.alive().filter(annotator=alice).count() == 1
