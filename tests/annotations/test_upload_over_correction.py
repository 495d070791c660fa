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


def test_an_orphan_whose_sentence_a_later_revision_brings_back_is_found_again(db, editor, alice):
    from annotations.models import Annotation, Orphan
    from annotations.services.annotations import annotation_create

    article = article_import(source="ferry.txt", data=FILE.encode()).article
    said = "Riders said they were glad."
    start = article.current.text.index(said)
    annotation = annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(said), exact=said, tag="claim"
    )
    article_text_correct(editor=editor, article=article, text=article.current.text.replace(said, ""), base=1)
    orphan = Orphan.objects.get(source_annotation=annotation)
    outcome = article_import(source="ferry.txt", data=FILE.replace("Monday", "Tuesday").encode(), over_correction=True)
    assert outcome.moved == 1
    orphan.refresh_from_db()
    annotation = Annotation.objects.get(pk=annotation.pk)
    assert orphan.resolution == "reattached" and orphan.resolved_at is not None
    assert (
        annotation.revision_id == outcome.revision.pk
        and outcome.revision.text[annotation.start : annotation.end] == said
    )
