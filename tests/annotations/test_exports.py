"""Exports: every format offered, the bundle's integrity, the W3C target source, and round trips."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from annotations.formats import FORMAT_NAMES
from annotations.models import Annotation, Tag
from annotations.services.annotations import annotation_create
from annotations.services.exports import ExportFilter
from annotations.services.imports import annotations_import
from tests.annotations.conftest import export, export_zip


def test_w3c_targets_name_the_revisions_plain_text_which_is_served_as_text_plain(client, doc):
    item = json.loads(export("w3c"))["first"]["items"][0]
    source = item["target"]["source"]
    assert source.endswith(f"/articles/{doc.pk}/revisions/1.txt")
    response = client.get(source.removeprefix("https://sinorus.invalid"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    position = next(s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector")
    quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
    assert text[position["start"] : position["end"]] == quote["exact"]


def test_an_unknown_revision_text_is_a_404(client, doc):
    assert client.get(f"/articles/{doc.pk}/revisions/9.txt").status_code == 404


def test_prefix_and_suffix_are_at_most_32_utf16_units(doc, alice):
    text = doc.current.text
    start = text.index("meets")
    annotation_create(user=alice, revision=doc.current, start=start, end=start + 5, exact=None, tag="claim")
    for item in json.loads(export("w3c"))["first"]["items"]:
        quote = item["target"]["selector"][0]
        for context in (quote["prefix"], quote["suffix"]):
            assert len(context.encode("utf-16-le")) // 2 <= 32


def test_utf16_offsets_are_an_option_and_count_emoji_as_two_units(doc):
    plain = {r["exact"]: r for r in map(json.loads, export("jsonl").splitlines())}
    wide = {r["exact"]: r for r in map(json.loads, export("jsonl", ExportFilter(utf16=True)).splitlines())}
    text = doc.current.text
    for exact, row in wide.items():
        as_js = text.encode("utf-16-le")
        assert as_js[2 * row["start"] : 2 * row["end"]].decode("utf-16-le") == exact
    before = text[: plain["“curly quotes”"]["start"]].count("😀")
    assert before and wide["“curly quotes”"]["start"] == plain["“curly quotes”"]["start"] + before


def test_the_bundle_uses_one_pseudonym_map_for_every_file(corpus, alice, bob, django_user_model):
    from annotations.services.activities import activity_create, activity_join

    teacher = django_user_model.objects.create_user("teach")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    now = timezone.now()
    activity = activity_create(
        owner=teacher,
        kind="exercise",
        title="t",
        instructions="",
        articles=corpus[:2],
        tags=Tag.objects.all(),
        opens_at=now - timedelta(1),
        closes_at=now + timedelta(1),
        blind=True,
    )
    for user in (alice, bob):
        activity_join(user=user, code=activity.join_code)
    first, second = corpus[0].current, corpus[1].current
    annotation_create(user=alice, revision=first, start=0, end=5, exact=None, tag="claim", activity=activity)
    annotation_create(user=bob, revision=first, start=6, end=9, exact=None, tag="claim", activity=activity)
    annotation_create(user=bob, revision=second, start=0, end=5, exact=None, tag="claim", activity=activity)
    archive = export_zip("bundle", ExportFilter(activity=activity))
    by_file = {
        name: {r["annotator"] for r in map(json.loads, archive.read(name).decode().splitlines())}
        for name in ["annotations.jsonl"]
    }
    bob_name = "annotator-2"
    rows = [json.loads(x) for x in archive.read("annotations.jsonl").decode().splitlines()]
    assert {r["annotator"] for r in rows if r["article_id"] == corpus[1].pk} == {bob_name}
    assert by_file["annotations.jsonl"] == {"annotator-1", "annotator-2"}
    assert any(name.startswith(f"brat/{bob_name}/") and corpus[1].source[:3] in name for name in archive.namelist())
    assert f"conll/{bob_name}.conll" in archive.namelist()


def test_bundle_entry_names_are_unique_when_two_sources_share_a_stem(db, alice):
    from articles.services.revisions import article_import
    from tests.annotations.conftest import TEXT

    for name in ("x.txt", "x.TXT"):
        article = article_import(source=name, data=TEXT.encode()).article
        annotation_create(user=alice, revision=article.current, start=0, end=5, exact=None, tag="claim")
    names = export_zip("bundle").namelist()
    assert len(names) == len(set(names))
    assert {"articles/x.r1.clean.txt", "articles/x-2.r1.clean.txt"} <= set(names)


def test_agreement_csv_keeps_commas_and_formulas_in_file_names_to_one_safe_cell(db, alice):
    from articles.services.revisions import article_import
    from tests.annotations.conftest import TEXT

    article = article_import(source="=cmd,a.txt", data=TEXT.encode()).article
    annotation_create(user=alice, revision=article.current, start=0, end=5, exact=None, tag="claim")
    rows = list(csv.reader(io.StringIO(export_zip("bundle").read("agreement.csv").decode())))
    assert rows[0][0] == "article" and len(rows[1]) == len(rows[0])
    assert rows[1][0] == "'=cmd,a.txt"


def test_alignment_json_points_only_at_texts_the_bundle_holds(corpus, alice):
    from articles.models import AlignmentGroup, AlignmentPassage

    group = AlignmentGroup.objects.create(key="k", label="same event")
    for article in corpus[:2]:
        AlignmentPassage.objects.create(group=group, article=article, revision=article.current, start=0, end=5)
    annotation_create(user=alice, revision=corpus[0].current, start=0, end=5, exact=None, tag="claim")
    archive = export_zip("bundle", ExportFilter(article_ids=[corpus[0].pk]))
    passages = json.loads(archive.read("alignment.json"))["groups"][0]["passages"]
    for passage in passages:
        assert passage["file"] in archive.namelist()


def test_the_datasheet_explains_notes_labels_conll_agreement_and_sources(doc):
    readme = export_zip("bundle").read("README.md").decode()
    for words in [
        "sanitized",
        "brat and CoNLL label `Claim`",
        "IOB2",
        "Krippendorff's alpha",
        "Sources and licence",
        "doc.txt",
    ]:
        assert words in readme


def test_the_bundle_holds_every_format(doc):
    names = set(export_zip("bundle").namelist())
    assert {
        "corpus.spacy",
        "labelstudio.json",
        "doccano.jsonl",
        "xmi/alice/doc.r1.xmi",
        "xmi/alice/TypeSystem.xml",
        "labelstudio-config.xml",
    } <= names


def test_the_export_page_offers_every_format_named_in_words(client, doc, exporter):
    client.force_login(exporter)
    page = client.get(reverse("annotations:export")).content.decode()
    for fmt in ("spacy", "xmi", "labelstudio", "doccano"):
        assert f'value="{fmt}"' in page
    assert "INCEpTION" in page and "Label Studio" in page and "doccano" in page
    assert len(FORMAT_NAMES) == 10


@pytest.mark.parametrize("fmt", ["spacy", "xmi", "labelstudio", "doccano"])
def test_export_corpus_writes_the_new_formats_with_the_same_filters(doc, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    call_command("export_corpus", "--format", fmt, "--annotator", "bob", "--out", str(out))
    data = out.read_bytes()
    assert data and b"alice" not in data.replace(b"Alice", b"")


def _without_ids(doc: dict) -> dict:
    text = json.dumps(doc)
    for a in Annotation.objects.all():
        text = text.replace(f'/api/annotations/{a.pk}"', '/api/annotations/N"')
    return json.loads(text)


def test_w3c_round_trip_through_an_empty_database_is_identical(doc, django_user_model):
    first = json.loads(export("w3c"))
    items = sorted(first["first"]["items"], key=lambda i: i["id"])
    for item in items:
        item.pop("id")
    Annotation.objects.all().delete()
    django_user_model.objects.filter(username__in=["alice", "bob"]).delete()
    report = annotations_import(data=json.dumps(first).encode(), filename="export.jsonld")
    assert report.created == 4 and not report.orphans
    again = sorted(
        json.loads(export("w3c"))["first"]["items"],
        key=lambda i: (i["target"]["selector"][1]["start"], i["creator"]["nickname"]),
    )
    for item in again:
        item.pop("id")
    key = lambda i: (i["target"]["selector"][1]["start"], i["creator"]["nickname"])  # noqa: E731
    assert sorted(again, key=key) == sorted(items, key=key)


def test_jsonl_round_trip_through_an_empty_database_is_identical_but_for_ids(doc, django_user_model):
    strip = lambda rows: sorted((({k: v for k, v in r.items() if k != "id"}) for r in rows), key=json.dumps)  # noqa: E731
    first = [json.loads(x) for x in export("jsonl").splitlines()]
    Annotation.objects.all().delete()
    django_user_model.objects.filter(username__in=["alice", "bob"]).delete()
    report = annotations_import(data="".join(json.dumps(r) + "\n" for r in first).encode(), filename="a.jsonl")
    assert report.created == 4
    assert strip(json.loads(x) for x in export("jsonl").splitlines()) == strip(first)
