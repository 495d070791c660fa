"""Imports: Hypothesis in its three shapes, tags and free labels, authors, duplicates, and bad items."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from annotations.models import Annotation, Orphan, Tag
from annotations.services.exports import ExportFilter
from annotations.services.imports import ImportFileError, annotations_import
from tests.annotations.helpers import export, export_text, hypothesis_row


def _import(data, doc, **kw):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return annotations_import(data=raw, filename=kw.pop("filename", "h.json"), article=doc, **kw)


@pytest.mark.parametrize(
    "shape",
    [
        lambda row: {"total": 1, "rows": [row]},
        lambda row: {
            "export_date": "2024-03-03T00:00:00Z",
            "export_userid": "acct:hana@hypothes.is",
            "client_version": "1.1",
            "annotations": [row],
        },
    ],
    ids=["api-rows", "client-export"],
)
def test_hypothesis_api_rows_and_client_exports_import_every_annotation(doc, shape):
    Annotation.objects.all().delete()
    report = _import(shape(hypothesis_row()), doc)
    assert report.created == 1 and not report.orphans
    imported = Annotation.objects.get()
    assert imported.exact == "“curly quotes”" and imported.tag.slug == "claim"


def test_hypothesis_json_ld_keeps_the_note_and_the_tag(doc):
    Annotation.objects.all().delete()
    jsonld = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hyp.is/x",
        "created": "2024-03-01T10:00:00+00:00",
        "modified": "2024-03-01T10:00:00+00:00",
        "creator": "acct:hana@hypothes.is",
        "body": [
            {"type": "TextualBody", "value": "A *note*", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Quote"},
        ],
        "target": [
            {
                "source": "https://example.org/a",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "“curly quotes”", "prefix": "meets ", "suffix": ", commas"}
                ],
            }
        ],
    }
    _import(jsonld, doc)
    imported = Annotation.objects.get()
    assert imported.tag.slug == "quote" and imported.note == "<p>A <em>note</em></p>"


def test_tags_map_case_insensitively_and_the_rest_become_free_labels(doc):
    Annotation.objects.all().delete()
    _import({"rows": [hypothesis_row()]}, doc)
    imported = Annotation.objects.get()
    assert imported.tag.slug == "claim" and imported.labels == ["Magnesium"]


def test_free_labels_are_exported_and_filterable(doc):

    _import({"rows": [hypothesis_row()]}, doc)
    rows = [json.loads(x) for x in export("jsonl", ExportFilter(label="magnesium")).splitlines()]
    assert len(rows) == 1 and rows[0]["labels"] == ["Magnesium"]
    w3c = json.loads(export("w3c", ExportFilter(label="Magnesium")))["first"]["items"][0]
    assert {"type": "TextualBody", "purpose": "tagging", "value": "Magnesium"} in w3c["body"]


def test_an_annotation_with_no_known_tag_takes_the_default_tag(doc):
    Annotation.objects.all().delete()
    report = _import({"rows": [hypothesis_row(tags=["Magnesium"])]}, doc, default_tag=Tag.objects.get(slug="opinion"))
    assert report.created == 1 and not report.orphans
    assert Annotation.objects.get().tag.slug == "opinion"


def test_without_a_default_tag_an_unknown_tag_is_an_orphan(doc):
    report = _import({"rows": [hypothesis_row(tags=["Magnesium"])]}, doc)
    assert report.created == 0 and Orphan.objects.get().reason.startswith("no tag in the tag set")


def test_a_markdown_note_of_thousands_of_brackets_is_kept_as_plain_text(doc):
    """Python-Markdown took four seconds on one such note, while the import held the database."""
    Annotation.objects.all().delete()
    _import({"rows": [hypothesis_row(text="[" * 4999)]}, doc)
    assert Annotation.objects.get().note.startswith("[[[[")


def test_markdown_notes_are_rendered_then_sanitized(doc):
    Annotation.objects.all().delete()
    _import(
        {"rows": [hypothesis_row(text='**bold** <script>x()</script><a href="javascript:x" hx-get="/a">l</a>')]}, doc
    )
    note = Annotation.objects.get().note
    assert "<strong>bold</strong>" in note
    assert "<script" not in note and "javascript:" not in note and "hx-get" not in note


def test_importing_the_same_file_twice_skips_what_is_there(doc):
    data = {"rows": [hypothesis_row(), hypothesis_row(id="hyp-2", tags=["quote"])]}
    first = _import(data, doc)
    second = _import(data, doc)
    assert first.created == 2 and first.skipped == 0
    assert second.created == 0 and second.skipped == 2 and "already there" in second.summary()


def test_a_row_repeated_in_one_file_is_imported_once(doc):
    report = _import({"rows": [hypothesis_row(), hypothesis_row(id="hyp-2")]}, doc)
    assert report.created == 1 and report.skipped == 1


def test_two_annotations_that_share_only_their_file_id_are_both_imported(corpus):
    """Two servers' exports can both call different annotations ".../api/annotations/12"."""

    def item(article, tag: str, who: str) -> dict:
        text = article.current.text
        return {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://127.0.0.1:8000/api/annotations/12",
            "type": "Annotation",
            "creator": who,
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": tag}],
            "target": {
                "source": f"http://127.0.0.1:8000/articles/{article.pk}/revisions/{article.current.number}.txt",
                "selector": [{"type": "TextQuoteSelector", "exact": text[:30]}],
            },
        }

    first = annotations_import(data=json.dumps([item(corpus[3], "claim", "alice")]).encode(), filename="a.json")
    second = annotations_import(data=json.dumps([item(corpus[2], "opinion", "bob")]).encode(), filename="b.json")
    assert first.created == second.created == 1 and second.skipped == 0
    again = annotations_import(data=json.dumps([item(corpus[2], "opinion", "bob")]).encode(), filename="b.json")
    assert again.created == 0 and again.skipped == 1  # the same id on the same passage: already there
    other = item(corpus[2], "claim", "carol")
    other["target"]["selector"][0]["exact"] = corpus[2].current.text[40:70]
    assert annotations_import(data=json.dumps([other]).encode(), filename="c.json").created == 1  # another passage


