"""The article's main block grows over what is not clearly chrome, and stops where the article ends."""

from __future__ import annotations

from pathlib import Path

from articles.text.cleaning import clean
from articles.text.cleaning.mainblock import Edges, before_comments, earlier_start, widen

DATA = Path(__file__).resolve().parent / "data"


def page(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def dropped(result) -> dict[str, str]:
    return {r.line: r.reason for r in result.removed}


def test_a_list_like_article_is_kept_whole_though_the_footer_weighs_more():
    result = clean(page("meal_plan"))
    assert result.title == "A Week of Easy Lunches"
    assert "These lunches take ten minutes" in result.text
    for item in ["Monday", "Lentil salad", "1 cup brown rice, 4 oz. tofu", "Friday", "Whatever is left in the fridge"]:
        assert item in result.text
    assert result.text.endswith("Whatever is left in the fridge")
    assert "The information provided on this website" not in result.text
    assert "Five breakfasts you can make the night before" in dropped(result)


def test_an_inline_related_articles_box_does_not_split_the_article():
    result = clean(page("inline_related_box"))
    assert result.text.endswith("the council said in a statement on Tuesday.")
    assert "Drivers will be sent along the coast road" in result.text
    reasons = dropped(result)
    for link in ["Ferry fares to rise in the new year", "Storm warning for the weekend [WEATHER]"]:
        assert reasons[link] == "box of links to related articles inside the article"
    assert "Airport car park prices doubled overnight" in reasons


def test_comments_heavier_than_a_short_post_are_not_the_article():
    result = clean(page("short_post_with_comments"))
    assert result.title == "Version 2.4 is out"
    assert "Version 2.4 of Lantern is now available" in result.text
    assert "Bugs fixed" in result.text
    assert "Thank you for all the reports" in result.text
    assert "night levels since the last update" not in result.text
    assert "Priya" in dropped(result)


def test_the_page_title_anchors_the_article_after_heavier_teasers():
    teasers = [
        f"Teaser number {n} tells of another story on this site and why it matters to all of its readers."
        for n in range(12)
    ]
    article = [
        "The village school reopened on Monday after a year of building work paid for by the parents themselves.",
        "Children and teachers moved back into the old classrooms, which now have new windows and a heated floor.",
    ]
    text = "\n\n".join(
        [
            "School reopens after a year - Valley News",
            *teasers,
            "School reopens after a year",
            *article,
            "© Valley News",
        ]
    )
    result = clean(text)
    assert result.title == "School reopens after a year"
    assert result.text.startswith("The village school reopened")
    assert "Teaser number" not in result.text


def edges(costs, headings=None, prose=None) -> Edges:
    n = len(costs)
    return Edges(list(costs), headings or [""] * n, prose or [c == 0 for c in costs])


def test_the_block_grows_over_text_and_a_lone_chrome_line_and_stops_at_two():
    # indices:      0    1    2    3    4    5    6    7
    costs = [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0]
    assert widen(edges(costs), (3, 3), (0, len(costs) - 1)) == (2, 6)


def test_the_block_stops_at_a_comments_heading_and_hops_a_related_box_followed_by_prose():
    costs = [0.0, 0.0, 1.0, 0.4, 0.0, 1.0, 0.0, 0.0]
    headings = ["", "", "related", "", "", "comments", "", ""]
    prose = [True, True, False, False, True, False, True, True]
    assert widen(edges(costs, headings, prose), (0, 1), (0, 7)) == (0, 4)


def test_an_almost_as_heavy_run_before_the_heaviest_one_starts_the_article():
    weights = [-5.0, 25.0, -3.0, -3.0, -3.0, 50.0, -5.0]
    assert earlier_start(weights, 0, 5, 50.0) == 1
    assert earlier_start([-5.0, 5.0, -3.0, 50.0], 0, 3, 50.0) == 3


def test_the_article_ends_before_the_first_comments_heading():
    weights = [20.0, -1.0, -40.0, 30.0, 30.0]
    comments = [False, False, True, False, False]
    assert before_comments(weights, comments, (3, 4), 0) == (0, 1)
    assert before_comments(weights, [False] * 5, (3, 4), 0) == (3, 4)


def test_lines_that_show_nothing_neither_stop_nor_extend_the_block():
    # a zero-width space between every paragraph, as some themes print around images
    costs = [0.0, None, 1.0, None, 0.0, None, 0.0, None, 1.0, None, 1.0, 0.0]
    assert widen(edges(costs), (6, 6), (0, len(costs) - 1)) == (0, 6)
