"""Links in exports: W3C linking annotations with two targets; other formats hold highlights only."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.services.exports import ExportFilter, write_export
from annotations.services.imports import annotations_import
from tests.annotations.conftest import XI_MOMENT, XI_VISIT

W3C_SUITE = Path(__file__).resolve().parents[1] / "data"  # vendored from the W3C annotation test suite


def _export(fmt: str, flt: ExportFilter | None = None, user=None) -> str:
    out = io.StringIO()
    write_export(fmt, user, flt or ExportFilter(), out)
    return out.getvalue()


def _links_in(doc: dict) -> list[dict]:
    return [item for item in doc["first"]["items"] if item["motivation"] == "linking"]


def _export_with_a_lost_second_end() -> dict:
    """The W3C export with its link's second passage one no article holds."""
    doc = json.loads(_export("w3c"))
    (item,) = _links_in(doc)
    for selector in item["target"][1]["selector"]:
        if selector["type"] == "TextQuoteSelector":
            selector["exact"] = "words no article holds anywhere at all"
        else:
            selector["start"], selector["end"] = 10**6, 10**6 + 5
    return doc


@pytest.fixture
def linked(linked_pair, alice, make_link, make_annotation):
    left, right = linked_pair
    make_annotation(alice, left, XI_VISIT, "claim")
    return make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="contradicts", note="<b>not</b> the same")


def test_a_link_is_a_linking_annotation_with_its_kind_note_and_two_anchored_targets(linked, linked_pair):
    left, right = linked_pair
    doc = json.loads(_export("w3c"))
    assert doc["total"] == 2
    (item,) = _links_in(doc)
    assert item["body"][0] == {"type": "TextualBody", "purpose": "classifying", "value": "contradicts"}
    assert item["body"][1]["purpose"] == "commenting" and item["body"][1]["value"] == "<b>not</b> the same"
    first, second = item["target"]
    assert first["source"].endswith(f"/articles/{left.pk}/revisions/{left.current.number}.txt")
    assert second["schema:name"] == right.source
    for target, article, phrase in ((first, left, XI_VISIT), (second, right, XI_MOMENT)):
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"] == phrase
        assert article.current.text[position["start"] : position["end"]] == phrase


def test_the_w3c_export_with_links_is_valid_against_the_w3c_schemas(linked):
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
    (item,) = _links_in(json.loads(_export("w3c")))
    assert all(v.is_valid(item) for v in validators)


def test_the_w3c_test_suite_checker_passes_an_export_with_links(linked, tmp_path):
    path = tmp_path / "export.jsonld"
    path.write_text(_export("w3c"), encoding="utf-8")
    checker = W3C_SUITE / "check_w3c_annotations.py"
    result = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True)
    assert "2 annotations checked, 2 passed, 0 failed" in result.stdout, result.stdout + result.stderr


def test_jsonl_and_csv_hold_highlights_only(linked):
    assert len(_export("jsonl").splitlines()) == 1
    assert len(_export("csv").splitlines()) == 2  # header and the highlight


def test_a_filter_on_a_tag_leaves_links_out_and_one_on_an_article_keeps_them(linked, linked_pair):
    assert not _links_in(json.loads(_export("w3c", ExportFilter(tag="claim"))))
    assert len(_links_in(json.loads(_export("w3c", ExportFilter(article_ids=[linked_pair[1].pk]))))) == 1


def test_an_exercises_links_carry_pseudonyms_and_are_exported_only_to_who_may_see_them(
    linked_pair, exercise, instructor, alice, make_link
):
    left, right = linked_pair
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise)
    (item,) = _links_in(json.loads(_export("w3c", ExportFilter(activity=exercise), user=instructor)))
    assert item["creator"]["nickname"] == "annotator-1" and item["schema:additionalType"] == "individual"
    assert not _links_in(json.loads(_export("w3c", ExportFilter(), user=instructor)))  # not public


