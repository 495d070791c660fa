from __future__ import annotations

import pytest

from articles.text.cleaning import clean, split_lines


def dropped(result) -> dict[str, str]:
    return {r.line: r.reason for r in result.removed}


def test_trenin_article_has_title_standfirst_byline_and_bio(seed_text):
    result = clean(seed_text("000"))
    assert result.title == "Xi’s visit to Moscow: a key moment in the fight against US hegemony"
    assert result.standfirst.startswith("Russia and China now understand that they must stand together")
    assert result.byline == "By Dmitry Trenin"
    assert result.bio.startswith("Dmitry Trenin is Professor at the School of Economics")
    assert "Dmitry Trenin is Professor" not in result.text


def test_repeated_teaser_headlines_are_dropped_both_times(seed_text):
    result = clean(seed_text("000"))
    for teaser in [
        "Putin praises Chinese roadmap for peace in Ukraine",
        "Xi in Moscow: A visit that causes panic in the West",
        "China has announced its goals: with Russia against the West",
        "Xi-Putin Meeting: Strengthening Friendship – West Growing Jealous",
    ]:
        assert teaser not in result.text
        assert sum(1 for r in result.removed if r.line == teaser) == 2
        assert "teaser" in dropped(result)[teaser]


def test_editorial_leftovers_promos_and_comment_prompts_are_dropped(seed_text):
    result = clean(seed_text("000"))
    reasons = dropped(result)
    assert "translation note" in reasons["From English"]
    assert (
        "related article"
        in reasons["more on the subject – Vladimir Putin describes talks with Xi Jinping as successful"]
    )
    assert any("OopsTop.com" in line and "promotion" in reason for line, reason in reasons.items())
    assert "Leave a Reply" in reasons
    assert "OopsTop" not in result.text and "From English" not in result.text


def test_trenin_article_keeps_every_body_paragraph(seed_text):
    raw = seed_text("000")
    result = clean(raw)
    body = [ln.text for ln in split_lines(raw) if len(ln.text.split()) > 25 and "OopsTop" not in ln.text]
    body = [b for b in body if not b.startswith("Dmitry Trenin is")]
    assert len(body) == 15
    for paragraph in body[1:]:
        assert paragraph in result.text
    assert result.text.startswith("Chinese President Xi Jinping’s visit to Moscow was not just symbolic.")
    assert result.text.endswith(
        "Closer security cooperation between China and Russia would definitely make this transition safer."
    )


def test_article_without_blank_lines_keeps_all_its_lines(seed_text):
    result = clean(seed_text("001"))
    assert result.title.startswith("Xi and Putin affirm closer alliance")
    assert result.removed == []
    assert "Realpolitik 2.0: Uniting for a Post-Western World" in result.text
    assert result.text.rstrip().endswith("challenging the existing U.S.-led international order.")
    assert len(result.paragraphs) == 8


def test_skip_link_repeated_title_truncated_teaser_and_trailing_links_are_dropped(seed_text):
    result = clean(seed_text("002"))
    reasons = dropped(result)
    assert result.title.startswith("Russia and China alignment in Moscow dismisses speculations")
    assert result.standfirst.startswith("Countries' leaders critically condemn the U.S.")
    assert "Skip to content" in reasons and "Read also:" in reasons and "Latest" in reasons
    assert any("repeats the title" in r for r in reasons.values())
    assert any(line.endswith("peace...") and "truncated copy" in r for line, r in reasons.items())
    assert (
        "Two leaders level accusations at the United States and its partners, claiming they jeopardize peace and stability."
        in result.text
    )


def test_list_items_and_footnote_markers_are_kept_as_text(seed_text):
    result = clean(seed_text("002"))
    kinds = [p.kind for p in result.paragraphs]
    assert kinds.count("list_item") == 9
    assert "• Economic Ties and Innovation:" in result.text
    assert "saw a whopping $245 billion in trade during 2024 [1]." in result.text
    assert "[1] Source 1[2] Source 2[4] Source 4 (referred to in all sentences)" in result.text
    assert "Neighbors Join Forces" in result.text


