"""Fixtures for the export and import tests: a small corpus with emoji, CJK and overlapping spans."""

from __future__ import annotations

import pytest

from annotations.services.annotations import annotation_create
from articles.services.revisions import article_import
from tests.annotations.helpers import TEXT, TRICKY


@pytest.fixture
def exporter(editor):
    """An editor: may export and import."""
    return editor


@pytest.fixture
def doc(db, alice, bob):
    """An article with four annotations by alice and bob, two of them overlapping, one with a note."""
    article = article_import(source="doc.txt", data=TEXT.encode()).article
    text = article.current.text

    def add(user, phrase, tag, note=""):
        start = text.index(phrase)
        return annotation_create(
            user=user, revision=article.current, start=start, end=start + len(phrase), exact=phrase, tag=tag, note=note
        )

    add(alice, "😀 grin", "claim", "<b>why</b> this")
    add(bob, "“curly quotes”", "quote")
    add(alice, "figure $245 billion", "claim")
    add(bob, "The 😀 grin, 北京 meets", "opinion")
    return article


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