def test_reimporting_our_own_jsonl_export_skips_every_annotation(doc):

    before = Annotation.objects.count()
    report = annotations_import(data=export("jsonl").encode(), filename="a.jsonl")
    assert report.created == 0 and report.skipped == before == Annotation.objects.count()


def test_imports_keep_version_and_modified(doc):

    Annotation.objects.filter(exact="“curly quotes”").update(version=7)
    data = export("w3c")
    Annotation.objects.all().delete()
    annotations_import(data=data.encode(), filename="a.jsonld")
    imported = Annotation.objects.get(exact="“curly quotes”")
    assert imported.version == 7
    row = hypothesis_row()
    Annotation.objects.all().delete()
    _import({"rows": [row]}, doc)
    assert Annotation.objects.get().modified_at.isoformat() == "2024-03-02T11:00:00+00:00"


# ---------------------------------------------------------------- authors (issue 10)


def test_an_imported_author_named_like_an_existing_account_never_becomes_that_account(doc, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="admin-pass-123")
    Annotation.objects.all().delete()
    report = _import({"rows": [hypothesis_row(user="acct:admin@hypothes.is")]}, doc)
    imported = Annotation.objects.get()
    assert imported.annotator != admin and imported.annotator.username == "import:admin"
    assert not imported.annotator.has_usable_password()
    assert report.authors == {"admin": "import:admin"}


def test_arbitrary_creator_names_become_import_identities_that_cannot_sign_in(doc, client):
    Annotation.objects.all().delete()
    for name in ["Rita Recogito", "<img src=x onerror=alert(1)>"]:
        annotations_import(
            data=json.dumps({"rows": [hypothesis_row(user=name, id=name)]}).encode(), filename="h.json", article=doc
        )
    names = set(Annotation.objects.values_list("annotator__username", flat=True))
    assert names == {"import:Rita Recogito", "import:<img src=x onerror=alert(1)>"}
    assert not client.login(username="import:Rita Recogito", password="")


