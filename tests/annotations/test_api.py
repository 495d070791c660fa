from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from annotations.models import Annotation

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."


def api_url(article) -> str:
    return f"/api/articles/{article.pk}/annotations"


def post(client, article, payload, **extra):
    return client.post(api_url(article), json.dumps(payload), content_type="application/json", **extra)


def span(article, phrase=PHRASE) -> dict:
    start = article.current.text.index(phrase)
    return {"start": start, "end": start + len(phrase), "exact": phrase}


def test_signed_in_user_creates_an_annotation_and_gets_w3c_json_ld(client, article, alice):
    client.force_login(alice)
    response = post(client, article, {**span(article), "tag": "opinion", "note": "<i>loaded</i>"})
    assert response.status_code == 201
    doc = response.json()
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "Annotation"
    assert doc["creator"]["nickname"] == "alice"
    assert {"type": "TextualBody", "purpose": "tagging", "value": "opinion"} in doc["body"]
    quote, position = doc["target"]["selector"]
    assert quote["exact"] == PHRASE and len(quote["suffix"]) == 32
    assert position == {"type": "TextPositionSelector", **{k: span(article)[k] for k in ("start", "end")}}
    assert response["Location"] == doc["id"]
    stored = Annotation.objects.get()
    assert (stored.tag.slug, stored.note, stored.version) == ("opinion", "<i>loaded</i>", 1)


def test_w3c_form_is_accepted_on_create(client, article, alice):
    client.force_login(alice)
    s = span(article)
    payload = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
        "target": {"selector": [{"type": "TextPositionSelector", "start": s["start"], "end": s["end"]}]},
    }
    response = post(client, article, payload)
    assert response.status_code == 201
    assert Annotation.objects.get().exact == PHRASE


def test_quote_only_w3c_target_is_anchored_by_its_text(client, article, alice):
    client.force_login(alice)
    payload = {
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "quote"},
        "target": {
            "selector": {"type": "TextQuoteSelector", "exact": "land-based, US-armed", "prefix": "a “", "suffix": ""}
        },
    }
    response = post(client, article, payload)
    assert response.status_code == 201
    annotation = Annotation.objects.get()
    assert article.current.text[annotation.start : annotation.end] == "land-based, US-armed"


def test_anonymous_cannot_create(client, article):
    response = post(client, article, {**span(article), "tag": "claim"})
    assert response.status_code == 401
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": -1}, "start"),
        ({"end": 10**7}, "end"),
        ({"start": "3"}, "start"),
        ({"exact": "something else"}, "exact"),
        ({"tag": "rumour"}, "tag"),
        ({"tag": None}, "tag"),
        ({"note": "x" * 5001}, "note"),
        ({"note": 12}, "note"),
    ],
)
def test_bad_fields_get_400_naming_the_field(client, article, alice, change, field):
    client.force_login(alice)
    response = post(client, article, {**span(article), "tag": "claim", **change})
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"].startswith(field)
    assert not Annotation.objects.exists()


def test_start_must_be_before_end(client, article, alice):
    client.force_login(alice)
    s = span(article)
    response = post(client, article, {"start": s["end"], "end": s["start"], "tag": "claim"})
    assert response.status_code == 400
    assert "greater than start" in response.json()["error"]


def test_spans_over_the_length_limit_are_refused(client, article, alice):
    client.force_login(alice)
    response = post(client, article, {"start": 0, "end": 6000, "tag": "claim"})
    assert response.status_code == 400
    assert "longer than" in response.json()["error"]


