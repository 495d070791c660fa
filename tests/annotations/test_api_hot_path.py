"""The API's create and list paths: the plain queries and fast paths keep every rule of the slow ones."""

from __future__ import annotations

import orjson
import pytest
from django.db import connection

from annotations.formats import w3c
from annotations.models import Annotation
from annotations.services.annotations import twin_query
from annotations.services.deletions import annotation_delete


@pytest.mark.parametrize("activity_id", [None, 7])
def test_twin_check_finds_the_passage_on_the_document_order_index(article, alice, activity_id):
    sql, params = twin_query(article.current.pk, alice.pk, 10, 50, 1, activity_id, Annotation.Layer.INDIVIDUAL)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # without statistics: what the unary + is for
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "annotation_document_order" in plan
            assert "start=? AND end=?" in plan
            return
        # PostgreSQL plans from its statistics; on a test's few rows it would scan the table, so
        # it is asked for its best index plan: one that finds the passage by revision and span.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "annotation_document_order" in plan or "annotation_revision_start" in plan, plan


def _expected_items(annotations, base="http://testserver") -> list[dict]:
    """The list's items as the API built them one dict at a time, from model instances."""
    return [
        w3c.annotation_doc(
            url=f"{base}/api/annotations/{a.pk}",
            source=w3c.revision_source(base, a.revision.article_id, a.revision.number),
            creator=a.annotator.username,
            creator_url=f"{base}/users/{a.annotator.username}",
            tag=a.tag.slug,
            note=a.note,
            start=a.start,
            end=a.end,
            exact=a.exact,
            prefix=a.prefix,
            suffix=a.suffix,
            created=a.created_at,
            modified=a.modified_at,
            version=a.version,
        )
        for a in annotations
    ]


def test_list_items_are_byte_for_byte_what_the_dict_serializer_wrote(client, article, alice, bob, make_annotation):
    make_annotation(alice, article, "Chinese President Xi Jinping’s visit", "claim", '<b>100%</b> "sure" \\ %s')
    make_annotation(bob, article, "visit to Moscow", "opinion")
    make_annotation(alice, article, "was not just symbolic.", "quote", "line\nbreak\ttab 😀")
    gone = make_annotation(bob, article, "Xi Jinping", "claim")
    annotation_delete(annotation=gone)
    client.force_login(alice)
    body = client.get(f"/api/articles/{article.pk}/annotations").content
    shown = Annotation.objects.alive().filter(revision=article.current).order_by("start", "-end", "pk")
    items = _expected_items(shown.select_related("annotator", "tag", "revision"))
    assert len(items) == 3
    expected = b'"items":' + orjson.dumps(items, option=orjson.OPT_OMIT_MICROSECONDS) + b"}"
    assert expected in body
    assert orjson.loads(body)["first"]["items"] == items


def test_writer_matches_annotation_doc_for_awkward_strings():
    base = 'http://h:8000/"x"%s'
    write = w3c.AnnotationWriter(
        api_prefix=f"{base}/api/annotations/", source=f"{base}/t.txt", users_prefix=f"{base}/u/"
    )
    for note in ("", "<i>%(pk)s</i> \x01 \\"):
        fields = {
            "tag": "claim",
            "note": note,
            "start": 0,
            "end": 12,
            "exact": '"quoted" %d 北京\u2028',
            "prefix": "",
            "suffix": "\x00",
            "created": "2026-01-02T03:04:05+00:00",
            "modified": "2026-01-02T03:04:06+00:00",
            "version": 3,
        }
        doc = w3c.annotation_doc(
            url=f"{base}/api/annotations/5",
            source=f"{base}/t.txt",
            creator="b%ob",
            creator_url=f"{base}/u/b%25ob",  # the name quoted in the id
            **fields,
        )
        assert write(pk=5, creator="b%ob", **fields) == orjson.dumps(doc)


def test_a_full_page_lists_what_paged_reading_lists(client, article, alice, make_annotation, settings):
    for phrase in ("Chinese President", "Xi Jinping’s visit", "to Moscow", "not just symbolic"):
        make_annotation(alice, article, phrase)
    client.force_login(alice)
    url = f"/api/articles/{article.pk}/annotations"
    settings.API_PAGE_SIZE = 4
    whole = client.get(url).json()["first"]["items"]
    settings.API_PAGE_SIZE = 3
    paged = client.get(url + "?page=0").json()["items"] + client.get(url + "?page=1").json()["items"]
    assert [i["id"] for i in whole] == [i["id"] for i in paged]
    assert len(whole) == 4
