from __future__ import annotations

from annotations.text.anchoring import anchor

TEXT = "The trade figure was $245 billion in 2024. Critics said the figure was inflated. The trade figure rose."


def test_position_is_used_when_the_text_there_is_still_the_quote():
    start = TEXT.index("Critics")
    assert anchor(TEXT, "Critics said", start=start, end=start + 12).method == "position"


def test_an_insertion_before_the_highlight_is_followed_by_the_quote():
    start = TEXT.index("Critics")
    edited = "Breaking: " + TEXT
    found = anchor(edited, "Critics said", "in 2024. ", " the figure", start=start, end=start + 12)
    assert (found.method, edited[found.start : found.end]) == ("quote", "Critics said")


def test_repeated_quotes_are_told_apart_by_prefix_and_suffix():
    found = anchor(TEXT, "The trade figure", prefix="was inflated. ", suffix=" rose.")
    assert found.start == TEXT.rindex("The trade figure")


def test_a_deletion_near_the_highlight_keeps_it():
    start = TEXT.index("the figure was inflated")
    edited = TEXT.replace("Critics said ", "")
    found = anchor(edited, "the figure was inflated", "Critics said ", ".", start=start, end=start + 23)
    assert edited[found.start : found.end] == "the figure was inflated"


def test_an_edit_inside_the_highlight_is_found_fuzzily():
    exact = "Critics said the figure was inflated"
    start = TEXT.index(exact)
    edited = TEXT.replace("was inflated", "was overstated")
    found = anchor(edited, exact, start=start, end=start + len(exact))
    assert found.method == "fuzzy"
    assert edited[found.start : found.end].startswith("Critics said the figure was")


def test_text_that_is_gone_is_an_orphan():
    exact = "Critics said the figure was inflated."
    start = TEXT.index(exact)
    edited = TEXT.replace(exact, "")
    assert anchor(edited, exact, start=start, end=start + len(exact)) is None


def test_code_point_offsets_hold_with_emoji():
    text = "😀 emoji before the words we want here"
    assert anchor(text, "the words", start=text.index("the words"), end=text.index("the words") + 9).start == 15
