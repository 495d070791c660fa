"""Exports: every format offered, the bundle's integrity, the W3C target source, and round trips."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from annotations.formats import FORMAT_NAMES, nlp
from annotations.models import Annotation, Job
from annotations.services.annotations import annotation_create
from annotations.services.exports import ExportFilter
from annotations.services.imports import annotations_import
from articles.services.revisions import article_import
from tests.annotations.helpers import TEXT, TRICKY, export, export_text, export_zip
from tests.factories import make_activity

W3C_SUITE = Path(__file__).resolve().parents[1] / "data"  # vendored from the W3C annotation test suite


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
    from annotations.services.activities import activity_join

    teacher = django_user_model.objects.create_user("teach")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    activity = make_activity(teacher, corpus[:2])
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


def test_the_answer_key_is_named_so_in_every_format_not_taken_for_one_more_student(corpus, alice, instructor):
    from annotations.services.activities import activity_join

    activity = make_activity(instructor, corpus[:1])
    activity_join(user=alice, code=activity.join_code)
    first = corpus[0].current
    annotation_create(user=instructor, revision=first, start=0, end=5, tag="claim", activity=activity, layer="key")
    annotation_create(user=alice, revision=first, start=6, end=9, tag="claim", activity=activity)
    archive = export_zip("bundle", ExportFilter(activity=activity))
    rows = [json.loads(x) for x in archive.read("annotations.jsonl").decode().splitlines()]
    assert sorted((r["annotator"], r["layer"]) for r in rows) == [("annotator-1", "individual"), ("answer-key", "key")]
    assert "conll/answer-key.conll" in archive.namelist()
    assert any(name.startswith("brat/answer-key/") for name in archive.namelist())


def test_bundle_entry_names_are_unique_when_two_sources_share_a_stem(db, alice):
    for name in ("x.txt", "x.TXT"):
        article = article_import(source=name, data=TEXT.encode()).article
        annotation_create(user=alice, revision=article.current, start=0, end=5, exact=None, tag="claim")
    names = export_zip("bundle").namelist()
    assert len(names) == len(set(names))
    assert {"articles/x.r1.clean.txt", "articles/x-2.r1.clean.txt"} <= set(names)


def test_agreement_csv_keeps_commas_and_formulas_in_file_names_to_one_safe_cell(db, alice):
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
        # the annotations now belong to import identities, and their creator ids name those accounts
        assert item["creator"].pop("id").endswith("/users/import%3A" + item["creator"]["nickname"])
    for item in items:
        assert item["creator"].pop("id").endswith("/users/" + item["creator"]["nickname"])
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


def test_jsonl_keeps_offsets_unicode_and_notes(tricky):
    rows = [json.loads(line) for line in export_text("jsonl").splitlines()]
    assert len(rows) == 4
    text = tricky.current.text
    for row in rows:
        assert text[row["start"] : row["end"]] == row["exact"]
        assert {"article", "article_id", "tag", "note", "annotator", "layer"} <= set(row)
    assert any(r["note"].startswith("=HYPERLINK") and "\n" in r["note"] for r in rows)


def test_csv_opens_cleanly_and_escapes_formulas(tricky):
    rows = list(csv.DictReader(io.StringIO(export_text("csv"))))
    assert len(rows) == 4
    notes = {r["note"] for r in rows}
    assert '\'=HYPERLINK("x")\nsecond line, with comma' in notes
    assert "'+1 quote" in notes and "'@mention" in notes
    assert any("“curly quotes”" in r["exact"] for r in rows)


def test_the_csv_names_each_article_by_its_title_beside_its_file(tricky):
    title = tricky.current.title
    assert title and title != "tricky.txt"
    rows = list(csv.DictReader(io.StringIO(export_text("csv").lstrip("\ufeff"))))
    assert {(r["article"], r["title"]) for r in rows} == {("tricky.txt", title)}
    assert list(rows[0])[:4] == ["id", "article_id", "article", "title"]


def test_w3c_export_passes_the_test_suites_must_assertions(tricky, tmp_path):
    path = tmp_path / "export.jsonld"
    path.write_text(export_text("w3c"), encoding="utf-8")
    checker = W3C_SUITE / "check_w3c_annotations.py"
    import subprocess

    result = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True)
    assert "4 annotations checked, 4 passed, 0 failed" in result.stdout, result.stdout + result.stderr


def test_w3c_export_is_valid_against_the_schemas_checked_here(tricky):
    """The same 'must' schemas, run in-process with jsonschema on a collection this test builds."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    suite = W3C_SUITE / "w3c-annotation-model"
    defs = [json.loads(p.read_text()) for p in (suite / "definitions").glob("*.json")]
    registry = Registry().with_resources((d["id"], Resource(contents=d, specification=DRAFT4)) for d in defs)
    musts = json.loads((suite / "annotations" / "annotationMusts.test").read_text())["assertions"]
    validators = [
        Draft4Validator(json.loads((suite / m).read_text()), registry=registry, format_checker=FormatChecker())
        for m in musts
    ]
    doc = json.loads(export_text("w3c"))
    items = doc["first"]["items"]
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 4
    for item in items:
        assert all(v.is_valid(item) for v in validators)
        kinds = [s["type"] for s in item["target"]["selector"]]
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]


