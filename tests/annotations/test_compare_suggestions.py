from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import AlignmentOverride, AlignmentPassage, AlignmentSuggestion
from articles.services.alignment import alignment_compute


@pytest.fixture
def suggestion(corpus) -> AlignmentSuggestion:
    alignment_compute()
    found = AlignmentSuggestion.objects.first()
    assert found is not None
    return found


def judge(client, suggestion, kind: str):
    return client.post(
        reverse("articles:alignment_correct"),
        {
            "kind": kind,
            "article": suggestion.article_id,
            "start": suggestion.start,
            "target_article": suggestion.target_article_id,
            "target_start": suggestion.target_start,
        },
    )


def rows_of(article_id: int, offset: int) -> set[int]:
    return set(
        AlignmentPassage.objects.filter(article_id=article_id, start__lte=offset, end__gt=offset).values_list(
            "group_id", flat=True
        )
    )


def test_editors_see_suggested_links_with_accept_and_reject_buttons(client, suggestion, staff):
    client.force_login(staff)
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Suggested links" in html and f"{round(suggestion.probability * 100)}%" in html
    assert 'value="accept"' in html and 'value="reject"' in html


def test_readers_see_suggested_links_without_buttons(client, suggestion, alice):
    client.force_login(alice)
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Suggested links" in html and 'value="accept"' not in html


def test_only_editors_judge_a_suggested_link(client, suggestion, alice):
    assert judge(client, suggestion, "accept").status_code == 302  # to sign in
    client.force_login(alice)
    assert judge(client, suggestion, "accept").status_code == 403
    assert client.get(reverse("articles:alignment_correct")).status_code == 405
    assert not AlignmentOverride.objects.exists()


def test_an_accepted_link_puts_both_passages_in_one_row_and_survives_recomputation(client, suggestion, staff):
    client.force_login(staff)
    assert judge(client, suggestion, "accept").status_code == 302
    assert AlignmentOverride.objects.get().kind == "accept"
    alignment_compute()
    assert rows_of(suggestion.article_id, suggestion.start) & rows_of(
        suggestion.target_article_id, suggestion.target_start
    )
    assert not AlignmentSuggestion.objects.filter(
        article_id=suggestion.article_id, start=suggestion.start, target_article_id=suggestion.target_article_id
    ).exists()


def test_a_rejected_link_is_no_longer_suggested_after_recomputation(client, suggestion, staff):
    client.force_login(staff)
    judge(client, suggestion, "reject")
    alignment_compute()
    html = client.get(reverse("annotations:compare")).content.decode()
    assert AlignmentOverride.objects.get().kind == "reject"
    assert not AlignmentSuggestion.objects.filter(
        article_id=suggestion.article_id,
        start=suggestion.start,
        target_article_id=suggestion.target_article_id,
        target_start=suggestion.target_start,
    ).exists()
    assert "Alignment corrected" in html