def test_sign_up_refuses_the_import_namespace(client, db):
    response = client.post(
        reverse("signup"), {"username": "import:alice", "password1": "pw-Xy7-long-1", "password2": "pw-Xy7-long-1"}
    )
    assert response.status_code in (200, 400)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="import:alice").exists()


def test_authors_can_all_go_to_the_importing_user(doc, exporter):
    Annotation.objects.all().delete()
    report = _import({"rows": [hypothesis_row()]}, doc, importer=exporter, authors="me")
    assert Annotation.objects.get().annotator == exporter and report.authors == {}


def test_the_web_import_shows_the_author_mapping(client, doc, exporter):
    client.force_login(exporter)
    upload = SimpleUploadedFile("h.json", json.dumps({"rows": [hypothesis_row(user="Rita Recogito")]}).encode())
    page = client.post(reverse("annotations:import"), {"file": upload, "article": doc.pk}, follow=True).content.decode()
    assert "Rita Recogito" in page and "import:Rita Recogito" in page


# ---------------------------------------------------------------- choosing the article


def test_the_web_import_form_puts_annotations_on_the_chosen_article(client, doc, exporter):
    Annotation.objects.all().delete()
    client.force_login(exporter)
    upload = SimpleUploadedFile("h.json", json.dumps({"rows": [hypothesis_row()]}).encode())
    response = client.post(
        reverse("annotations:import"), {"file": upload, "article": doc.pk, "default_tag": "claim"}, follow=True
    )
    assert response.status_code == 200 and Annotation.objects.get().revision == doc.current


def test_an_item_naming_another_article_by_position_only_is_not_put_on_the_chosen_one(corpus):
    named, chosen = corpus[1], corpus[4]
    row = {"article_id": named.pk, "start": 0, "end": 40, "tag": "claim", "annotator": "ghost"}  # no quote
    quoted = {**row, "exact": chosen.current.text[:30], "start": None, "end": None}  # a quote found here: fine
    data = "\n".join(json.dumps(r) for r in (row, quoted)).encode()
    report = annotations_import(data=data, filename="a.jsonl", article=chosen)
    assert report.created == 1 and Annotation.objects.get().exact == chosen.current.text[:30]
    orphan = Orphan.objects.get()
    assert f"it names {named.source} and gives no quoted text to find in {chosen.source}" in orphan.reason


