"""A changed file uploaded over a text an editor corrected by hand: refused, saying why, unless asked."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.services.corrections import article_text_correct
from articles.services.revisions import article_import

FILE = "Ferry returns\n\nThe council voted to bring back the ferry on Monday after two years.\n\nRiders said they were glad."


def test_a_changed_file_does_not_silently_undo_a_hand_correction(client, db, staff, editor):
    article = article_import(source="ferry.txt", data=FILE.encode()).article
    corrected = article.current.text.replace("two years", "three years")
    article_text_correct(editor=editor, article=article, text=corrected, base=1)
    changed = FILE.replace("glad.", "glad, and relieved.").encode()
    client.force_login(staff)
    url = reverse("articles:upload")
    refused = client.post(url, {"files": [SimpleUploadedFile("ferry.txt", changed)]})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "an editor corrected this article" in html and "by hand (revision 2)" in html
    article.refresh_from_db()
    assert article.current.number == 2 and "three years" in article.current.text
    unchanged = client.post(url, {"files": [SimpleUploadedFile("ferry.txt", FILE.encode())]})
    assert unchanged.status_code == 200  # the file the correction started from changes nothing
    taken = client.post(url, {"files": [SimpleUploadedFile("ferry.txt", changed)], "over_correction": "on"})
    assert taken.status_code == 200 and "revised" in taken.content.decode()
    article.refresh_from_db()
    assert article.current.number == 3 and "relieved" in article.current.text
    assert article.revisions.get(number=2).text == corrected  # the correction stays among the revisions