def test_interface_strings_in_another_language_are_dropped(seed_text):
    result = clean(seed_text("003"))
    reasons = dropped(result)
    turkish = next(line for line in reasons if line.startswith("TÜM YAZILARI"))
    assert "another language (tr)" in reasons[turkish]
    assert "YORUMLAR" in reasons
    assert "YAZI" not in result.text
    assert result.text.endswith("And we are the ones driving these changes together.”")
    assert result.language == "en"


def test_page_description_copy_becomes_the_standfirst_not_a_paragraph(seed_text):
    result = clean(seed_text("003"))
    assert result.standfirst.endswith("point to a real-politik future or a strategic illusion?")
    assert "Does this claim" not in result.text
    assert any("truncated copy" in r.reason for r in result.removed)


def test_view_counter_is_dropped_and_cut_off_article_is_flagged_truncated(seed_text):
    result = clean(seed_text("004"))
    assert "view counter" in dropped(result)["by Admin 47 views"]
    assert result.truncated is True
    assert result.text.endswith("It's like they're saying,")
    assert "Military Cooperation: A Show of Force" in result.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_complete_articles_are_not_flagged_truncated(seed_text, prefix):
    assert clean(seed_text(prefix)).truncated is False


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_raw_line_is_kept_used_as_metadata_or_recorded_as_dropped(seed_text, prefix):
    raw = seed_text(prefix)
    result = clean(raw)
    accounted = {p.line for p in result.paragraphs} | {r.number for r in result.removed}
    metadata = {result.title, result.standfirst, result.byline, result.bio}
    for line in split_lines(raw):
        assert line.number in accounted or line.text in metadata, line


SIXTH_ARTICLE = """Home
World
Business
Menu
Harbour cranes return to Port Elwin after a decade of decline

Dock workers say the new owners must prove the revival will last.

By Maria Lindqvist | Coastal Herald

47 comments

The first of six container cranes arrived in Port Elwin on Tuesday, ending a decade in which the harbour handled almost no freight. The city council said the cranes cost 18 million euros.
Advertisement
Dock workers, many of whom lost their jobs in 2015, welcomed the news but warned that the previous owners had made similar promises. "We have heard this before," said Ana Ruiz, a crane operator for twenty years.
Ferry strike ends after three weeks
Ferry strike ends after three weeks
Port officials expect freight volumes to double by 2027, according to a forecast published by the harbour authority on Monday.
Share Tweet Email
Related: Council approves harbour budget
© 2024 Coastal Herald. All rights reserved.
Kommentare
Alle Rechte vorbehalten. Datenschutz Impressum Kontakt Newsletter abonnieren Kommentar schreiben Antworten Abbrechen
"""


def test_an_article_from_another_site_comes_out_clean():
    result = clean(SIXTH_ARTICLE)
    assert result.title == "Harbour cranes return to Port Elwin after a decade of decline"
    assert result.standfirst == "Dock workers say the new owners must prove the revival will last."
    assert result.byline.startswith("By Maria Lindqvist")
    assert [p.text[:20] for p in result.paragraphs] == [
        "The first of six con",
        "Dock workers, many o",
        "Port officials expec",
    ]
    removed = {r.line for r in result.removed}
    for noise in [
        "Home",
        "Menu",
        "47 comments",
        "Advertisement",
        "Ferry strike ends after three weeks",
        "Share Tweet Email",
        "Related: Council approves harbour budget",
        "Kommentare",
    ]:
        assert noise in removed
    assert any(line.startswith("Alle Rechte") for line in removed)
    assert result.truncated is False


def test_a_line_a_person_restored_is_kept_where_it_was(seed_text):
    raw = seed_text("000")
    line_no = next(ln.number for ln in split_lines(raw) if ln.text == "From English")
    result = clean(raw, kept_lines=frozenset([line_no]))
    assert "From English" in result.text
    assert all(r.number != line_no for r in result.removed)