def test_an_orphan_without_an_article_is_reattached_to_the_article_chosen_for_it(client, doc, exporter):
    Annotation.objects.all().delete()
    annotations_import(data=json.dumps({"rows": [hypothesis_row()]}).encode(), filename="h.json")
    orphan = Orphan.objects.get()
    assert orphan.article is None and "choose one" in orphan.reason
    client.force_login(exporter)
    assert 'name="article"' in client.get(reverse("annotations:orphans")).content.decode()
    client.post(reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": "“curly quotes”", "article": doc.pk})
    orphan.refresh_from_db()
    assert orphan.resolution == "reattached"
    assert Annotation.objects.get().exact == "“curly quotes”"


# ---------------------------------------------------------------- never a 500 (issue 10)

BAD_ITEMS = {
    "article_id is a list": {"article_id": [1], "start": 0, "end": 3, "tag": "claim"},
    "article is an object": {"article": {}, "start": 0, "end": 3, "tag": "claim"},
    "created is not a date": {
        "article": "doc.txt",
        "start": 0,
        "end": 3,
        "tag": "claim",
        "created": "2020-13-45T00:00:00",
    },
    "exact is a number": {"article": "doc.txt", "exact": 12345, "tag": "claim"},
    "start is NaN": {"article": "doc.txt", "start": float("nan"), "end": 3, "tag": "claim"},
    "tags is an object": hypothesis_row(tags={}),
    "prefix is a number": hypothesis_row(
        target=[{"selector": [{"type": "TextQuoteSelector", "exact": "grin", "prefix": 7}]}]
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_ITEMS))
def test_a_bad_value_in_one_item_is_a_named_error_for_that_item_only(doc, name):
    good = {"article": "doc.txt", "exact": "figure $245 billion", "tag": "opinion"}
    data = json.dumps([good, BAD_ITEMS[name]], allow_nan=True).encode()
    before = Annotation.objects.count()
    report = annotations_import(data=data, filename="x.json")
    assert report.created == 1 and Annotation.objects.count() == before + 1
    assert len(report.orphans) == 1 and report.orphans[0].startswith("item 2: ")


def test_a_lone_surrogate_in_a_note_is_replaced_not_a_500(doc):
    data = json.dumps([{"article": "doc.txt", "exact": "figure $245 billion", "tag": "opinion", "note": "a\ud800b"}])
    report = annotations_import(data=data.encode(), filename="x.json")
    assert report.created == 1 and Annotation.objects.get(tag__slug="opinion", exact__startswith="figure").note == "a?b"


def test_a_bad_item_is_a_named_error_on_the_web_form_not_a_500(client, doc, exporter):
    client.force_login(exporter)
    data = json.dumps([{"article_id": [1], "tag": "claim"}, {"article": {}}]).encode()
    response = client.post(reverse("annotations:import"), {"file": SimpleUploadedFile("x.json", data)}, follow=True)
    assert response.status_code == 200 and "article_id must be a whole number" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": 1}',
        b"[1, 2, 3]",
        b'"text"',
        b"[" * 60000,
        b'{"start": ' + b"9" * 5000 + b"}",
        b"<x",
        b'<?xml version="1.0"?><root><note>hello</note></root>',  # XML, but no CAS
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<html><body>hi</body></html>",
        b'<root xmlns:xmi="http://www.omg.org/XMI"><a/></root>',  # the namespace, but not a CAS
    ],
)
def test_a_file_of_garbage_is_one_clear_error_and_imports_nothing(doc, data):
    before = (Annotation.objects.count(), Orphan.objects.count())
    with pytest.raises(ImportFileError):
        annotations_import(data=data, filename="g.json")
    assert (Annotation.objects.count(), Orphan.objects.count()) == before


def test_a_row_whose_free_labels_are_text_keeps_its_tag_and_each_label(doc):
    start = doc.current.text.index("curly")
    row = {"article_id": doc.pk, "start": start, "end": start + 5, "tag": "claim", "labels": "extra-label, other;;"}
    report = annotations_import(data=json.dumps(row).encode(), filename="a.jsonl")
    assert report.created == 1
    made = Annotation.objects.get(annotator__username__startswith="import:")
    assert made.tag.slug == "claim" and made.labels == ["extra-label", "other"]


def test_our_csv_export_imported_back_says_to_import_the_jsonl_instead(doc):
    with pytest.raises(ImportFileError, match="import the JSONL or W3C export of the same annotations instead"):
        annotations_import(data=export("csv").encode(), filename="annotations.csv")


def test_import_annotations_reads_doccano_with_a_default_tag_and_lists_the_authors(doc, tmp_path, capsys):
    from django.core.management import call_command

    text = doc.current.text
    start = text.index("figure")
    line = {"text": text, "label": [[start, start + 6, "Number"]], "annotator": "Rita Recogito"}
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    call_command("import_annotations", str(path), "--default-tag", "claim")
    out = capsys.readouterr().out
    assert "1 annotation imported" in out and "'import:Rita Recogito'" in out
    imported = Annotation.objects.get(exact="figure")
    assert imported.tag.slug == "claim" and imported.labels == ["Number"]


