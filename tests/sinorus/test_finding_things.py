"""What a user notices on the way: navigation, refusals, exports that open cleanly, honest reports."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_head_on_the_front_page_is_answered(client):
    assert client.head("/").status_code == 200


def test_a_student_opening_upload_gets_a_403_page_not_the_admin_sign_in(client, alice):
    client.force_login(alice)
    response = client.get(reverse("articles:upload"))
    assert response.status_code == 403
    assert "/admin/login/" not in response.get("Location", "")


def test_navigation_reaches_orphans_tokens_and_exercises(client, editor, alice):
    client.force_login(editor)
    nav = client.get("/").content.decode()
    for url in (reverse("annotations:orphans"), reverse("tokens"), reverse("annotations:activities")):
        assert f'href="{url}"' in nav
    client.force_login(alice)
    nav = client.get("/").content.decode()
    assert f'href="{reverse("tokens")}"' in nav and f'href="{reverse("annotations:orphans")}"' not in nav


def test_the_upload_result_links_to_the_new_article(client, staff):
    client.force_login(staff)
    body = b"A headline for the test\n\nThe first paragraph says something complete and ends here.\n"
    response = client.post(reverse("articles:upload"), {"files": SimpleUploadedFile("fresh.txt", body)})
    from articles.models import Article

    article = Article.objects.get(source="fresh.txt")
    assert f'href="{article.get_absolute_url()}"' in response.content.decode()


def test_the_export_form_names_formats_in_words_and_explains_the_article_choice(client, editor):
    client.force_login(editor)
    page = client.get(reverse("annotations:export")).content.decode()
    assert "W3C Web Annotation (JSON-LD)" in page
    assert "Leave all unselected to export every article" in page


def test_the_csv_export_starts_with_a_byte_order_mark(client, editor, article, make_annotation, alice):
    make_annotation(alice, article, "first trip abroad")
    client.force_login(editor)
    response = client.get(reverse("annotations:export"), {"format": "csv"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbfid,") or body.startswith("\ufeff".encode())


def test_the_api_gives_created_with_a_timezone(client, article, make_annotation, alice):
    make_annotation(alice, article, "first trip abroad")
    item = client.get(f"/api/articles/{article.pk}/annotations").json()["first"]["items"][0]
    assert item["created"].endswith("+00:00") and item["modified"].endswith("+00:00")
    one = client.get(item["id"].removeprefix("http://testserver")).json()
    assert one["created"].endswith("+00:00")


def test_a_403_logs_one_line_without_a_traceback(client, alice, caplog):
    from sinorus.logfilters import ForbiddenWithoutTraceback

    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("articles:upload"))
    record = next(r for r in caplog.records if getattr(r, "status_code", None) == 403)
    assert ForbiddenWithoutTraceback().filter(record) and record.exc_info is None


def test_the_import_report_says_no_for_an_article_that_is_not_truncated(client, article):
    assert not article.current.truncated
    page = client.get(reverse("articles:report", args=[article.pk])).content.decode()
    assert "<dt>Truncated</dt><dd>No</dd>" in page
