"""The API's create and list paths: the plain queries and fast paths keep every rule of the slow ones."""

from __future__ import annotations

import pytest
from django.db import connection

from annotations.models import Annotation
from annotations.services.annotations import twin_query


@pytest.mark.parametrize("activity_id", [None, 7])
def test_twin_check_finds_the_passage_on_the_document_order_index(article, alice, activity_id):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan without statistics; PostgreSQL plans from its own")
    sql, params = twin_query(article.current.pk, alice.pk, 10, 50, 1, activity_id, Annotation.Layer.INDIVIDUAL)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "annotation_document_order" in plan
    assert "start=? AND end=?" in plan