def test_w3c_export_pages_are_chained(tricky):
    from annotations.formats.w3c import iter_collection
    from annotations.formats.w3c_read import iter_annotations
    from annotations.services.exports import export_records

    doc = json.loads(
        "".join(iter_collection(export_records(None, ExportFilter()), base="https://x", label="t", page_size=3))
    )
    assert doc["first"]["next"]["type"] == "AnnotationPage"
    assert len(list(iter_annotations(doc))) == 4


def test_brat_standoff_has_one_txt_and_ann_per_article_and_annotator_with_valid_offsets(tricky):
    archive = export_zip("brat")
    names = archive.namelist()
    assert sorted(names) == ["alice/tricky.r1.ann", "alice/tricky.r1.txt", "bob/tricky.r1.ann", "bob/tricky.r1.txt"]
    text = archive.read("alice/tricky.r1.txt").decode()
    for line in archive.read("alice/tricky.r1.ann").decode().splitlines():
        if not line.startswith("T"):
            continue
        _id, label_spans, covered = line.split("\t")
        fragments = [tuple(map(int, part.split())) for part in label_spans.split(" ", 1)[1].split(";")]
        assert " ".join(text[s:e] for s, e in fragments) == covered
        assert all("\n" not in text[s:e] for s, e in fragments)


def test_brat_splits_a_span_across_paragraphs_into_fragments():
    text = "one\n\ntwo"
    assert nlp.brat_fragments(text, 0, len(text)) == [(0, 3), (5, 8)]


def test_conll_has_one_file_per_annotator_in_conll_2003_shape(tricky):
    archive = export_zip("conll")
    assert sorted(archive.namelist()) == ["alice.conll", "bob.conll"]
    lines = archive.read("bob.conll").decode().splitlines()
    assert lines[0] == "-DOCSTART- -X- -X- O" and lines[1] == ""
    rows = [line.split(" ") for line in lines[2:] if line]
    assert all(len(row) == 4 for row in rows)
    grin = next(r for r in rows if r[0] == "grin")
    assert grin[3] == "I-Opinion"


def test_bundle_holds_texts_formats_alignment_agreement_and_datasheet(tricky):
    archive = export_zip("bundle")
    names = set(archive.namelist())
    assert {
        "annotations.w3c.jsonld",
        "annotations.jsonl",
        "annotations.csv",
        "alignment.json",
        "agreement.csv",
        "README.md",
    } <= names
    assert {
        "articles/tricky.r1.raw.txt",
        "articles/tricky.r1.clean.txt",
        "brat/alice/tricky.r1.ann",
        "conll/alice.conll",
    } <= names
    assert archive.read("articles/tricky.r1.raw.txt") == TRICKY.encode()
    readme = archive.read("README.md").decode()
    assert "A checkable statement of fact." in readme and "| tricky.txt |" in readme


def test_export_command_writes_atomically_and_filters(tricky, tmp_path):
    out = tmp_path / "claims.jsonl"
    call_command("export_corpus", "--format", "jsonl", "--tag", "claim", "--out", str(out))
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["tag"] for r in rows} == {"claim"} and len(rows) == 2
    assert not (tmp_path / "claims.jsonl.partial").exists()


def test_export_to_a_full_disk_fails_clearly_and_leaves_no_file(tricky, tmp_path, monkeypatch):
    from django.core.management import CommandError

    import annotations.services.exports as corpus

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(corpus, "write_export", full_disk)
    out = tmp_path / "x.jsonl"
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("export_corpus", "--format", "jsonl", "--out", str(out))
    assert not out.exists() and not (tmp_path / "x.jsonl.partial").exists()


