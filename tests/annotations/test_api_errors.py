"""Malformed requests get a 400 with a JSON error naming the problem, never a 500."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation, ApiToken

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."


def _post(client, article, body: str):
    url = reverse("annotations:api_article_annotations", args=[article.pk])
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 60000,
        '{"start": ' + "9" * 5000 + ', "end": 10, "exact": "x", "tag": "claim"}',
        '{"start": 0, "end": 10, "exact": "x", "tag": "claim", "note": "\\ud800"}',
        '{"start": 0, "end": 10, "exact": "x", "tag": "claim", "note": "ok \\udfff there"}',
        '{"type": "Annotation", "body": {"purpose": "tagging", "value": "claim"}, "target": {"selector": '
        '{"type": "TextQuoteSelector", "exact": "Chinese", "prefix": 12, "suffix": []}}}',
        '{"start": NaN, "end": 10, "exact": "x", "tag": "claim"}',
        '{"start": 0, "end": 1e400, "exact": "x", "tag": "claim"}',
    ],
)
def test_malformed_annotation_bodies_get_a_400_with_a_json_error(client, alice, article, body):
    client.force_login(alice)
    response = _post(client, article, body)
    assert response.status_code == 400, response.content[:300]
    assert "error" in response.json()
    assert not Annotation.objects.exists()


def test_a_note_with_a_lone_surrogate_is_refused_and_the_valid_rest_is_kept_out(client, alice, article):
    client.force_login(alice)
    start = article.current.text.index(PHRASE)
    body = json.dumps({"start": start, "end": start + len(PHRASE), "exact": PHRASE, "tag": "claim", "note": "\ud800"})
    response = _post(client, article, body)
    assert response.status_code == 400 and response.json()["field"] == "note"


def test_an_if_match_of_five_thousand_digits_is_a_conflict_not_a_crash(client, alice, article, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.patch(
        reverse("annotations:api_annotation", args=[annotation.pk]),
        json.dumps({"note": "x"}),
        content_type="application/json",
        headers={"If-Match": '"' + "9" * 5000 + '"'},
    )
    assert response.status_code in (400, 409, 412) and "error" in response.json()


def test_the_reader_ignores_a_malformed_undo_or_limit(client, alice, article):
    client.force_login(alice)
    for query in ("?undo=abc", "?undo=" + "9" * 5000, "?limit=" + "9" * 5000, "?limit=-3", "?layer=nonsense"):
        assert client.get(reverse("annotations:reader", args=[article.pk]) + query).status_code == 200


def test_revoking_a_token_by_a_non_number_is_a_404_not_a_crash(client, alice):
    client.force_login(alice)
    assert client.post(reverse("tokens"), {"revoke": "abc"}).status_code == 404
    assert client.post(reverse("tokens"), {"revoke": "9" * 5000}).status_code == 404
    assert not ApiToken.objects.exists()


def test_a_nul_character_in_a_note_is_a_400_naming_the_note(client, alice, article):
    client.force_login(alice)
    start = article.current.text.index(PHRASE)
    body = json.dumps({"start": start, "end": start + len(PHRASE), "exact": PHRASE, "tag": "claim", "note": "a\x00b"})
    response = _post(client, article, body)
    assert response.status_code == 400 and response.json()["field"] == "note"
    assert not Annotation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_tag_another_worker_deleted_is_refused_with_a_400_not_a_crash(client, corpus, alice):
    from django.db import connection

    from annotations.models import Tag
    from annotations.services.annotations import tag_for

    article = corpus[0]
    spare = Tag.objects.create(slug="spare", name="Spare")
    tag_for("spare")  # this worker's tag cache now holds it
    with connection.cursor() as cursor:  # another worker deletes it: no signal reaches this one
        cursor.execute(f"DELETE FROM {Tag._meta.db_table} WHERE id = %s", [spare.pk])
    client.force_login(alice)
    body = json.dumps({"start": 0, "end": 7, "exact": article.current.text[:7], "tag": "spare"})
    response = _post(client, article, body)
    assert response.status_code == 400
    assert response.json()["field"] == "tag"
    assert not Annotation.objects.exists()


def test_an_article_deleted_while_annotating_it_gets_a_404_not_a_crash(client, corpus, alice, monkeypatch):
    from annotations.services import annotations as service
    from articles.models import Article

    article = corpus[0]
    real = service._current_revision_id

    def deleted_meanwhile(article_id: int):  # another request deletes the article after the access check
        Article.objects.filter(pk=article_id).delete()
        return real(article_id)

    monkeypatch.setattr(service, "_current_revision_id", deleted_meanwhile)
    client.force_login(alice)
    body = json.dumps({"start": 0, "end": 7, "exact": article.current.text[:7], "tag": "claim"})
    response = _post(client, article, body)
    assert response.status_code == 404 and "error" in response.json()
    assert not Annotation.objects.exists()
