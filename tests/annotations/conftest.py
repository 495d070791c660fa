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


XI_VISIT = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."  # seed 000 (Trenin)
XI_MOMENT = "Chinese President Xi Jinping’s recent visit to Moscow can be seen not merely as a diplomatic summit"  # 003


@pytest.fixture
def make_link():
    """Link two phrases of two articles' current revisions (in an activity's layer when given)."""
    from annotations.services.links import Passage, link_create

    def make(
        user, left, left_phrase, right, right_phrase, kind="same-event", note="", activity=None, layer="individual"
    ):
        ends = []
        for article, phrase in ((left, left_phrase), (right, right_phrase)):
            start = article.current.text.index(phrase)
            ends.append(Passage(article.current, start, start + len(phrase)))
        return link_create(
            user=user, first=ends[0], second=ends[1], kind=kind, note=note, activity=activity, layer=layer
        )

    return make


@pytest.fixture
def linked_pair(corpus):
    """The two seed articles that both open on Xi's visit to Moscow: Trenin's (000) and 003."""
    return corpus[0], corpus[3]


@pytest.fixture
def exercise(linked_pair, instructor, alice, bob):
    """A blind exercise on the pair that asks students to link; alice and bob have joined."""
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Activity, Tag
    from annotations.services.activities import activity_create, activity_join

    now = timezone.now()
    activity = activity_create(
        owner=instructor,
        kind=Activity.Kind.EXERCISE,
        title="Link the coverage",
        instructions="",
        articles=list(linked_pair),
        tags=Tag.objects.public(),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        blind=True,
        asks_links=True,
    )
    for student in (alice, bob):
        activity_join(user=student, code=activity.join_code)
    return activity
