"""Cleaning of whole scraped pages: the main block, chrome around it, and what stays inside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from articles.text.cleaning import clean, split_lines
from articles.text.extraction import PageMetadata

DATA = Path(__file__).resolve().parent / "data"


def page(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def dropped(result) -> dict[str, str]:
    return {r.line: r.reason for r in result.removed}


def test_news_cms_share_buttons_and_related_teasers_are_dropped():
    result = clean(page("cms_share_buttons"))
    assert result.title == "Council votes to reopen the river ferry after two years"
    assert result.byline == "By Priya Natarajan"
    assert result.text.startswith("The city council voted on Monday evening")
    assert result.text.endswith("will decide whether the service continues.")
    for chrome in ["WhatsApp", "Share this article", "Advertisement", "Bridge repairs", "Most read", "newsletter"]:
        assert chrome not in result.text


def test_a_menu_line_with_separators_is_never_the_title():
    result = clean(page("cms_share_buttons"))
    assert "NEWS | LOCAL | TRANSPORT" in dropped(result)
    assert result.title != "NEWS | LOCAL | TRANSPORT"


def test_wordpress_like_loading_related_posts_and_comment_form_are_dropped():
    result = clean(page("wordpress_blog"))
    reasons = dropped(result)
    assert result.title == "Slow bread: a week with a sourdough starter"
    assert result.text.endswith("the crust crackled as it cooled.")
    for chrome in ["Like Loading...", "Leave a Reply Cancel reply", "Rye crackers from the starter discard"]:
        assert chrome in reasons
    assert "Your email address" not in result.text and "WordPress" not in result.text


def test_wordpress_posted_on_line_is_the_byline():
    result = clean(page("wordpress_blog"))
    assert result.byline == "Posted on November 18, 2019 by Hanna Berg"
    assert result.text.startswith("A sourdough starter is only flour and water")


@pytest.mark.parametrize("line", ["* Home", "Leave a Reply Cancel reply", "Facebook", "Share this:"])
def test_interface_phrases_are_recognised_within_a_line(line):
    text = page("cms_share_buttons").replace("Most read", line)
    result = clean(text)
    assert line in dropped(result)
    assert "navigation" in dropped(result)[line]


@pytest.mark.parametrize("name", ["german_news", "russian_news"])
def test_a_page_in_another_language_gets_the_same_treatment(name):
    result = clean(page(name))
    assert len(result.paragraphs) == 4
    assert all(len(p.text.split()) > 15 for p in result.paragraphs)
    assert result.byline.split()[0] in ("Von", "Автор")
    assert "WhatsApp" in dropped(result) and "WhatsApp" not in result.text
    assert result.title.endswith(("Wend", "реку"))


def plan_page() -> str:
    days = []
    for day, food in [(1, "oats with berries"), (2, "rye toast with eggs"), (3, "yoghurt with nuts and honey")]:
        days += [
            f"Day {day}",
            "Breakfast",
            f"We start the day with {food}, which keeps everyone full until lunch and takes ten minutes to make.",
            "Dinner",
            f"In the evening of day {day} the family cooks together, and the children choose the vegetables for the soup.",
        ]
    intro = "This is the meal plan our family followed for three days, with the reasons for each of our choices."
    return "\n\n".join(["Home", "Recipes", "Three days of family meals", intro, *days, "Share", "Privacy policy"])


def test_a_subhead_repeated_in_each_day_of_a_plan_is_kept():
    result = clean(plan_page())
    kept = [p.text for p in result.paragraphs]
    assert kept.count("Breakfast") == 3 and kept.count("Dinner") == 3
    assert "Day 2" in kept


def test_the_same_question_put_to_each_guest_is_kept():
    answers = [
        "Anna: I would bring back the night trains, because they let people travel without flying at all.",
        "Ben: I would put a library in every station, since waiting is easier with something good to read.",
        "Chloe: I would make the trains free for children, so that families choose them over the car.",
    ]
    question = "What would you change about the railways?"
    lines = ["Menu", "Three guests, one question", "We asked three travellers the same thing last week."]
    for answer in answers:
        lines += [question, answer]
    result = clean("\n\n".join([*lines, "Related articles", "Tweet"]))
    assert [p.text for p in result.paragraphs].count(question) == 3


def test_tweet_lines_with_t_co_links_and_sentences_naming_a_site_are_kept():
    body = [
        "The minister announced the new rail timetable on Monday, and reactions came quickly from travellers and unions.",
        "We are proud to announce the new timetable https://t.co/AbC123xyz",
        "— Rail Ministry (@railministry) November 18, 2019",
        "A report published on Railwatch.org last year found that half of the delays were caused by old signals.",
        "The unions said they would study the timetable before deciding whether to support it in the coming weeks.",
    ]
    result = clean("\n\n".join(["Home", "New rail timetable divides travellers", *body, "Share", "Comments"]))
    for line in body[1:4]:
        assert line in result.text


def test_every_line_of_a_scraped_page_is_kept_used_as_metadata_or_recorded_as_dropped():
    for name in ["cms_share_buttons", "wordpress_blog", "german_news", "russian_news"]:
        raw = page(name)
        result = clean(raw)
        accounted = {p.line for p in result.paragraphs} | {r.number for r in result.removed}
        metadata = {result.title, result.standfirst, result.byline, result.bio}
        for line in split_lines(raw):
            assert line.number in accounted or line.text in metadata, (name, line)


def test_a_dropped_line_of_a_page_comes_back_when_restored():
    raw = page("cms_share_buttons")
    number = next(ln.number for ln in split_lines(raw) if ln.text.startswith("Bridge repairs"))
    result = clean(raw, kept_lines=frozenset([number]))
    assert "Bridge repairs to close Wend crossing for a month" in result.text


def test_the_main_block_spans_the_article_paragraphs():
    raw = page("cms_share_buttons")
    first, last = clean(raw).main_block
    numbers = {ln.text[:20]: ln.number for ln in split_lines(raw)}
    assert first == numbers["The city council vot"]
    assert last == numbers["The council says tic"]


def test_extracted_html_text_takes_title_and_author_from_the_page_metadata():
    text = "Ferry returns to the Wend\nFerry returns to the Wend\nThe council voted to bring back the ferry on Monday.\nTour dates\nMay 4 Riverside\nMay 11 Eastbank"
    result = clean(text, metadata=PageMetadata(title="Ferry returns to the Wend", author="Priya Natarajan"))
    assert result.title == "Ferry returns to the Wend"
    assert result.byline == "Priya Natarajan"
    assert result.text.startswith("The council voted")
    assert result.text.endswith("May 11 Eastbank")  # a trailing list is the article's, not chrome


def test_the_text_package_imports_no_django():
    code = (
        "import sys; import articles.text.cleaning, articles.text.extraction, articles.text.language, "
        "articles.text.segmentation, articles.text.bylines; sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_a_clean_article_file_keeps_its_headlines_and_its_sentences_about_browsers():
    """A file that is only an article (a neutral first line, the headline, a dateline, the body) loses no sentence."""
    from articles.text.cleaning import clean

    text = (
        "News article 45_6ecb\n\n"
        "Microsoft rushes to release patch to fix web browser flaw\n\n"
        "Security update for all versions of Internet Explorer\n\n"
        "December 17, 2008\n\n"
        "Microsoft on Wednesday issued an urgent patch to fix an Internet Explorer web browser flaw that may have "
        "exposed millions of users to attacks.\n\n"
        "Latest statistics from research firm Net Applications showed that the browser still dominates the market.\n\n"
        "Users who turned on automatic updates will receive the patch without doing anything.\n"
    )
    result = clean(text)
    kept = result.text if hasattr(result, "text") else "\n".join(p.text for p in result.paragraphs)
    assert "Microsoft rushes to release patch to fix web browser flaw" in kept
    assert "Security update for all versions of Internet Explorer" in kept
    assert "exposed millions of users to attacks." in kept
    assert "the browser still dominates the market." in kept
    assert "December 17, 2008" not in kept  # a dateline is post metadata, not a sentence


def test_site_browser_and_notification_prompts_are_still_boilerplate():
    from articles.text.cleaning.lexicon import BOILERPLATE

    assert BOILERPLATE.search("Please update your browser to view this site.")
    assert BOILERPLATE.search("Turn on notifications to get breaking news.")
    assert not BOILERPLATE.search("The flaw affects the web browser used by most companies.")


def test_a_title_with_a_year_in_it_is_found_repeated_above_the_article_not_a_menu_line():
    menu = "\n".join(["Home", "Scores", "- Baseball", "- Boys Swimming", "Rankings", "Submit Photos and Videos"])
    page = (
        "2019 Girls Regional Track Results\n\n"
        + menu
        + "\n\nHome\nArticle\n\n2019 Girls Regional Track Results\n\n"
        + "The regional meet ended on Saturday with three school records broken in the relays. "
        + "Coaches said the cold wind slowed the sprinters but not the distance runners.\n\n"
        + "Results were posted on the school board's site on Sunday morning, a day later than planned.\n"
    )
    result = clean(page)
    assert result.title == "2019 Girls Regional Track Results"
    assert result.text.startswith("The regional meet ended on Saturday")


def test_a_blogs_affiliate_disclosure_and_sharing_prompt_are_boilerplate_not_its_standfirst():
    page = (
        "Spiced Plum Jam\n\nSpiced Plum Jam\n\nThis post may contain affiliate and/or referral links. "
        "We may earn a small commission at no cost to you.\n\nSharing is caring!\n\n"
        "Plums from the market were soft enough to cook down in twenty minutes with cloves and a little lemon. "
        "The jam set overnight in the cold pantry and kept its colour.\n\n"
        "Stir it often near the end, because the sugar catches on the bottom of the pan quickly.\n"
    )
    result = clean(page)
    assert result.standfirst == "" and result.text.startswith("Plums from the market")
    reasons = dropped(result)
    assert "site boilerplate" in reasons[next(k for k in reasons if "affiliate" in k)]
    assert "Sharing is caring!" in reasons
