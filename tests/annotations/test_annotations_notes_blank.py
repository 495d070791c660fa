"""A note of invisible characters only (zero-width, bidi marks) is no note."""

from __future__ import annotations

from annotations.services.annotations import annotation_create


def test_a_note_of_invisible_characters_only_is_stored_as_no_note(article, alice):
    text = article.current.text
    made = annotation_create(
        user=alice, revision=article.current, start=0, end=20, exact=text[:20], tag="claim", note="\u200b\u202e\u2066"
    )
    assert made.note == ""
