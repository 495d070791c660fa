"""Messages shown to people keep the letters they were written with."""

from __future__ import annotations

from django.urls import reverse

from annotations.services.activities import activity_join
from sinorus.wording import as_sentence
from tests.annotations.test_activities import annotate
from tests.factories import make_activity


def test_a_message_becomes_a_sentence_without_lowering_its_names():
    assert as_sentence("only Alice changes the note. Keep it") == "Only Alice changes the note. Keep it."
    assert as_sentence("already ends here.") == "Already ends here."
    assert as_sentence("") == ""


def test_a_refusal_shown_on_a_page_keeps_its_file_names_and_second_sentence(client, corpus, instructor, alice):
    exercise = make_activity(instructor, corpus[:2])
    activity_join(user=alice, code=exercise.join_code)
    annotate(alice, corpus[0], corpus[0].current.text[:25], activity=exercise)
    client.force_login(instructor)
    page = client.post(
        reverse("annotations:activity_edit", args=[exercise.pk]),
        {
            "title": exercise.title,
            "articles": [corpus[1].pk],
            "tags": list(exercise.tags.values_list("pk", flat=True)),
            "opens_at": "2020-01-01T00:00",
            "closes_at": "2099-01-01T00:00",
        },
    ).content.decode()
    assert corpus[0].source in page and "Keep them, or tick" in page
