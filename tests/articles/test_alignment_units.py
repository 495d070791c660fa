from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from articles.alignment import figures, labels
from articles.alignment.lexicon import STOP_WORDS, content_stems, stem
from articles.alignment.records import Document
from articles.alignment.units import is_byline, is_date_line, make_unit, read, units_of

PACKAGE = Path(__file__).resolve().parents[2] / "articles" / "alignment"


def document(*sentences: str) -> Document:
    text, spans = "", []
    for sentence in sentences:
        if text:
            text += "\n\n"
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence
    return Document(1, "doc.txt", text, spans)


def test_stop_list_keeps_content_words_such_as_fire_and_bill():
    for word in ["fire", "bill", "system", "found", "move", "show", "call"]:
        assert word not in STOP_WORDS
    assert content_stems("Wellington supermarket fire") == [stem("Wellington"), stem("supermarket"), stem("fire")]


def test_stems_bring_word_forms_together():
    assert stem("fires") == stem("fired") == stem("fire")
    assert stem("killing") == stem("killed")


def test_headlines_and_short_lines_are_units():
    units = units_of([document("Wellington supermarket fire", "Quake hits", "Crews fought the blaze all night.")])
    assert [u.text for u in units] == ["Wellington supermarket fire", "Quake hits", "Crews fought the blaze all night."]


def test_date_lines_and_bylines_are_not_units():
    assert is_date_line("Tue Jan 13, 2009 3:22pm EST")
    assert is_date_line("March 21, 2023")
    assert is_byline("By Dmitry Trenin")
    units = units_of([document("Tue Jan 13, 2009 3:22pm EST", "By Ana Ruiz, Reuters", "The strike ended on Monday.")])
    assert [u.text for u in units] == ["The strike ended on Monday."]


def test_dates_and_counts_are_normalized():
    assert figures.dates("on March 21 and on 21 March 2023") == {"d3-21", "y2023"}
    assert "7.3" in figures.counts("a magnitude 7.3 quake")
    assert "3" in figures.counts("three people died")


def test_the_two_leaders_counts_nothing_while_two_people_killed_does():
    assert "2" not in figures.counts("the two leaders pledged to fortify their ties")
    assert "2" in figures.counts("Two people were killed when a wall collapsed")


def test_a_quotation_meets_the_same_words_unquoted():
    quoted = make_unit(0, 0, 0, 'They called it "a fair day\'s pay" at last.', (0, 0))
    plain = make_unit(1, 0, 0, "Ruiz said it was a fair day's pay for the workers.", (0, 0))
    assert quoted.quotes_from(plain)


def test_labels_name_a_shared_phrase_and_never_a_reporting_verb():
    units = units_of(
        [
            Document(0, "a", "The Wellington supermarket fire burned for hours, police said.", [(0, 62)]),
            Document(
                1, "b", "According to police, the Wellington supermarket fire was arson, officials said.", [(0, 80)]
            ),
        ]
    )
    text = labels.label(units, [0, 1], {})
    assert "Wellington" in text and "supermarket" in text
    assert not re.search(r"\b(?:said|says|according|told)\b", text, re.I)


def test_patterns_finish_on_hostile_input():
    hostile = ["1," * 12000, "1" * 24000, "$" + "1," * 12000, "Aa " * 8000, '"' + "a " * 12000, "May 1" * 5000]
    for text in hostile:
        figures.quantities(text)
        figures.counts(text)
        figures.dates(text)
        figures.names(text)
        figures.quotations(text)
        is_byline(text)
    assert figures.quantities("$" + "1," * 12000 + " billion") is not None


def test_the_alignment_package_imports_no_django():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" or n.startswith("articles.models") for n in names), path


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("[1] Source 1[2] Source 2[4] Source 4 (referred to in all sentences)", False),
        ("(Notes: [1] - source 1, [2] - source 2, [4] - source 4)", False),
        ("Trade rose 5% in 2024 [1], exports to Europe grew [2] and imports from Asia fell [3] over the year.", True),
        ("Trade rose 5% in 2024 [1].", True),
    ],
)
def test_a_list_of_references_is_no_unit_but_a_sentence_citing_sources_is(text, unit):
    assert read(text).is_unit is unit