def test_invalid_json_gets_400(client, article, alice):
    client.force_login(alice)
    response = client.post(api_url(article), "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_note_is_sanitized_before_it_is_stored(client, article, alice):
    client.force_login(alice)
    note = '<b>ok</b><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:evil()">x</a>'
    post(client, article, {**span(article), "tag": "claim", "note": note})
    stored = Annotation.objects.get().note
    assert "<script" not in stored and "onerror" not in stored and "javascript:" not in stored
    assert "<b>ok</b>" in stored


def test_list_returns_every_annotation_in_document_order(client, article, alice, bob, make_annotation):
    make_annotation(bob, article, "first trip abroad", "quote")
    make_annotation(alice, article, PHRASE, "opinion")
    response = client.get(api_url(article))
    assert response.status_code == 200
    doc = response.json()
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 2
    assert [i["target"]["selector"][0]["exact"] for i in doc["first"]["items"]] == [PHRASE, "first trip abroad"]


def test_list_filters_by_tag_and_by_mine(client, article, alice, bob, make_annotation):
    make_annotation(bob, article, "first trip abroad", "quote")
    make_annotation(alice, article, PHRASE, "opinion")
    assert client.get(api_url(article) + "?tag=quote").json()["total"] == 1
    client.force_login(alice)
    items = client.get(api_url(article) + "?mine=1").json()["first"]["items"]
    assert [i["creator"]["nickname"] for i in items] == ["alice"]


def test_get_one_annotation(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    response = client.get(f"/api/annotations/{annotation.pk}")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert client.get("/api/annotations/999999").status_code == 404


def test_owner_patches_tag_and_note_with_the_current_version(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.patch(
        f"/api/annotations/{annotation.pk}",
        json.dumps({"tag": "opinion", "note": "why", "version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["schema:version"] == 2
    annotation.refresh_from_db()
    assert (annotation.tag.slug, annotation.note, annotation.version) == ("opinion", "why", 2)


def test_stale_version_gets_409_with_the_current_state_and_changes_nothing(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = f"/api/annotations/{annotation.pk}"
    client.patch(url, json.dumps({"note": "first edit", "version": 1}), content_type="application/json")
    response = client.patch(url, json.dumps({"note": "stale edit", "version": 1}), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["current"]["schema:version"] == 2
    annotation.refresh_from_db()
    assert annotation.note == "first edit"


def test_patch_without_version_is_refused(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.patch(
        f"/api/annotations/{annotation.pk}", json.dumps({"note": "x"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "version"


def test_if_match_header_carries_the_version(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.patch(
        f"/api/annotations/{annotation.pk}",
        json.dumps({"note": "x"}),
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200


def test_another_users_annotation_cannot_be_changed_or_deleted(client, article, alice, bob, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(bob)
    url = f"/api/annotations/{annotation.pk}"
    assert (
        client.patch(url, json.dumps({"note": "mine now", "version": 1}), content_type="application/json").status_code
        == 403
    )
    assert client.delete(url).status_code == 403
    annotation.refresh_from_db()
    assert annotation.note == "" and annotation.deleted_at is None


def test_owner_deletes_and_the_annotation_disappears_from_the_list(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    assert client.delete(f"/api/annotations/{annotation.pk}").status_code == 204
    assert client.get(api_url(article)).json()["total"] == 0
    assert client.get(f"/api/annotations/{annotation.pk}").status_code == 404


def test_unsupported_methods_get_405(client, article, alice):
    client.force_login(alice)
    assert client.put(api_url(article)).status_code == 405


def test_session_writes_need_the_csrf_token(article, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post(client, article, {**span(article), "tag": "claim"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    client.get(article.get_absolute_url())
    token = client.cookies["csrftoken"].value
    assert post(client, article, {**span(article), "tag": "claim"}, headers={"X-CSRFToken": token}).status_code == 201


def test_scripts_use_a_token_from_issue_token(article, alice, capsys):
    call_command("issue_token", "alice")
    token = capsys.readouterr().out.strip()
    client = Client(enforce_csrf_checks=True)
    response = post(client, article, {**span(article), "tag": "claim"}, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 201
    assert Annotation.objects.get().annotator == alice


def test_a_wrong_token_gets_401(client, article, alice):
    response = post(client, article, {**span(article), "tag": "claim"}, headers={"Authorization": "Token nope"})
    assert response.status_code == 401


def test_tokens_are_stored_hashed(article, alice, capsys):
    from annotations.models import ApiToken

    call_command("issue_token", "alice")
    token = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().digest != token
    assert not ApiToken.objects.filter(digest__contains=token).exists()


def test_offsets_count_code_points_not_utf16_units(client, alice, db):
    from articles.services.revisions import article_import

    text = "Emoji test headline for offsets\n\nThe 😀 grin and 漢字 and e\u0301 and “quotes” all count as written.\n"
    article = article_import(source="emoji.txt", data=text.encode()).article
    client.force_login(alice)
    body = article.current.text
    start = body.index("grin")
    response = post(client, article, {"start": start, "end": start + 4, "exact": "grin", "tag": "claim"})
    assert response.status_code == 201
    assert body.index("😀") == 4  # one code point, though two UTF-16 units


def test_a_site_served_under_a_prefix_gives_addresses_under_it(client, article, alice, staff):
    from django.urls import set_script_prefix

    client.force_login(alice)
    editor = Client()
    editor.force_login(staff)
    set_script_prefix("/sub/")  # what the WSGI handler sets from SCRIPT_NAME; the test client does not
    try:
        created = post(client, article, {**span(article), "tag": "claim"}, SCRIPT_NAME="/sub").json()
        listed = client.get(api_url(article), SCRIPT_NAME="/sub").json()["first"]["items"][0]
        exported = editor.get("/exports/?format=w3c", SCRIPT_NAME="/sub")
        exported = json.loads(b"".join(exported.streaming_content) if exported.streaming else exported.content)
    finally:
        set_script_prefix("/")
    for doc in (created, listed, exported["first"]["items"][0]):
        assert doc["id"].startswith("http://testserver/sub/api/annotations/"), doc["id"]
        source = doc["target"]["source"]
        assert source.startswith(f"http://testserver/sub/articles/{article.pk}/revisions/"), source
        assert doc["creator"]["id"] == "http://testserver/sub/users/alice"
    path = created["target"]["source"].removeprefix("http://testserver/sub")
    text = client.get(path)  # the source is the revision's text, at that address under the prefix
    assert text.status_code == 200 and PHRASE in text.content.decode()


def test_if_match_guards_a_delete_and_takes_a_star_or_a_list(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = f"/api/annotations/{annotation.pk}"

    def patch(if_match):
        return client.patch(
            url, json.dumps({"note": "x"}), content_type="application/json", headers={"If-Match": if_match}
        )

    assert patch("*").status_code == 200  # any version: now 2
    assert patch('"9", "2"').status_code == 200  # the current one is listed: now 3
    assert client.delete(url, headers={"If-Match": '"1"'}).status_code == 412  # stale: not deleted
    assert Annotation.objects.alive().filter(pk=annotation.pk).exists()
    garbage = client.delete(url, headers={"If-Match": "not-a-tag"})
    assert garbage.status_code == 400 and garbage.json()["field"] == "If-Match"
    assert client.delete(url, headers={"If-Match": '"3"'}).status_code == 204


def test_a_target_source_naming_another_of_our_texts_is_refused(client, corpus, alice):
    article, other = corpus[0], corpus[1]
    client.force_login(alice)

    def create(source):
        target = {"source": source, "selector": {"type": "TextQuoteSelector", "exact": PHRASE}}
        return post(
            client, article, {"type": "Annotation", "body": {"purpose": "tagging", "value": "claim"}, "target": target}
        )

    wrong = create(f"http://testserver/articles/{other.pk}/revisions/1.txt")
    assert wrong.status_code == 400 and wrong.json()["field"] == "target.source"
    old = create(f"http://testserver/articles/{article.pk}/revisions/99.txt")
    assert old.status_code == 400 and "current revision" in old.json()["error"]
    assert not Annotation.objects.exists()
    assert create("https://news.example/articles/5/xi-visit").status_code == 201  # a page elsewhere: the client's
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"type": "Annotation", "body": {"purpose": "tagging", "value": "claim"}}, "target", "is required"),
        (
            {
                "type": "Annotation",
                "body": [{"purpose": "tagging", "value": "claim"}, {"purpose": "tagging", "value": "quote"}],
                "target": {"selector": {"type": "TextQuoteSelector", "exact": PHRASE}},
            },
            "body",
            "two tagging bodies",
        ),
    ],
)
def test_a_w3c_body_the_api_cannot_take_whole_is_a_400_naming_what(client, article, alice, payload, field, words):
    client.force_login(alice)
    response = post(client, article, payload)
    assert response.status_code == 400 and response.json()["field"] == field and words in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_body_without_purpose_under_a_commenting_motivation_is_the_note(client, article, alice):
    client.force_login(alice)
    payload = {
        "type": "Annotation",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "just a comment"}, {"purpose": "tagging", "value": "opinion"}],
        "target": {"selector": {"type": "TextQuoteSelector", "exact": PHRASE}},
    }
    assert post(client, article, payload).status_code == 201
    stored = Annotation.objects.get()
    assert (stored.tag.slug, stored.note) == ("opinion", "just a comment")
