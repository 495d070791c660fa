"""What an import brings stays where it came and in the hands of who looks after imports: an answer
key's orphan is re-attached to the key, an imported annotation is deleted and restored by its
activity's owner (but not behind a verdict), and nothing in a file makes a 500."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation, Decision, Link, Orphan
from annotations.services.activities import activity_join, decision_record
from annotations.services.imports import annotations_import
from tests.annotations.conftest import XI_MOMENT, XI_VISIT
from tests.factories import make_activity


def _row(article, phrase: str, **extra) -> dict:
    text = article.current.text
    start = text.index(phrase) if phrase in text else 0
    return {
        "article_id": article.pk,
        "start": start,
        "end": start + len(phrase),
        "exact": phrase,
        "tag": "claim",
        "annotator": "teacher",
        **extra,
    }


def _w3c_link(left, right, **changes) -> dict:
    def target(article, phrase):
        start = article.current.text.index(phrase)
        return {
            "source": f"http://127.0.0.1:8000/articles/{article.pk}/revisions/{article.current.number}.txt",
            "selector": [
                {"type": "TextQuoteSelector", "exact": phrase},
                {"type": "TextPositionSelector", "start": start, "end": start + len(phrase)},
            ],
        }

    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "linking",
        "creator": "teacher",
        "schema:additionalType": "key",
        "body": [{"type": "TextualBody", "purpose": "classifying", "value": "same-event"}],
        "target": [target(left, XI_VISIT), target(right, XI_MOMENT)],
    }
    item.update(changes)
    return item


def test_an_answer_keys_orphans_are_re_attached_to_the_key_not_as_student_work(client, linked_pair, instructor, alice):
    left, right = linked_pair
    exercise = make_activity(instructor, [left, right], blind=False)
    activity_join(user=alice, code=exercise.join_code)
    lost = _row(left, "KEYSECRET words no article holds", layer="key", start=None, end=None)
    link = _w3c_link(left, right)
    link["target"][1]["selector"] = [{"type": "TextQuoteSelector", "exact": "KEYSECRET-L nowhere"}]
    for data, name in ((json.dumps(lost), "a.jsonl"), (json.dumps([link]), "l.jsonld")):
        annotations_import(data=data.encode(), filename=name, activity=exercise, importer=instructor)
    assert set(Orphan.objects.values_list("layer", flat=True)) == {"key"}
    client.force_login(instructor)
    for orphan in Orphan.objects.all():
        phrase, article = (XI_MOMENT, right) if orphan.payload.get("link") else (XI_VISIT, left)
        response = client.post(
            reverse("annotations:orphan_resolve", args=[orphan.pk]),
            {"exact": phrase, "article": article.pk, "tag": "claim"},
        )
        assert response.status_code == 302
    assert (
        Annotation.objects.get(activity=exercise).layer == "key" and Link.objects.get(activity=exercise).layer == "key"
    )
    client.force_login(alice)  # the exercise is not revealed: the key stays the instructor's
    page = client.get(reverse("annotations:reader", args=[left.pk]) + f"?activity={exercise.pk}").content.decode()
    assert "teacher" not in page


def test_an_imported_annotation_in_an_activity_is_deleted_and_restored_by_its_owner_but_not_behind_a_verdict(
    client, corpus, instructor
):
    review = make_activity(instructor, corpus[:1], kind="review", blind=False)
    article = corpus[0]
    phrase = article.current.text[:30]
    annotations_import(
        data=json.dumps(_row(article, phrase)).encode(), filename="a.jsonl", activity=review, importer=instructor
    )
    imported = Annotation.objects.get()
    client.force_login(instructor)
    assert client.delete(f"/api/annotations/{imported.pk}").status_code == 204
    assert client.post(reverse("annotations:restore", args=[imported.pk])).status_code == 302
    imported.refresh_from_db()
    assert imported.deleted_at is None  # restored (it had been a 404: a deletion nobody could undo)
    from annotations.models import AuditEvent

    trail = list(AuditEvent.objects.filter(activity=review).order_by("pk").values_list("actor__username", "action"))
    assert trail[-2:] == [("ines", "deleted"), ("ines", "restored")]  # who did it, not the import identity
    decision_record(editor=instructor, annotation=imported, verdict=Decision.Verdict.ACCEPT)
    assert client.delete(f"/api/annotations/{imported.pk}").status_code == 403  # the consensus stands on it
    assert client.post(reverse("annotations:undecide", args=[imported.pk])).status_code in (200, 302)
    assert client.delete(f"/api/annotations/{imported.pk}").status_code == 204


@pytest.mark.parametrize(
    "change",
    [
        {
            "body": [
                {"type": "TextualBody", "purpose": "classifying", "value": "same-event"},
                {"type": "TextualBody", "value": "a\ud800b"},
            ]
        },
        {"creator": "Bad\ud800Name\x00"},
        {"target": "unfound end"},
        {"target": "nan"},
    ],
)
def test_an_imported_link_with_broken_text_or_numbers_is_imported_or_an_orphan_never_a_500(
    client, linked_pair, instructor, change
):
    left, right = linked_pair
    item = _w3c_link(left, right, **{"schema:additionalType": "individual"})
    if change.get("target") == "unfound end":
        item["target"][1]["selector"] = [{"type": "TextQuoteSelector", "exact": "zz\udfffzz"}]
    elif change.get("target") == "nan":
        item["target"][1]["selector"][1]["start"] = float("nan")
    else:
        item.update(change)
    data = json.dumps([item]).encode("utf-8", "surrogatepass")
    report = annotations_import(data=data, filename="l.jsonld", importer=instructor)
    assert report.links + len(report.orphans) == 1
    for orphan in Orphan.objects.all():  # an orphan is still a link, re-attached as one
        assert orphan.payload.get("link") is True
        client.force_login(instructor)
        client.post(reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": XI_MOMENT, "article": right.pk})
        assert Link.objects.count() == 1 and not Annotation.objects.filter(annotator=instructor).exists()


def test_an_imported_link_is_deleted_by_who_looks_after_imports_and_by_nobody_else(client, linked_pair, editor, alice):
    left, right = linked_pair
    item = _w3c_link(left, right, **{"schema:additionalType": "individual"})
    annotations_import(data=json.dumps([item]).encode(), filename="l.jsonld", importer=editor)
    link = Link.objects.get()
    url = reverse("annotations:link_delete", args=[link.pk])
    client.force_login(alice)
    assert client.post(url).status_code == 403
    client.force_login(editor)
    page = client.get(reverse("annotations:reader", args=[left.pk])).content.decode()
    assert ">Delete link</button>" in page
    assert client.post(url).status_code in (200, 302)
    link.refresh_from_db()
    assert link.deleted_at is not None  # a mistaken import of links is undone too


@pytest.mark.parametrize("layer", ["key", "KEY", ["key"], "consensus"])
def test_an_answer_keys_or_a_consensuss_items_are_kept_out_of_the_public_layer(client, linked_pair, instructor, layer):
    left, right = linked_pair
    rows = [_row(left, XI_VISIT, layer=layer, note="KEYNOTE secret")]
    report = annotations_import(data=json.dumps(rows[0]).encode(), filename="a.jsonl", importer=instructor)
    link = _w3c_link(left, right, **{"schema:additionalType": layer})
    links = annotations_import(data=json.dumps([link]).encode(), filename="l.jsonld", importer=instructor)
    assert report.created == 0 and links.links == 0 and not Annotation.objects.exists() and not Link.objects.exists()
    assert Orphan.objects.count() == 2 and all("not the public layer" in o.reason for o in Orphan.objects.all())
    client.force_login(instructor)
    (orphan,) = [o for o in Orphan.objects.all() if not o.payload.get("link")]
    page = client.post(
        reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": XI_VISIT, "article": left.pk, "tag": "claim"}
    )
    assert page.status_code == 400 and not Annotation.objects.exists()  # not re-attached into the public layer either


def test_our_exports_answer_key_author_goes_back_to_the_key(linked_pair, instructor, alice):
    left, right = linked_pair
    exercise = make_activity(instructor, [left, right], blind=False)
    row = _row(left, XI_VISIT, annotator="answer-key")  # Label Studio, doccano and XMI name the key so
    report = annotations_import(
        data=json.dumps(row).encode(), filename="a.jsonl", activity=exercise, importer=instructor
    )
    assert report.created == 1 and Annotation.objects.get().layer == "key"
    annotations_import(data=json.dumps(row).encode(), filename="a.jsonl", importer=instructor)
    assert Annotation.objects.count() == 1 and Orphan.objects.get().layer == "key"  # public: kept out
