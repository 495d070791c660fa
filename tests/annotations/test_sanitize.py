"""Every stored piece of user HTML passes the one sanitizer, whichever path writes it."""

from __future__ import annotations

import importlib
import json

from django.apps import apps as global_apps
from django.db import connection

from annotations.models import Annotation, Orphan, Reply
from annotations.services.corrections import article_text_correct, orphan_reattach
from annotations.services.imports import annotations_import
from annotations.text.sanitize import sanitize_note

HOSTILE = (
    '<div hx-post="/accounts/tokens/" hx-trigger="load" hx-vals=\'{"label": "x"}\' data-x="1" '
    'onclick="alert(1)" style="color:red"><b>bold</b> text<script>alert(2)</script></div>'
)


def _assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in ("hx-", "data-", "onclick", "style", "<script", "<div"):
        assert needle not in lowered, f"{needle!r} survived in {html!r}"


def _orphan_file(source: str, exact: str, note: str) -> bytes:
    item = {
        "type": "Annotation",
        "body": [{"purpose": "tagging", "value": "claim"}, {"purpose": "commenting", "value": note}],
        "target": {"schema:name": source, "selector": {"type": "TextQuoteSelector", "exact": exact}},
    }
    return json.dumps({"type": "AnnotationPage", "items": [item]}).encode()


def test_sanitizer_keeps_formatting_and_drops_htmx_data_handlers_and_styles():
    cleaned = sanitize_note(HOSTILE + '<a href="https://example.org" hx-get="/x" data-y="2">link</a>')
    _assert_harmless(cleaned)
    assert "<b>bold</b>" in cleaned and '<a href="https://example.org">link</a>' in cleaned


def test_an_imported_note_that_cannot_be_anchored_is_stored_sanitized(corpus, editor):
    report = annotations_import(
        data=_orphan_file(corpus[0].source, "words not in the text", HOSTILE), filename="x.jsonld", importer=editor
    )
    assert len(report.orphans) == 1
    orphan = Orphan.objects.get()
    _assert_harmless(orphan.note)
    assert "<b>bold</b>" in orphan.note


def test_reattaching_an_orphan_gives_a_live_annotation_a_sanitized_note(corpus, editor):
    annotations_import(
        data=_orphan_file(corpus[0].source, "words not in the text", HOSTILE), filename="x.jsonld", importer=editor
    )
    orphan = Orphan.objects.get()
    Orphan.objects.filter(pk=orphan.pk).update(note=HOSTILE)  # even if a raw note were stored somehow
    orphan.refresh_from_db()
    _assert_harmless(orphan.note)
    exact = corpus[0].current.text[:40]
    annotation = orphan_reattach(user=editor, orphan=orphan, exact=exact)
    annotation.refresh_from_db()
    _assert_harmless(annotation.note)


def test_bulk_writes_that_bypass_the_services_still_store_sanitized_html(article, alice, make_annotation):
    annotation = make_annotation(alice, article, "Chinese President Xi Jinping")
    Annotation.objects.filter(pk=annotation.pk).update(note=HOSTILE)
    annotation.refresh_from_db()
    _assert_harmless(annotation.note)
    copy = Annotation.objects.bulk_create(
        [
            Annotation(
                revision=annotation.revision,
                annotator=alice,
                tag=annotation.tag,
                note=HOSTILE,
                start=annotation.start,
                end=annotation.end,
                exact=annotation.exact,
            )
        ]
    )[0]
    copy.refresh_from_db()
    _assert_harmless(copy.note)
    reply = Reply.objects.create(annotation=annotation, author=alice, body=HOSTILE)
    reply.refresh_from_db()
    _assert_harmless(reply.body)


def test_a_corrected_texts_copies_and_orphans_carry_sanitized_notes(article, alice, editor, make_annotation):
    kept = make_annotation(alice, article, "Chinese President Xi Jinping")
    text = article.current.text
    Annotation.objects.filter(pk=kept.pk).update(note=HOSTILE)
    article_text_correct(editor=editor, article=article, text="New opening line.\n\n" + text)
    for annotation in Annotation.objects.filter(revision=article.current):
        _assert_harmless(annotation.note)


def test_migration_resanitizes_html_stored_before_the_fix(article, alice, make_annotation):
    annotation = make_annotation(alice, article, "Chinese President Xi Jinping")
    reply = Reply.objects.create(annotation=annotation, author=alice, body="ok")
    with connection.cursor() as cursor:  # raw SQL: as an older version stored it
        cursor.execute("UPDATE annotations_annotation SET note = %s WHERE id = %s", [HOSTILE, annotation.pk])
        cursor.execute("UPDATE annotations_reply SET body = %s WHERE id = %s", [HOSTILE, reply.pk])
    annotation.refresh_from_db()
    assert "hx-post" in annotation.note  # the raw value really is in the database
    migration = importlib.import_module("annotations.migrations.0009_sanitized_html")
    migration.resanitize(global_apps, None)
    annotation.refresh_from_db()
    reply.refresh_from_db()
    _assert_harmless(annotation.note)
    _assert_harmless(reply.body)
    assert "<b>bold</b>" in annotation.note
