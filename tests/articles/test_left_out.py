"""The blocks of an HTML page its extracted article does not hold, as the import report lists them."""

from __future__ import annotations

from articles.text.leftout import MAX_BLOCKS, left_out, missed_prose, page_blocks

PAGE = """<html><head><title>T</title><style>p {color: red}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="share">Share <a href="#">Facebook</a> <a href="#">X</a></div>
<article><h1>Floods close the port</h1>
<p>The port closed on <b>Monday</b> after floods reached the <a href="/x">world's</a> oldest quay.</p>
<p>Officials said it would reopen within a week once the water had gone.</p></article>
<script>var hidden = "never shown";</script>
<footer><p>© 2024 Harbour Daily</p></footer></body></html>"""


def test_a_pages_blocks_come_in_page_order_without_scripts_or_styles():
    blocks = page_blocks(PAGE)
    assert blocks == [
        "Home",
        "World",
        "Share Facebook X",
        "Floods close the port",
        "The port closed on Monday after floods reached the world's oldest quay.",
        "Officials said it would reopen within a week once the water had gone.",
        "© 2024 Harbour Daily",
    ]


def test_left_out_lists_what_the_article_does_not_hold_even_a_word_it_uses():
    kept = [
        "Floods close the port",
        "The port closed on Monday after floods reached the world's oldest quay.",
        "Officials said it would reopen within a week once the water had gone.",
    ]
    # "World" is a word of the article, but not a line of it: the menu item is left out all the same.
    assert left_out(page_blocks(PAGE), kept) == ["Home", "World", "Share Facebook X", "© 2024 Harbour Daily"]


def test_a_missed_paragraph_of_the_article_is_listed_and_a_repeated_block_once():
    kept = ["Floods close the port", "The port closed on Monday after floods reached the world's oldest quay."]
    out = left_out(page_blocks(PAGE + PAGE), kept)
    assert out.count("Home") == 1
    assert "Officials said it would reopen within a week once the water had gone." in out


def test_a_long_page_lists_at_most_its_cap_and_broken_markup_is_no_error():
    many = "<body>" + "".join(f"<p>menu item number {n}</p>" for n in range(MAX_BLOCKS + 50)) + "</body>"
    assert len(left_out(page_blocks(many), [])) == MAX_BLOCKS
    assert page_blocks("") == [] and page_blocks("<p>unclosed <b>bold") == ["unclosed bold"]


def test_a_script_inside_a_block_and_markup_shown_as_text_are_no_blocks():
    page = (
        "<body><p>Read more <script>(function() { test_adblock(); })();</script>here</p>"
        "<div>&lt;source srcset=&quot;https://cdn.example/a.jpg&quot;&gt;</div></body>"
    )
    assert left_out(page_blocks(page), []) == ["Read more here"]


def test_a_quoted_post_the_extractor_kept_without_its_link_is_not_listed():
    post = "<blockquote>The air in Delhi is unbreathable today, schools stay shut until Friday pic.twitter.com/x1y2 — A. Writer (@writer) November 4, 2019</blockquote>"
    kept = ["The air in Delhi is unbreathable today, schools stay shut until Friday — A. Writer (@writer)"]
    assert left_out(page_blocks(f"<body>{post}<p>Subscribe to our newsletter today</p></body>"), kept) == [
        "Subscribe to our newsletter today"
    ]


def test_many_paragraphs_of_prose_left_out_say_the_extractor_may_have_missed_part_of_the_article():
    prose = [
        f"Paragraph {n} tells more of the story, with enough words in it to read as prose written by a reporter who was on the scene early today."
        for n in range(4)
    ]
    assert missed_prose(prose, kept_words=100) == (4, sum(len(p.split()) for p in prose))
    assert missed_prose(prose, kept_words=1000) is None  # a long article beside a few teasers
    assert missed_prose(prose[:2], kept_words=10) is None
    assert missed_prose(["Home", "World", "Sign in to read more"], kept_words=10) is None


def test_an_html_page_whose_article_goes_on_outside_what_was_extracted_imports_with_a_warning(db):
    from articles.services.revisions import article_import

    said = "The council said the new bridge would open in spring after two years of work on the river crossing."
    later = "Residents who crossed the river by ferry for two years said they would miss the boats but not the long queues at dawn or the cold wind on the water."
    page = (
        "<html><head><title>Bridge to open in spring</title></head><body><article><h1>Bridge to open in spring</h1>"
        f"<p>{said}</p><p>{said.replace('council', 'mayor')}</p></article>"
        + "".join(f"<aside><p>{later.replace('two', str(n + 3))}</p></aside>" for n in range(4))
        + "</body></html>"
    )
    revision = article_import(source="bridge.html", data=page.encode()).revision
    assert any("may have missed part of the article" in w and "4 more paragraphs" in w for w in revision.warnings)
