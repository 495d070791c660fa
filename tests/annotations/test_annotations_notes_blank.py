"""A note of invisible characters only (zero-width, bidi marks) is no note."""

from __future__ import annotations

from annotations.services.annotations import annotation_create


def test_a_note_of_invisible_characters_only_is_stored_as_no_note(article, alice):
    text = article.current.text
    made = annotation_create(
        user=alice, revision=article.current, start=0, end=20, exact=text[:20], tag="claim", note="\u200b\u202e\u2066"
    )
    assert made.note == ""


def test_a_note_or_a_reply_whose_html_shows_nothing_is_no_note(article, alice):

    from annotations.forms import ReplyForm

    text = article.current.text
    for n, note in enumerate(("&#8203;", "<b></b>", "<p>\u200b</p>", "<em> </em>", "\U0001d159\U0001d159")):
        made = annotation_create(
            user=alice, revision=article.current, start=n, end=n + 20, exact=text[n : n + 20], tag="claim", note=note
        )
        assert made.note == ""
    for body in ("&#8203;", "<b></b>"):
        form = ReplyForm({"body": body})
        assert not form.is_valid() and "A reply needs some text" in str(form.errors)
