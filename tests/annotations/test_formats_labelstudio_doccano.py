"""Label Studio tasks and doccano JSONL: the shapes those tools read, and a round trip through each."""

from __future__ import annotations

import json

import pytest

from annotations.models import Annotation
from annotations.services.imports import annotations_import
from tests.annotations.helpers import export


def _spans():
    return sorted(
        (s, e, t, u.removeprefix("import:"))
        for s, e, t, u in Annotation.objects.values_list("start", "end", "tag__slug", "annotator__username")
    )


def test_label_studio_tasks_have_text_results_and_completed_by(doc):
    (task,) = json.loads(export("labelstudio"))
    assert task["data"]["text"] == doc.current.text
    by = {a["created_username"]: a for a in task["annotations"]}
    assert set(by) == {"alice", "bob"} and all(isinstance(a["completed_by"], int) for a in by.values())
    labels = [r for r in by["alice"]["result"] if r["type"] == "labels"]
    for result in labels:
        value = result["value"]
        assert doc.current.text[value["start"] : value["end"]] == value["text"]
        assert value["labels"] == ["claim"]
    note = next(r for r in by["alice"]["result"] if r["type"] == "textarea")
    assert note["value"]["text"] == ["<b>why</b> this"]


def test_doccano_lines_are_text_and_start_end_tag_per_document_and_annotator(doc):
    lines = [json.loads(x) for x in export("doccano").splitlines()]
    assert {line["annotator"] for line in lines} == {"alice", "bob"}
    for line in lines:
        assert line["text"] == doc.current.text
        assert all(isinstance(s, int) and isinstance(e, int) and isinstance(t, str) for s, e, t in line["label"])


@pytest.mark.parametrize(("fmt", "name"), [("labelstudio", "tasks.json"), ("doccano", "all.jsonl")])
def test_round_trip_keeps_every_span_tag_and_author(doc, fmt, name):
    data = export(fmt)
    before = _spans()
    Annotation.objects.all().delete()
    report = annotations_import(data=data.encode(), filename=name)
    assert report.created == 4 and not report.orphans
    assert _spans() == before


def test_a_label_studio_task_without_an_article_name_is_matched_by_its_text(doc):
    tasks = json.loads(export("labelstudio"))
    del tasks[0]["data"]["article"]
    Annotation.objects.all().delete()
    assert annotations_import(data=json.dumps(tasks).encode(), filename="t.json").created == 4


def test_label_studio_notes_come_back_sanitized(doc):
    tasks = json.loads(export("labelstudio"))
    for annotation in tasks[0]["annotations"]:
        for result in annotation["result"]:
            if result["type"] == "textarea":
                result["value"]["text"] = ['<img src=x onerror=alert(1)><div hx-get="/x">hi</div>']
    Annotation.objects.all().delete()
    annotations_import(data=json.dumps(tasks).encode(), filename="t.json")
    note = Annotation.objects.exclude(note="").get().note
    assert "onerror" not in note and "hx-get" not in note and "hi" in note


def test_a_doccano_file_of_annotations_already_here_with_notes_adds_nothing(doc):
    """doccano carries no notes: its copy of annotations imported from W3C with their notes is the same work."""
    w3c = export("w3c")
    doccano = export("doccano")
    before = Annotation.objects.count()
    assert any(a.note for a in Annotation.objects.all())
    Annotation.objects.all().delete()
    annotations_import(data=w3c.encode(), filename="all.jsonld", article=doc)
    assert Annotation.objects.count() == before
    report = annotations_import(data=doccano.encode(), filename="all.doccano.jsonl", article=doc)
    assert report.created == 0 and Annotation.objects.count() == before