def test_classroom_exports_are_pseudonymous_unless_names_are_chosen(corpus, alice, bob, django_user_model):

    from annotations.services.activities import activity_join

    teacher = django_user_model.objects.create_user("teach")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    activity = make_activity(teacher, corpus[:1])
    activity_join(user=alice, code=activity.join_code)
    text = corpus[0].current.text
    annotation_create(
        user=alice, revision=corpus[0].current, start=0, end=7, exact=text[:7], tag="claim", activity=activity
    )
    rows = [json.loads(x) for x in export_text("jsonl", ExportFilter(activity=activity)).splitlines()]
    assert rows[0]["annotator"] == "annotator-1"
    named = [json.loads(x) for x in export_text("jsonl", ExportFilter(activity=activity, names=True)).splitlines()]
    assert named[0]["annotator"] == "alice"


def test_web_export_respects_permissions(client, tricky, alice, editor):
    url = reverse("annotations:export") + "?format=jsonl"
    assert client.get(url).status_code == 302
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 4


def test_web_export_never_holds_what_the_user_may_not_see(client, corpus, alice, bob, editor):

    other = make_activity(editor, corpus[:1], kind="review")
    annotation_create(
        user=editor,
        revision=corpus[0].current,
        start=0,
        end=7,
        exact=corpus[0].current.text[:7],
        tag="claim",
        activity=other,
        layer="consensus",
    )
    outsider = type(editor).objects.create_user("outsider")
    outsider.groups.add(Group.objects.get(name="Editors"))
    client.force_login(outsider)
    response = client.get(reverse("annotations:export") + f"?format=jsonl&activity={other.pk}")
    assert response.status_code == 400  # not one of their activities: the form refuses it
    public = client.get(reverse("annotations:export") + "?format=jsonl")
    assert "Nothing to export" in public.content.decode()  # what it may not see is not there, nor an empty file


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "conll"])
def test_an_export_that_would_hold_nothing_says_so_instead_of_giving_an_empty_file(client, corpus, editor, fmt):
    text = corpus[0].current.text  # one annotation, in no consensus and with no free label
    annotation_create(user=editor, revision=corpus[0].current, start=0, end=7, exact=text[:7], tag="claim")
    client.force_login(editor)
    for choice in ("layer=consensus", "label=nowhere"):
        response = client.get(reverse("annotations:export") + f"?format={fmt}&{choice}")
        assert response.status_code == 200 and not response.has_header("Content-Disposition")
        assert "Nothing to export" in response.content.decode()
    assert not Job.objects.exists()
    chosen = client.get(reverse("annotations:export") + f"?format={fmt}&layer=consensus&article={corpus[0].pk}")
    assert "Nothing to export" not in (b"" if chosen.streaming else chosen.content).decode()  # a text alone


def test_a_large_web_export_streams_in_a_few_pieces_that_join_to_every_line(client, corpus, editor):
    revision = corpus[0].current
    text = revision.text
    starts = [i for i in range(len(text) - 30) if text[i] == " "][:600]
    for n, start in enumerate(starts):
        annotation_create(
            user=editor,
            revision=revision,
            start=start + 1,
            end=start + 25,
            exact=text[start + 1 : start + 25],
            tag=("claim", "opinion", "quote")[n % 3],
        )
    client.force_login(editor)
    response = client.get(reverse("annotations:export") + "?format=jsonl")
    pieces = list(response.streaming_content)
    body = b"".join(pieces)
    lines = body.decode().splitlines()
    assert len(lines) == len(starts) and all(json.loads(line)["tag"] for line in lines)
    assert 1 < len(pieces) <= len(body) // (64 * 1024) + 1  # pieces of 64 KiB, not a write a line


def test_a_web_export_is_named_by_what_it_holds(client, corpus, editor):
    text = corpus[0].current.text
    annotation_create(user=editor, revision=corpus[0].current, start=0, end=7, exact=text[:7], tag="claim")
    client.force_login(editor)
    one = client.get(reverse("annotations:export") + f"?format=jsonl&article={corpus[0].pk}&tag=claim")
    assert (
        one["Content-Disposition"]
        == f'attachment; filename="sinorus-annotations-article-{corpus[0].pk}-tag-claim.jsonl"'
    )
    every = client.get(reverse("annotations:export") + "?format=w3c")
    assert every["Content-Disposition"] == 'attachment; filename="sinorus-annotations.jsonld"'