def test_round_trip_export_import_export_gives_the_same_annotations(tricky, django_user_model):
    first = export_text("w3c")
    key = lambda r: (r["article"], r["start"], r["end"], r["exact"], r["tag"], r["note"], r["annotator"], r["layer"])  # noqa: E731
    before = sorted(key(json.loads(x)) for x in export_text("jsonl").splitlines())
    Annotation.objects.all().delete()
    django_user_model.objects.filter(username__in=["alice", "bob"]).delete()
    report = annotations_import(data=first.encode(), filename="export.jsonld")
    assert report.created == 4 and not report.orphans
    after = sorted(key(json.loads(x)) for x in export_text("jsonl").splitlines())
    assert after == before


def test_jsonl_round_trip(tricky):
    data = export_text("jsonl")
    Annotation.objects.all().delete()
    report = annotations_import(data=data.encode(), filename="a.jsonl")
    assert report.created == 4 and report.methods["position"] == 4


def test_hypothesis_style_quote_only_annotations_are_anchored_by_quote(tricky):
    hypothesis = {
        "rows": [
            {
                "user": "acct:hana@hypothes.is",
                "tags": ["quote"],
                "text": "from h",
                "target": [
                    {
                        "source": "https://example.org/a",
                        "selector": [
                            {
                                "type": "TextQuoteSelector",
                                "exact": "“curly quotes”",
                                "prefix": "meets ",
                                "suffix": ", commas",
                            }
                        ],
                    }
                ],
            },
            {
                "user": "acct:hana@hypothes.is",
                "tags": ["claim"],
                "text": "",
                "target": [
                    {
                        "source": "https://example.org/a",
                        "selector": [{"type": "TextQuoteSelector", "exact": "not in this article at all"}],
                    }
                ],
            },
        ]
    }
    report = annotations_import(data=json.dumps(hypothesis).encode(), filename="h.json", article=tricky)
    assert report.created == 1 and report.methods == {"quote": 1}
    assert len(report.orphans) == 1
    orphan = Orphan.objects.get()
    assert orphan.exact == "not in this article at all" and "not found" in orphan.reason
    imported = Annotation.objects.get(annotator__username="import:hana")
    assert tricky.current.text[imported.start : imported.end] == "“curly quotes”"


def test_a_file_that_cannot_be_read_imports_nothing(tricky):
    before = Annotation.objects.count()
    for data, name in [
        (b"", "e.json"),
        (b"{nope", "b.json"),
        (b"\xff\xfe\x00", "x.json"),
        (b'{"a": 1}\nnot json\n', "l.jsonl"),
    ]:
        with pytest.raises(ImportFileError):
            annotations_import(data=data, filename=name)
    assert Annotation.objects.count() == before and not Orphan.objects.exists()


