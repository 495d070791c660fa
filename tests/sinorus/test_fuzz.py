"""Arbitrary JSON, offsets, Unicode and sizes at every write endpoint: never a 500, never a partial write."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.models import Annotation, Orphan

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=20,
)
KEYS = ["start", "end", "exact", "tag", "note", "version", "body", "target", "selector", "type", "value", "purpose"]
payloads = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional=dict.fromkeys(KEYS, json_values)),
    st.fixed_dictionaries(
        {
            "start": st.integers(-5, 10_000),
            "end": st.integers(-5, 10_000),
            "tag": st.sampled_from(["claim", "quote", "x", ""]),
        },
        optional={"exact": st.text(max_size=40), "note": st.text(max_size=300)},
    ),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.django_db
@given(payload=payloads)
@FUZZ
def test_annotation_create_never_errors_and_writes_all_or_nothing(client, alice, article, payload):
    client.force_login(alice)
    before = Annotation.objects.count()
    response = client.post(
        f"/api/articles/{article.pk}/annotations", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code in (201, 400), response.content[:300]
    assert Annotation.objects.count() == before + (response.status_code == 201)
    if response.status_code == 201:
        created = Annotation.objects.latest("pk")
        assert article.current.text[created.start : created.end] == created.exact


@pytest.mark.django_db
@given(raw=st.binary(max_size=400))
@FUZZ
def test_annotation_create_with_arbitrary_bytes_gets_a_400(client, alice, article, raw):
    client.force_login(alice)
    response = client.post(f"/api/articles/{article.pk}/annotations", raw, content_type="application/json")
    assert response.status_code in (201, 400)


@pytest.mark.django_db
@given(payload=payloads, if_match=st.text(max_size=10))
@FUZZ
def test_annotation_patch_never_errors_and_changes_all_or_nothing(
    client, alice, make_annotation, article, payload, if_match
):
    annotation = make_annotation(alice, article, "first trip abroad")
    client.force_login(alice)
    response = client.patch(
        f"/api/annotations/{annotation.pk}",
        json.dumps(payload),
        content_type="application/json",
        headers={"If-Match": if_match.encode("ascii", "ignore").decode()},
    )
    assert response.status_code in (200, 400, 409)
    fresh = Annotation.objects.get(pk=annotation.pk)
    assert fresh.version == (2 if response.status_code == 200 else 1)
    Annotation.objects.filter(pk=annotation.pk).delete()


@pytest.mark.django_db
@given(text=st.text(max_size=2000), name=st.sampled_from(["a.json", "b.jsonl", "c.jsonld"]))
@FUZZ
def test_annotation_import_of_arbitrary_text_raises_only_its_own_error(article, text, name):
    from annotations.services.imports import ImportFileError, annotations_import

    before = (Annotation.objects.count(), Orphan.objects.count())
    try:
        report = annotations_import(data=text.encode(), filename=name)
    except ImportFileError:
        assert (Annotation.objects.count(), Orphan.objects.count()) == before
    else:
        assert Annotation.objects.count() == before[0] + report.created


@pytest.mark.django_db
@given(
    fields=st.dictionaries(
        st.sampled_from(["tag", "note", "version", "body", "verdict", "label", "kind", "code"]),
        st.text(max_size=30),
        max_size=5,
    )
)
@FUZZ
def test_html_forms_never_error(client, alice, make_annotation, article, fields):
    from django.urls import reverse

    annotation = make_annotation(alice, article, "third term")
    client.force_login(alice)
    for url in [
        reverse("annotations:edit", args=[annotation.pk]),
        reverse("annotations:thread", args=[annotation.pk]),
        reverse("annotations:activity_join"),
        reverse("articles:alignment_correct"),
        reverse("signup"),
    ]:
        assert client.post(url, fields).status_code < 500
    Annotation.objects.filter(pk=annotation.pk).delete()


IMPORT_KEYS = [
    "article",
    "article_id",
    "revision",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "tag",
    "tags",
    "note",
    "text",
    "annotator",
    "user",
    "creator",
    "created",
    "modified",
    "updated",
    "version",
    "layer",
    "labels",
    "label",
    "id",
    "body",
    "target",
    "selector",
    "data",
    "annotations",
    "result",
    "value",
]
import_values = st.one_of(
    json_values,
    st.floats(),  # NaN and infinities, which Python's json writes and reads
    st.sampled_from(["2020-13-45T00:00:00", "2024-01-01T00:00:00Z", "doc.txt", "claim", "\ud800", "acct:x@h.is"]),
    st.integers(min_value=-(10**30), max_value=10**30),
)
import_items = st.fixed_dictionaries({}, optional=dict.fromkeys(IMPORT_KEYS, import_values))
import_files = st.one_of(
    st.lists(import_items, max_size=4).map(lambda items: json.dumps(items)),
    st.lists(import_items, max_size=4).map(lambda items: json.dumps({"rows": items})),
    st.lists(import_items, max_size=4).map(lambda items: json.dumps({"export_date": "x", "annotations": items})),
    st.lists(import_items, min_size=1, max_size=4).map(lambda items: "\n".join(json.dumps(i) for i in items)),
    st.lists(
        st.fixed_dictionaries(
            {"data": st.fixed_dictionaries({}, optional={"text": import_values, "article": import_values})},
            optional={
                "annotations": st.lists(
                    st.fixed_dictionaries(
                        {
                            "result": st.lists(
                                st.fixed_dictionaries(
                                    {"type": st.sampled_from(["labels", "textarea"])},
                                    optional={"value": import_items, "id": import_values},
                                ),
                                max_size=3,
                            )
                        },
                        optional={"completed_by": import_values},
                    ),
                    max_size=2,
                )
            },
        ),
        max_size=3,
    ).map(json.dumps),
)


@pytest.mark.django_db
@given(text=import_files, name=st.sampled_from(["a.json", "b.jsonl"]))
@FUZZ
def test_annotation_import_of_arbitrary_annotations_names_each_bad_item_and_never_crashes(article, text, name):
    """Any shape of item, any value: an ImportFileError for the file, or a report naming each item."""
    from annotations.services.imports import ImportFileError, annotations_import

    before = (Annotation.objects.count(), Orphan.objects.count())
    try:
        report = annotations_import(data=text.encode("utf-8", "surrogatepass"), filename=name)
    except ImportFileError:
        assert (Annotation.objects.count(), Orphan.objects.count()) == before
    else:
        assert Annotation.objects.count() == before[0] + report.created
        assert Orphan.objects.count() == before[1] + len(report.orphans)
