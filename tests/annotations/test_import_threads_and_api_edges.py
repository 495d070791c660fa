"""Edge cases of Hypothesis threads on import, the API's preconditions and bodies, orphans with
unusual tags and malformed alignment corrections: each once a defect, each answered now."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation, Orphan
from annotations.services.imports import annotations_import
from tests.annotations.helpers import hypothesis_row
from tests.factories import make_activity


def _hyp(**extra) -> dict:
    return hypothesis_row(**{"text": "Root note", "tags": ["claim"], **extra})


def _import(rows, doc, **kw):
    return annotations_import(data=json.dumps({"rows": rows}).encode(), filename="h.json", article=doc, **kw)


# ---------------------------------------------------------------- Hypothesis replies


def test_a_hypothesis_reply_imported_by_one_user_is_not_added_to_another_instructors_activity(
    doc, instructor, editor, alice
):
    # a reply's annotation is looked for only in the layer the import writes to
    Annotation.objects.all().delete()
    exercise = make_activity(instructor, [doc], blind=True)
    # the instructor imported the Hypothesis export into their exercise (annotation hyp-1 lives there)
    _import([_hyp()], doc, importer=instructor, activity=exercise)
    theirs = Annotation.objects.get(import_key="hyp-1", activity=exercise)
    # an editor imports a file holding a reply to hyp-1 into the public layer
    reply = _hyp(id="hyp-r1", text="Injected reply", references=["hyp-1"], tags=[], user="acct:eve@hypothes.is")
    _import([reply], doc, importer=editor)
    assert not theirs.replies.exists(), "a reply from a public-layer import landed in another instructor's exercise"


def test_a_hypothesis_reply_goes_to_the_annotation_of_the_activity_imported_into(doc, editor):
    Annotation.objects.all().delete()
    first = make_activity(editor, [doc], title="first")
    second = make_activity(editor, [doc], title="second")
    _import([_hyp()], doc, importer=editor, activity=first)
    original = Annotation.objects.get()
    mine = Annotation.objects.create(
        revision=doc.current,
        annotator=original.annotator,
        tag=original.tag,
        activity=second,
        start=original.start,
        end=original.end,
        exact=original.exact,
        import_key="hyp-1",
    )
    reply = _hyp(id="hyp-r1", text="For the second activity", references=["hyp-1"], tags=[])
    _import([reply], doc, importer=editor, activity=second)
    assert mine.replies.count() == 1 and not original.replies.exists(), "the reply went to the other activity"


def test_a_hypothesis_reply_to_a_reply_joins_the_thread_instead_of_becoming_an_orphan(doc):
    Annotation.objects.all().delete()
    root = _hyp()
    first = _hyp(id="hyp-r1", text="First reply", references=["hyp-1"], tags=[])
    nested = _hyp(id="hyp-r2", text="Reply to the reply", references=["hyp-1", "hyp-r1"], tags=[])
    report = _import([root, first, nested], doc)
    parent = Annotation.objects.get(import_key="hyp-1")
    assert not report.orphans, report.orphans
    assert sorted(parent.replies.values_list("body", flat=True)) == ["<p>First reply</p>", "<p>Reply to the reply</p>"]


# ---------------------------------------------------------------- orphans


def test_an_orphan_whose_tag_is_a_custom_tag_with_an_accent_can_be_reattached(client, doc, instructor):
    from annotations.models import Activity, Tag
    from annotations.services.activities import activity_create

    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    activity = activity_create(
        owner=instructor,
        kind=Activity.Kind.EXERCISE,
        title="Évaluations",
        instructions="",
        articles=[doc],
        tags=Tag.objects.public(),
        opens_at=now,
        closes_at=now + __import__("datetime").timedelta(days=1),
        blind=True,
        custom_tags=[("Évaluation", "a judgement of value")],
    )
    custom = activity.tags.get(owner=instructor)
    orphan = Orphan.objects.create(
        origin=Orphan.Origin.IMPORT,
        article=doc,
        activity=activity,
        tag=custom.slug,
        exact="“curly quotes”",
        reason="the quoted text was not found in the article",
    )
    client.force_login(instructor)
    page = client.get(reverse("annotations:orphans")).content.decode()
    assert f'<option value="{custom.slug}" selected>' in page  # the page offers it, selected
    response = client.post(
        reverse("annotations:orphan_resolve", args=[orphan.pk]),
        {"exact": "“curly quotes”", "article": doc.pk, "tag": custom.slug},
    )
    orphan.refresh_from_db()
    errors = [line for line in response.content.decode().splitlines() if "Not re-attached" in line]
    assert orphan.resolution == "reattached", errors  # refused: "choose a passage (and an article that exists)"


# ---------------------------------------------------------------- API

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."


def test_the_api_reads_a_hypothesis_json_ld_note_and_tag_as_the_importer_does(client, article, alice):
    client.force_login(alice)
    payload = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "A note", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
        ],
        "target": {"selector": {"type": "TextQuoteSelector", "exact": PHRASE}},
    }
    response = client.post(
        f"/api/articles/{article.pk}/annotations", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    stored = Annotation.objects.get()
    assert (stored.tag.slug, stored.note) == ("claim", "A note")


def test_a_stale_if_match_is_412_precondition_failed_and_a_weak_etag_does_not_match(
    client, article, alice, make_annotation
):
    # RFC 9110 13.1.1: an If-Match that does not match is 412, compared strongly (W/"1" never matches)
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = f"/api/annotations/{annotation.pk}"
    bumped = client.patch(url, json.dumps({"note": "x"}), content_type="application/json", headers={"If-Match": "*"})
    assert bumped.status_code == 200 and bumped["ETag"] == '"2"'
    stale = client.delete(url, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    weak = client.delete(url, headers={"If-Match": 'W/"2"'})
    assert weak.status_code == 412 and Annotation.objects.alive().filter(pk=annotation.pk).exists()


def test_an_if_match_header_is_not_ignored_when_the_body_names_a_version(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = f"/api/annotations/{annotation.pk}"
    bumped = client.patch(
        url, json.dumps({"note": "first"}), content_type="application/json", headers={"If-Match": "*"}
    )
    assert bumped.status_code == 200 and bumped["ETag"] == '"2"'
    response = client.patch(
        url, json.dumps({"note": "second", "version": 2}), content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert response.status_code in (409, 412)


def test_the_same_hypothesis_file_imported_into_a_second_activity_imports_its_annotations_there(doc, editor):
    Annotation.objects.all().delete()
    first = make_activity(editor, [doc], title="first")
    second = make_activity(editor, [doc], title="second")
    rows = [_hyp(), _hyp(id="hyp-r1", text="A reply", references=["hyp-1"], tags=[])]
    _import(rows, doc, importer=editor, activity=first)
    report = _import(rows, doc, importer=editor, activity=second)
    assert report.created == 1, report.summary()
    assert Annotation.objects.get(activity=second).replies.count() == 1


def test_two_distinct_hypothesis_replies_with_the_same_words_are_both_kept(doc):
    Annotation.objects.all().delete()
    first = _hyp(id="hyp-r1", text="Agreed.", references=["hyp-1"], tags=[], created="2024-03-01T11:00:00+00:00")
    second = _hyp(id="hyp-r2", text="Agreed.", references=["hyp-1"], tags=[], created="2024-03-05T09:00:00+00:00")
    _import([_hyp(), first, second], doc)
    assert Annotation.objects.get().replies.count() == 2


# ---------------------------------------------------------------- alignment corrections


@pytest.mark.parametrize(
    "post",
    [
        {"kind": "rename", "start": "abc", "label": "x"},
        {"kind": "accept", "start": "0", "target_start": str(2**70)},
    ],
    ids=["non-number-start", "huge-target-start"],
)
def test_a_malformed_alignment_correction_is_refused_with_a_message_not_a_500(client, corpus, editor, post):
    client.force_login(editor)
    data = {"article": corpus[0].pk, "target_article": corpus[1].pk, **post}
    response = client.post(reverse("articles:alignment_correct"), data)
    assert response.status_code < 500


# ---------------------------------------------------------------- dates and ids at the edges


@pytest.mark.parametrize(
    "field", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-01:00"], ids=["before-year-1", "after-9999"]
)
def test_a_date_no_database_stores_makes_that_annotation_an_orphan_and_the_rest_imports(doc, editor, field):
    Annotation.objects.all().delete()
    rows = [_hyp(), _hyp(id="hyp-2", created=field, target=_hyp()["target"])]
    report = _import(rows, doc, importer=editor)
    assert report.created == 1, report.summary()
    assert any("created is not a valid date and time" in line for line in report.orphans)


@pytest.mark.parametrize("path", ["/exports/?activity=²", "/exports/?article=²"])
def test_a_unicode_digit_as_an_id_is_an_invalid_choice_not_a_500(client, editor, corpus, path):
    client.force_login(editor)
    assert client.get(path).status_code in (200, 400)