def test_import_command_reports_and_exits_nonzero_for_bad_files(tricky, tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(export_text("jsonl"), encoding="utf-8")
    Annotation.objects.all().delete()  # else the import skips them as already there
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("import_annotations", str(good), str(bad))
    captured = capsys.readouterr()
    assert "4 annotations imported" in captured.out and "bad.json: not JSON" in captured.err


def test_web_upload_imports_and_lists_orphans(client, tricky, editor):
    client.force_login(editor)
    data = json.dumps(
        {
            "type": "AnnotationPage",
            "items": [
                {
                    "type": "Annotation",
                    "body": {"purpose": "tagging", "value": "claim"},
                    "target": {
                        "schema:name": "tricky.txt",
                        "selector": {"type": "TextQuoteSelector", "exact": "gone text"},
                    },
                }
            ],
        }
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("annotations:import"), {"file": SimpleUploadedFile("x.jsonld", data.encode())}, follow=True
    )
    assert "0 annotations imported" in response.content.decode() and "1 kept as orphans" in response.content.decode()
    assert "gone text" in client.get(reverse("annotations:orphans")).content.decode()


@pytest.mark.parametrize(
    "item", [{"tag": {"\u0000": None}}, {"article_id": {"\u0000": None}, "exact": "x\u0000y", "tag": "claim"}]
)
def test_nul_characters_in_an_imported_item_are_a_named_error_or_a_storable_orphan(corpus, item):
    """PostgreSQL holds no NUL in text or JSON: an import must never pass one to it."""
    data = json.dumps([item]).encode()
    try:
        report = annotations_import(data=data, filename="nul.json")
    except ImportFileError:
        return
    for orphan in Orphan.objects.all():
        assert "\x00" not in json.dumps(orphan.payload) and "\x00" not in orphan.exact
    assert report.created + len(report.orphans) <= 1


def test_an_orphan_with_a_tag_outside_the_set_and_a_long_note_is_reattached_once_both_are_fixed(client, doc, exporter):
    Annotation.objects.all().delete()
    report = _import({"rows": [hypothesis_row(tags=["Magnesium"], text="n" * (Annotation.MAX_NOTE + 10))]}, doc)
    assert report.created == 0
    orphan = Orphan.objects.get()
    assert orphan.exact == "“curly quotes”" and orphan.article == doc  # what the file had, though it was refused
    assert "n" * (Annotation.MAX_NOTE + 10) in orphan.note and orphan.tag == "Magnesium"  # kept whole
    client.force_login(exporter)
    page = client.get(reverse("annotations:orphans")).content.decode()
    assert "Magnesium is not in the tag set" in page and 'name="note"' in page and "over the 5000 limit" in page
    url = reverse("annotations:orphan_resolve", args=[orphan.pk])
    response = client.post(url, {"exact": "not there", "article": doc.pk, "note": orphan.note + "!"})
    page = response.content.decode()
    orphan.refresh_from_db()
    assert response.status_code == 400 and orphan.resolved_at is None
    assert "that passage is not in the current text; the tag &#x27;Magnesium&#x27; is not in the tag set" in page
    assert "over the 5,000 limit: shorten it" in page  # every problem named at once
    assert 'value="not there"' in page and escape(orphan.note + "!") + "</textarea>" in page  # what was typed is kept
    response = client.post(url, {"exact": orphan.exact, "article": doc.pk, "tag": "claim", "note": orphan.note})
    orphan.refresh_from_db()
    assert orphan.resolved_at is None and "over the 5,000 limit: shorten it" in response.content.decode()
    assert '<option value="claim" selected>' in response.content.decode()
    client.post(url, {"exact": orphan.exact, "article": doc.pk, "tag": "claim", "note": "Short."})
    orphan.refresh_from_db()
    assert orphan.resolution == "reattached"
    annotation = Annotation.objects.get()
    assert (annotation.tag.slug, annotation.note, annotation.exact) == ("claim", "Short.", "“curly quotes”")


def test_hypothesis_replies_join_the_thread_of_the_annotation_they_answer(doc):
    Annotation.objects.all().delete()
    reply = hypothesis_row(id="hyp-r1", text="I *agree*.", user="acct:ben@hypothes.is", references=["hyp-1"], tags=[])
    stray = hypothesis_row(id="hyp-r2", text="Lost reply.", references=["hyp-gone"], tags=[])
    page_note = hypothesis_row(id="hyp-p1", text="About the whole page.", target=[{"source": "https://example.org/a"}])
    report = _import(
        {"rows": [reply, hypothesis_row(), stray, page_note]}, doc
    )  # a reply may come before its annotation
    parent = Annotation.objects.get(import_key="hyp-1")
    assert report.created == 1 and report.replies == 1 and "1 reply added to threads" in report.summary()
    [added] = parent.replies.all()
    assert (added.author.username, added.body) == ("import:ben", "<p>I <em>agree</em>.</p>")
    reasons = sorted(Orphan.objects.values_list("reason", flat=True))
    assert reasons == [
        "a page note: it selects no passage of the article",
        "a reply to hyp-gone, an annotation neither here nor in the file",
    ]
    again = _import({"rows": [reply, hypothesis_row()]}, doc)
    assert again.replies == 0 and parent.replies.count() == 1  # nothing twice


def test_reloading_an_import_result_imports_nothing_again(client, doc, exporter):
    Annotation.objects.all().delete()
    client.force_login(exporter)
    upload = SimpleUploadedFile("h.json", json.dumps({"rows": [hypothesis_row()]}).encode())
    response = client.post(reverse("annotations:import"), {"file": upload, "article": doc.pk})
    assert response.status_code == 302 and response["Location"].endswith("#result")
    first = client.get(response["Location"]).content.decode()
    assert "1 annotation imported" in first
    again = client.get(response["Location"]).content.decode()  # a reload
    assert "imported" not in again and Annotation.objects.count() == 1


def test_an_imported_annotation_is_deleted_by_who_looks_after_imports_and_by_nobody_else(client, doc, exporter, alice):
    report = _import({"rows": [hypothesis_row()]}, doc)
    assert report.created == 1
    imported = Annotation.objects.get(annotator__username__startswith="import:")

    def its_item() -> str:
        page = client.get(reverse("annotations:reader", args=[doc.pk])).content.decode()
        start = page.index(f'<li id="a{imported.pk}"')
        return page[start : page.index("</li>", start)]

    client.force_login(alice)
    assert client.delete(f"/api/annotations/{imported.pk}").status_code == 403
    assert ">Delete</button>" not in its_item()
    client.force_login(exporter)
    assert ">Delete</button>" in its_item() and ">Edit</a>" not in its_item()
    assert client.delete(f"/api/annotations/{imported.pk}").status_code == 204  # a mistaken import is undone
    imported.refresh_from_db()
    assert imported.deleted_at is not None
    assert client.post(reverse("annotations:restore", args=[imported.pk])).status_code == 302
    imported.refresh_from_db()
    assert imported.deleted_at is None
    patch = json.dumps({"tag": "opinion"})
    # deleted or restored, never rewritten under its author's name
    assert (
        client.patch(f"/api/annotations/{imported.pk}", data=patch, content_type="application/json").status_code == 403
    )


def test_an_item_of_a_layer_the_activity_lacks_is_imported_where_its_owner_and_class_see_it(corpus, instructor):
    from tests.factories import make_activity

    exercise = make_activity(instructor, corpus[:1])
    article = corpus[0]
    row = {
        "article_id": article.pk,
        "start": 0,
        "end": 20,
        "exact": article.current.text[:20],
        "tag": "claim",
        "layer": "consensus",  # a review session's layer: an exercise has none
        "annotator": "ghost",
    }
    report = annotations_import(
        data=json.dumps(row).encode(), filename="a.jsonl", activity=exercise, importer=instructor
    )
    assert report.created == 1
    assert Annotation.objects.get().layer == "individual"


def test_items_no_reader_can_use_are_said_as_orphans_never_dropped_unsaid(doc):
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "type": "Annotation",
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
                "target": {"source": "doc.txt", "selector": [{"type": "TextQuoteSelector", "exact": "“curly quotes”"}]},
            },
            "http://example.org/annotations/7",
            12,
            None,
        ],
    }
    report = annotations_import(data=json.dumps(page).encode(), filename="page.jsonld", article=doc)
    assert report.created == 1 and len(report.orphans) == 3
    assert "not an annotation but str ('http://example.org/annotations/7')" in report.orphans[0]
    task = {
        "data": {"text": doc.current.text},
        "annotations": [
            "not an object",
            {
                "result": [
                    {
                        "type": "labels",
                        "value": {"start": 0, "end": 12, "text": doc.current.text[:12], "labels": ["claim"]},
                    },
                    {"type": "choices", "value": {"choices": ["good"]}},
                    {"type": "labels", "value": "x"},
                ]
            },
        ],
    }
    report = annotations_import(data=json.dumps([task]).encode(), filename="ls.json", article=doc)
    assert report.created == 1 and len(report.orphans) == 3
    assert any("a result that tags no passage (choices)" in o for o in report.orphans)
