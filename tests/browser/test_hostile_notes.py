"""A hostile note never acts in a reader's browser: sanitized on every path, inert where shown."""

from __future__ import annotations

import json

import pytest
from django.db import connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '<div hx-post="/accounts/tokens/" hx-trigger="load" hx-vals=\'{"label": "stolen"}\'>Interesting point</div>'


@pytest.fixture
def instructor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ingrid", password="ingrid-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def _watch_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(f"{request.method} {request.url}"))
    return seen


def _read_as_bob(page, live_server, article, sign_in) -> list[str]:
    sign_in(page, "bob", "bob-pass-123")
    seen = _watch_requests(page)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_selector(".ann-list .note")
    page.wait_for_timeout(500)  # htmx processes `load` triggers right after the swap
    return seen


def test_imported_hostile_note_reattached_fires_no_request_in_another_readers_browser(
    live_server, corpus, page, instructor, bob, sign_in
):
    from annotations.models import ApiToken

    article = corpus[0]
    item = {
        "type": "Annotation",
        "body": [{"purpose": "tagging", "value": "claim"}, {"purpose": "commenting", "value": PAYLOAD}],
        "target": {"schema:name": article.source, "selector": {"type": "TextQuoteSelector", "exact": "no such words"}},
    }
    sign_in(page, "ingrid", "ingrid-pass-123")
    page.goto(live_server.url + "/imports/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "hostile.jsonld",
                "mimeType": "application/json",
                "buffer": json.dumps({"type": "AnnotationPage", "items": [item]}).encode(),
            }
        ],
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=1 kept as orphans")
    page.goto(live_server.url + "/orphans/")
    page.get_by_label("Passage").fill(article.current.text[:40])
    page.get_by_role("button", name="Re-attach").click()
    page.wait_for_load_state()
    page.context.clear_cookies()

    seen = _read_as_bob(page, live_server, article, sign_in)
    assert "Interesting point" in page.locator(".ann-list .note").inner_text()
    assert not [r for r in seen if "/accounts/tokens/" in r or r.startswith("POST")]
    assert ApiToken.objects.count() == 0


def test_html_that_slipped_past_the_sanitizer_cannot_act_in_the_reader(
    live_server, article, page, alice, bob, sign_in, make_annotation
):
    from annotations.models import ApiToken

    annotation = make_annotation(alice, article, "Chinese President Xi Jinping")
    with connection.cursor() as cursor:  # as if stored raw by some path the sanitizer missed
        cursor.execute("UPDATE annotations_annotation SET note = %s WHERE id = %s", [PAYLOAD, annotation.pk])
    seen = _read_as_bob(page, live_server, article, sign_in)
    assert page.locator(".ann-list .note [hx-post]").count() == 1  # the markup is there, and inert
    assert not [r for r in seen if "/accounts/tokens/" in r or r.startswith("POST")]
    assert ApiToken.objects.count() == 0


def test_a_reply_that_slipped_past_the_sanitizer_stays_inert_when_htmx_loads_the_thread(
    live_server, article, page, alice, bob, sign_in, make_annotation
):
    from annotations.models import ApiToken, Reply

    annotation = make_annotation(alice, article, "Chinese President Xi Jinping")
    reply = Reply.objects.create(annotation=annotation, author=alice, body="placeholder")
    with connection.cursor() as cursor:  # as if stored raw by some path the sanitizer missed
        cursor.execute("UPDATE annotations_reply SET body = %s WHERE id = %s", [PAYLOAD, reply.pk])
    sign_in(page, "bob", "bob-pass-123")
    seen = _watch_requests(page)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="1 reply").click()  # htmx swaps the thread into the sidebar
    page.wait_for_selector(".reply-body")
    page.wait_for_timeout(500)
    assert page.locator(".reply-body [hx-post]").count() == 1
    assert not [r for r in seen if "/accounts/tokens/" in r or r.startswith("POST")]
    assert ApiToken.objects.count() == 0
