"""A page's author field gives the byline its people: not the publisher, the desk, a bio or the date."""

from __future__ import annotations

import pytest

from articles.text.bylines import byline_names, line_names, page_people
from articles.text.extraction import html_extract


@pytest.mark.parametrize(
    ("author", "sitename", "people", "byline"),
    [
        ("Harbour Media Group; Ines Carvalho", "The Lantern", ["Ines Carvalho"], "Ines Carvalho"),
        ("Tomas Berg; Daily Ledger Business", "Daily Ledger", [], "Tomas Berg"),
        ("Analysis by Ruth Okafor; Ledger Editor-at-large", "Ledger", [], "Ruth Okafor"),
        ("Ruth Okafor is a reporter for the Ledger", "", [], "Ruth Okafor"),
        ("Ana Lindqvist; Omar Haddad Tuesday; March", "", [], "Ana Lindqvist; Omar Haddad"),
        ("Ana Lindqvist September 4, 2019", "", [], "Ana Lindqvist"),
        ("Kofi Mensah Harbourline News", "HarbourlineNews", [], "Kofi Mensah"),
        ("By Kofi Mensah", "", [], "Kofi Mensah"),
        ("Ignatius Jones", "IGN", [], "Ignatius Jones"),  # a name that begins as the site's does is a name
        ("Admin", "A Blog", [], ""),
        ("siteadmin", "A Blog", [], ""),
        ("The Lantern", "The Lantern", [], ""),
        ("Reuters", "Tech Pages", ["Reuters"], "Reuters"),  # a wire service is the byline it gives
        ("Ana Lindqvist; Ana Lindqvist", "", [], "Ana Lindqvist"),
    ],
)
def test_the_byline_keeps_the_people_the_author_field_names(author, sitename, people, byline):
    assert byline_names(author, sitename, people) == byline


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Ana Swanson", "Ana Swanson"),
        ("by Bryan DeArdo", "Bryan DeArdo"),
        ("BY: Beachbody", "Beachbody"),
        ("written by Regan", "Regan"),
        ("Posted on November 18, 2019 by Hanna Berg", "Hanna Berg"),
        ("Monday November 18, 2019 7:45 am PST by Joe Rossignol", "Joe Rossignol"),
        ("By DANICA KIRKA and JILL LAWLESS", "Danica Kirka; Jill Lawless"),
        ("By Jill Disis, CNN Business", "Jill Disis"),
        ("By Eric Song, IGN Staff", "Eric Song"),
        ("By Julius Young | Fox News", "Julius Young"),
        ("By Sean Martin Sean Martin", "Sean Martin"),
        ("By FEDERICA LUSIARDI - 2019-04-10", "Federica Lusiardi"),
        ("By Kashmira Gander On 11/13/19 at 4:00 PM EST", "Kashmira Gander"),
        ("By Matthew Digby, Minh Do on Monday, November 18th, 2019 at 11:08 a.m.", "Matthew Digby; Minh Do"),
        ("By Mike Wall 2019-11-18T20:51:19Z Science & Astronomy", "Mike Wall"),
        ("Reporting by Ana Ruiz; Editing by Bob Smith", "Ana Ruiz"),
        ("Von Moritz Bachmann publiziert am 25. September 2018", "Moritz Bachmann"),
        ("by European Space Agency", "European Space Agency"),  # an agency alone is the byline it gives
        ("By admin - 2018-09-16", ""),
        ("Posted on Oktober 27, 2015 by Admin", ""),
        ("Ines Carvalho", "Ines Carvalho"),  # no "by": a name already (a page's author field)
    ],
)
def test_a_byline_line_gives_its_people_without_by_the_desk_or_the_date(line, names):
    assert line_names(line) == names


def test_an_imported_text_dump_stores_the_byline_people_and_its_title_without_the_site_name():
    from articles.services.processing import process_file

    paragraphs = "\n\n".join(
        f"The harbour board met on Tuesday and voted to rebuild pier number {n} before the winter storms arrive."
        for n in range(1, 8)
    )
    text = (
        "Harbour board votes to rebuild the old pier - Harbourline\n\n"
        f"By DANICA KIRKA and JILL LAWLESS, Harbourline Staff\n\n{paragraphs}\n"
    )
    _extracted, fields = process_file("pier.txt", text.encode(), max_bytes=10**6)
    assert fields["title"] == "Harbour board votes to rebuild the old pier"
    assert fields["byline"] == "Danica Kirka; Jill Lawless"
    assert fields["text"].startswith("The harbour board met on Tuesday")


def test_a_person_named_in_structured_data_is_kept_whatever_else_the_field_holds():
    html = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ines  Carvalho"}],
     "publisher": {"@type": "Organization", "name": "Harbour Media Group"}}</script>
    <script type="application/ld+json">{not json</script>
    <script type="application/ld+json">[{"author": {"@type": ["Person"], "name": "Omar Haddad"}}]</script></head></html>"""
    assert page_people(html) == ["Ines Carvalho", "Omar Haddad"]


def test_an_html_page_whose_author_tag_names_its_publisher_gets_the_writer_as_byline():
    paragraphs = "".join(
        f"<p>The harbour board met on Tuesday and voted to rebuild pier number {n} before the winter storms arrive.</p>"
        for n in range(1, 8)
    )
    html = f"""<!doctype html><html><head><title>Pier rebuilt</title>
    <meta name="author" content="Harbour Media Group">
    <script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Pier rebuilt",
      "author": {{"@type": "Person", "name": "Ines Carvalho"}}}}</script></head>
    <body><article><h1>Pier rebuilt</h1>{paragraphs}</article></body></html>"""
    metadata, text = html_extract(html)
    assert metadata.author == "Ines Carvalho"
    assert "harbour board" in text


def test_hostile_structured_data_is_passed_over_in_one_pass_and_never_stops_an_import():
    deep = '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>"
    assert page_people(deep) == []  # nested deeper than a parser goes: ignored like bad JSON
    open_tags = '<script type="application/ld+json">x' * 40_000  # never closed: one pass, not one per tag
    assert page_people(open_tags) == []
    many = ",".join(f'{{"@type": "Person", "name": "Writer Number {n}"}}' for n in range(3000))
    people = page_people(f'<script type="application/ld+json">{{"author": [{many}]}}</script>')
    assert len(people) == 12 and len(byline_names("Harbour Media Group", "", people)) < 300


def test_an_html_page_with_hostile_structured_data_imports_with_its_article(db):
    from articles.services.revisions import article_import

    paragraphs = "".join(
        f"<p>The harbour board met and voted to rebuild pier {n} before winter storms.</p>" for n in range(6)
    )
    page = f'<html><head><script type="application/ld+json">{"[" * 50_000}</script></head><body><article>{paragraphs}</article></body></html>'
    outcome = article_import(source="deep.html", data=page.encode())
    assert outcome.status == "created" and "pier 5" in outcome.revision.text
