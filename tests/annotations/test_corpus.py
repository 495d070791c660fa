from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from annotations.formats import nlp
from annotations.models import Annotation, Orphan
from annotations.services.annotations import annotation_create
from annotations.services.corrections import article_text_correct
from annotations.services.exports import ExportFilter, write_export
from annotations.services.imports import ImportFileError, annotations_import
from articles.services.revisions import article_import

SHARED = Path(__file__).resolve().parents[3] / "shared"
TRICKY = "Emoji 😀 and 漢字 headline test\n\nThe 😀 grin, 北京 meets “curly quotes”, commas, and more.\n\nA second paragraph with the figure $245 billion here.\n"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", password="eddie-pass-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def tricky(db, alice, bob):
    """An article with emoji, CJK, quotes, commas, and annotations whose notes hold newlines and a formula."""
    article = article_import(source="tricky.txt", data=TRICKY.encode()).article
    text = article.current.text

    def add(user, phrase, tag, note=""):
        start = text.index(phrase)
        return annotation_create(
            user=user, revision=article.current, start=start, end=start + len(phrase), exact=phrase, tag=tag, note=note
        )

    add(alice, "😀 grin, 北京 meets", "claim", '=HYPERLINK("x")\nsecond line, with comma')
    add(bob, "“curly quotes”", "quote", "+1 quote")
    add(alice, "figure $245 billion here.\n\nx" if False else "figure $245 billion", "claim", "@mention")
    add(bob, "The 😀 grin, 北京 meets “curly quotes”, commas, and more.\n\nA second", "opinion")
    return article


def export_text(fmt: str, flt: ExportFilter | None = None) -> str:
    out = io.StringIO()
    write_export(fmt, None, flt or ExportFilter(), out)
    return out.getvalue()


def export_zip(fmt: str) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_export(fmt, None, ExportFilter(), out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


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


def test_w3c_export_passes_the_test_suites_must_assertions(tricky, tmp_path):
    path = tmp_path / "export.jsonld"
    path.write_text(export_text("w3c"), encoding="utf-8")
    checker = SHARED / "tools" / "check_w3c_annotations.py"
    import subprocess

    result = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True)
    assert "4 annotations checked, 4 passed, 0 failed" in result.stdout, result.stdout + result.stderr


def test_w3c_export_is_valid_against_the_schemas_checked_here(tricky):
    """The same 'must' schemas, run in-process with jsonschema on a collection this test builds."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    suite = SHARED / "w3c-annotation-model"
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
    from annotations.formats.w3c import iter_annotations, iter_collection
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
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Tag
    from annotations.services.activities import activity_create, activity_join

    teacher = django_user_model.objects.create_user("teach")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    now = timezone.now()
    activity = activity_create(
        owner=teacher,
        kind="exercise",
        title="t",
        instructions="",
        articles=corpus[:1],
        tags=Tag.objects.all(),
        opens_at=now - timedelta(1),
        closes_at=now + timedelta(1),
        blind=True,
    )
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
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Tag
    from annotations.services.activities import activity_create

    other = activity_create(
        owner=editor,
        kind="review",
        title="r",
        instructions="",
        articles=corpus[:1],
        tags=Tag.objects.all(),
        opens_at=timezone.now() - timedelta(1),
        closes_at=timezone.now() + timedelta(1),
        blind=True,
    )
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
    assert b"".join(public.streaming_content) == b""


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

    response = client.post(reverse("annotations:import"), {"file": SimpleUploadedFile("x.jsonld", data.encode())})
    assert "0 annotations imported" in response.content.decode() and "1 kept as orphans" in response.content.decode()
    assert "gone text" in client.get(reverse("annotations:orphans")).content.decode()


# ---------------------------------------------------------------- corrected texts


def test_correction_keeps_the_old_revision_and_reanchors_annotations(tricky, editor):
    old_revision = tricky.current
    text = old_revision.text
    ids = set(old_revision.annotations.values_list("pk", flat=True))
    corrected = "Inserted words at the start. " + text.replace("commas, and more", "commas and more").replace(
        "A second paragraph", "A 2nd paragraph"
    )
    revision, moved, orphaned = article_text_correct(editor=editor, article=tricky, text=corrected)
    old_revision.refresh_from_db()
    assert revision.number == 2 and old_revision.text == text  # the old text is kept
    assert moved + orphaned == 4
    assert set(revision.annotations.values_list("pk", flat=True)) <= ids  # the same annotations moved
    for annotation in Annotation.objects.filter(revision=revision):
        assert revision.text[annotation.start : annotation.end] == annotation.exact
    assert Annotation.objects.filter(revision=revision, exact="“curly quotes”").exists()


def test_a_highlight_whose_text_was_deleted_becomes_an_orphan_with_its_quote(tricky, editor):
    text = tricky.current.text
    corrected = text.replace("A second paragraph with the figure $245 billion here.", "A rewritten ending.")
    _revision, _moved, orphaned = article_text_correct(editor=editor, article=tricky, text=corrected)
    assert orphaned == 1
    orphan = Orphan.objects.get()
    assert orphan.exact == "figure $245 billion" and orphan.origin == "correction"


def test_orphans_can_be_reattached_or_dismissed(client, tricky, editor):
    text = tricky.current.text
    article_text_correct(editor=editor, article=tricky, text=text.replace("figure $245 billion", "number"))
    orphan = Orphan.objects.get()
    client.force_login(editor)
    client.post(reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": "number"})
    orphan.refresh_from_db()
    assert orphan.resolution == "reattached"
    assert Annotation.objects.filter(revision=tricky.current, exact="number").exists()


def test_only_editors_correct_text(client, tricky, alice, editor):
    url = reverse("annotations:correct", args=[tricky.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "  "}).status_code == 400
    tricky.refresh_from_db()
    assert tricky.current.number == 1
