"""Hostile files: every step stays linear, a file that still takes too long fails cleanly, writes stay short.

Speed itself is measured by bench/hostile_bench.py (no timed assertions here); these tests pin the
behaviour of the linear versions so that they keep finding what the slow ones found.
"""

from __future__ import annotations

import pytest
from django.db import connection

from articles.models import Article
from articles.services.processing import ArticleImportError
from articles.services.revisions import article_import
from articles.text import extraction
from articles.text.budget import Budget, BudgetExceeded
from articles.text.cleaning import lexicon, repetition
from articles.text.cleaning.lines import split_lines

ARTICLE = (
    "Leaders meet in Moscow\n\n"
    "The two presidents met in Moscow on Tuesday to sign a series of agreements on trade and energy.\n"
    "Officials said the talks lasted three hours and covered the war, pipelines and payment systems.\n"
)


def test_an_element_with_a_hundred_thousand_attributes_is_cut_to_its_name_before_parsing():
    html = "<html><body><div " + " ".join(f"a{i}=x" for i in range(100_000)) + "><p>Kept text.</p></div></body></html>"
    capped = extraction.cap_markup(html)
    assert capped == "<html><body><div><p>Kept text.</p></div></body></html>"
    normal = "<p class='x' id=\"y\">Text</p><br/><!-- c -->"
    assert extraction.cap_markup(normal) == normal


def test_truncated_copies_are_found_among_many_teasers_and_repeats():
    lines = split_lines(
        "The full headline of the related story about the summit\n"
        + "The full headline of the related story...\n" * 3
        + "".join(f"Teaser number {i} about the summit continues...\n" for i in range(2000))
        + "A line that ends with dots but copies nothing at all...\n"
    )
    found = repetition.truncated_copies(lines)
    assert set(found) == {2, 3, 4}  # the three truncated copies of line 1, nothing else
    assert all("line 1" in reason for reason in found.values())


def test_the_domain_and_counter_rules_still_match_what_they_did_and_not_inside_a_run():
    assert lexicon.DOMAIN.search("Read more on example.com today")
    assert lexicon.DOMAIN.search("visit news-site.co")
    assert not lexicon.DOMAIN.search("a-" * 5000)
    assert lexicon.COUNTER.search("1,234 views")
    assert lexicon.COUNTER.search("12 comments")
    assert not lexicon.COUNTER.search("1," * 5000)


def test_a_file_over_its_time_budget_fails_with_a_clear_message_and_writes_nothing(without_seeds, settings):
    settings.ARTICLE_TIME_BUDGET = 0
    with pytest.raises(ArticleImportError, match="longer than the 0 s allowed"):
        article_import(source="slow.txt", data=ARTICLE.encode())
    assert not Article.objects.exists()


def test_a_budget_says_which_step_went_over():
    budget = Budget(0)
    with pytest.raises(BudgetExceeded, match="at cleaning"):
        budget.check("cleaning")
    Budget(60).check("cleaning")  # well within: no error


@pytest.mark.django_db(transaction=True)
def test_cleaning_runs_outside_the_write_transaction(monkeypatch):
    """SQLite has one writer: a slow file must not hold the write lock while it is cleaned."""
    from articles.text import cleaning

    seen = []
    original = cleaning.clean

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(cleaning, "clean", spy)
    outcome = article_import(source="outside.txt", data=ARTICLE.encode())
    assert outcome.status == "created" and seen == [False]


INVISIBLE = "\u202e\u2066\u200b\u200d\ufeff\u00a0"


@pytest.mark.django_db
def test_a_file_or_a_correction_of_invisible_characters_only_is_refused_and_changes_nothing(article):
    from articles.services.revisions import revision_from_corrected_text

    with pytest.raises(ArticleImportError, match="no article text is left"):
        article_import(source="blank.txt", data=f"{INVISIBLE}\n\n{INVISIBLE * 3}\n".encode())
    assert not Article.objects.filter(source="blank.txt").exists()
    with pytest.raises(ValueError, match="empty"):
        revision_from_corrected_text(article=article, text=INVISIBLE * 4, base=article.current.number)
    article.refresh_from_db()
    assert article.current.number == 1


def test_shows_something_tells_a_letter_from_marks_that_show_nothing():
    from sinorus.wording import shows_something

    assert not shows_something(INVISIBLE + "\u0301 \t\n")
    assert shows_something("x") and shows_something("★") and shows_something("北") and shows_something("1")