def test_an_exported_link_is_imported_back_with_its_kind_note_and_both_passages_once(linked, linked_pair):
    from annotations.models import Link

    left, right = linked_pair
    data = _export("w3c").encode()
    Annotation.objects.all().delete()
    Link.objects.all().delete()
    report = annotations_import(data=data, filename="export.jsonld")
    assert report.created == 1 and report.links == 1 and not report.orphans
    assert "1 link between passages imported" in report.summary()
    link = Link.objects.get()
    assert (link.kind, link.note, link.annotator.username) == ("contradicts", "<b>not</b> the same", "import:alice")
    ends = sorted((e.revision.article_id, e.exact) for e in link.ends.all())
    assert ends == sorted([(left.pk, XI_VISIT), (right.pk, XI_MOMENT)])
    again = annotations_import(data=data, filename="export.jsonld")
    assert again.links == 0 and Link.objects.count() == 1  # nothing twice


def test_a_link_whose_passage_is_gone_is_kept_as_an_orphan_that_says_so(linked, linked_pair):
    from annotations.models import Link, Orphan

    doc = _export_with_a_lost_second_end()
    Link.objects.all().delete()
    report = annotations_import(data=json.dumps(doc).encode(), filename="export.jsonld")
    assert report.links == 0 and not Link.objects.exists()
    assert any("a link whose passage in" in o.reason for o in Orphan.objects.all())


@pytest.mark.parametrize("bad", ["abc", [1, 2], {"at": 3}, True, 1.5])
def test_a_link_whose_position_is_not_a_whole_number_is_an_orphan_naming_the_field(linked, bad):
    from annotations.models import Link, Orphan

    doc = json.loads(_export("w3c"))
    (item,) = _links_in(doc)
    for selector in item["target"][1]["selector"]:
        if selector["type"] == "TextPositionSelector":
            selector["start"] = bad
    Link.objects.all().delete()
    report = annotations_import(data=json.dumps(doc).encode(), filename="export.jsonld")
    assert report.links == 0 and not Link.objects.exists()
    (orphan,) = [o for o in Orphan.objects.all() if "a link" in o.reason]
    assert "start must be a whole number" in orphan.reason


def test_a_link_whose_note_is_over_the_limit_is_an_orphan_not_cut_or_emptied(linked):
    from annotations.models import Link, Orphan

    doc = json.loads(_export("w3c"))
    (item,) = _links_in(doc)
    long_note = '<a href="https://example.org/' + "x" * 5000 + '">source</a> my whole note'
    item["body"] = [b for b in item["body"] if b.get("purpose") == "classifying"] + [
        {"type": "TextualBody", "purpose": "commenting", "value": long_note, "format": "text/html"}
    ]
    Link.objects.all().delete()
    report = annotations_import(data=json.dumps(doc).encode(), filename="export.jsonld")
    assert report.links == 0 and not Link.objects.exists()
    assert any("a link whose note is over 5,000 characters" in o.reason for o in Orphan.objects.all())


def test_an_orphaned_link_re_attached_is_a_link_again_by_its_author_with_its_kind_and_note(
    client, linked, linked_pair, instructor
):
    from annotations.models import Link, Orphan

    left, right = linked_pair
    doc = _export_with_a_lost_second_end()
    Link.objects.all().delete()
    annotations_import(data=json.dumps(doc).encode(), filename="export.jsonld")
    orphan = Orphan.objects.get(reason__startswith="a link")
    client.force_login(instructor)
    page = client.get(reverse("annotations:orphans")).content.decode()
    assert (
        "link: contradicts" in page
        and "import:alice" in page
        and 'name="tag"' not in page.split(f'id="o{orphan.pk}"')[1]
    )
    data = {"exact": XI_MOMENT, "article": right.pk}
    response = client.post(reverse("annotations:orphan_resolve", args=[orphan.pk]), data, follow=True)
    assert "Re-attached as link" in response.content.decode()
    link = Link.objects.get()
    assert (link.kind, link.note, link.annotator.username) == ("contradicts", "<b>not</b> the same", "import:alice")
    assert sorted((e.revision.article_id, e.exact) for e in link.ends.all()) == sorted(
        [(left.pk, XI_VISIT), (right.pk, XI_MOMENT)]
    )
    assert not Annotation.objects.filter(annotator=instructor).exists()  # not a highlight by whoever re-attached it
