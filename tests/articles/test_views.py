from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article

GOOD = b"Upload headline that is long enough\n\nA body sentence uploaded through the web form. Another one.\n"

pytestmark = pytest.mark.usefixtures("without_seeds")


def test_article_list_shows_titles_words_and_truncated_badge(client, corpus):
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xi’s visit to Moscow: a key moment in the fight against US hegemony" in html
    assert "<td>Dmitry Trenin</td>" in html
    assert html.count(">truncated<") == 1


def test_article_page_shows_clean_paragraphs_with_anchors(client, corpus):
    article = Article.objects.get(source__startswith="003")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="p0"' in html
    assert "Chinese President Xi Jinping’s recent visit to Moscow" in html
    assert "YORUMLAR" not in html
    assert reverse("articles:report", args=[article.pk]) in html


def test_unknown_article_is_a_404_page(client, db):
    assert client.get(reverse("articles:detail", args=[999])).status_code == 404


def test_report_lists_dropped_lines_with_reasons(client, corpus):
    article = Article.objects.get(source__startswith="000")
    html = client.get(reverse("articles:report", args=[article.pk])).content.decode()
    assert "Leave a Reply" in html
    assert "teaser link to another article" in html
    assert "Restore" not in html  # only staff restore


def test_staff_can_restore_a_dropped_line(client, corpus, staff):
    article = Article.objects.get(source__startswith="000")
    number = next(r["number"] for r in article.current.removed if r["line"] == "From English")
    client.force_login(staff)
    response = client.post(reverse("articles:restore", args=[article.pk]), {"number": number})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current.number == 2
    assert "From English" in article.current.text


def test_restore_needs_staff(client, corpus, alice):
    article = Article.objects.get(source__startswith="000")
    url = reverse("articles:restore", args=[article.pk])
    assert client.post(url, {"number": 1}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"number": 1}).status_code == 403
    article.refresh_from_db()
    assert article.current.number == 1


def test_restore_rejects_get_and_lines_that_were_not_dropped(client, corpus, staff):
    article = Article.objects.get(source__startswith="001")
    client.force_login(staff)
    url = reverse("articles:restore", args=[article.pk])
    opened = client.get(url)  # a typed or bookmarked address: a page that says why, not a blank error
    assert opened.status_code == 405 and opened["Allow"] == "POST"
    assert "only takes what a button on a page sends" in opened.content.decode()
    response = client.post(url, {"number": 3}, follow=True)
    assert "was not removed" in response.content.decode()
    assert article.revisions.count() == 1


def test_anonymous_and_non_curators_cannot_upload(client, alice):
    url = reverse("articles:upload")
    assert client.get(url)["Location"].startswith(reverse("login"))  # anonymous: sign in first
    client.force_login(alice)
    response = client.post(url, {"files": [SimpleUploadedFile("a.txt", GOOD)]})
    assert response.status_code == 403  # a signed-in student: a 403 page, not the admin's login
    assert not Article.objects.exists()


def test_staff_upload_imports_good_files_and_reports_bad_ones(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("articles:upload"),
        {"files": [SimpleUploadedFile("a.txt", GOOD), SimpleUploadedFile("empty.txt", b"")]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "empty.txt" in html and "is empty" in html
    assert list(Article.objects.values_list("source", flat=True)) == ["a.txt"]


def test_upload_refuses_other_file_types_and_imports_the_rest_of_the_batch(client, staff):
    client.force_login(staff)
    good = SimpleUploadedFile("good.txt", GOOD)
    response = client.post(reverse("articles:upload"), {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4"), good]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "a.pdf" in html and "only .txt and .html" in html
    assert list(Article.objects.values_list("source", flat=True)) == ["good.txt"]


def test_signup_creates_an_account_and_signs_in(client, db, django_user_model):
    response = client.post(
        reverse("signup"), {"username": "carol", "password1": "a-long-pass-9876", "password2": "a-long-pass-9876"}
    )
    assert response.status_code == 302
    assert django_user_model.objects.filter(username="carol").exists()
    assert "_auth_user_id" in client.session


def test_report_groups_dropped_lines_by_reason_and_shows_the_kept_block(client, db):
    from articles.services.revisions import article_import

    data = (Path(__file__).resolve().parent / "data" / "cms_share_buttons.txt").read_bytes()
    revision = article_import(source="ferry.txt", data=data).revision
    html = client.get(reverse("articles:report", args=[revision.article_id])).content.decode()
    first, last = revision.kept_block()
    assert f"Lines {first}–{last} of the file: 5 paragraphs" in html
    navigation = next(g for g in revision.removed_by_reason() if g["reason"] == "site navigation or interface text")
    assert {"WhatsApp", "Share this article", "Advertisement"} <= {r["line"] for r in navigation["lines"]}
    assert html.count("<h3>site navigation or interface text (") == 1
    assert f"<h3>site navigation or interface text ({len(navigation['lines'])})</h3>" in html
    assert html.index("<h3>site navigation") < html.index("WhatsApp")
