from __future__ import annotations

import pytest

from annotations.text.spans import SpanError, check_span, context, find_quote

TEXT = "The 😀 grin and 北京 meet."


def test_check_span_accepts_code_point_offsets_beyond_the_bmp():
    start = TEXT.index("grin")
    assert check_span(TEXT, start, start + 4, "grin", max_length=100) == (6, 10, "grin")


@pytest.mark.parametrize(
    ("start", "end", "exact", "field"),
    [
        (-1, 3, None, "start"),
        (0, 999, None, "end"),
        (5, 5, None, "end"),
        (0, 3, "Tha", "exact"),
        (3, 4, " ", "exact"),
        ("0", 3, None, "start"),
        (True, 3, None, "start"),
    ],
)
def test_check_span_names_the_bad_field(start, end, exact, field):
    with pytest.raises(SpanError) as excinfo:
        check_span(TEXT, start, end, exact, max_length=100)
    assert excinfo.value.field == field


def test_context_is_32_code_points_either_side():
    text = "a" * 40 + "X" + "b" * 40
    assert context(text, 40, 41) == ("a" * 32, "b" * 32)


def test_find_quote_prefers_the_occurrence_with_matching_context():
    text = "one cat here. two cat there."
    assert find_quote(text, "cat", prefix="two ", suffix=" there") == (18, 21)
    assert find_quote(text, "dog") is None
