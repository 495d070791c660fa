from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.text.highlighting import Highlight, render_paragraphs
from annotations.text.spans import SpanError, check_span, context, find_quote, segments

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


def test_segments_split_nested_highlights_and_count_depth():
    pieces = segments(0, 20, [(1, 0, 10), (2, 3, 6)])
    assert [(p.start, p.end, p.depth, p.top, p.starts) for p in pieces] == [
        (0, 3, 1, 1, (1,)),
        (3, 6, 2, 2, (2,)),
        (6, 10, 1, 1, ()),
        (10, 20, 0, None, ()),
    ]


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 30)), max_size=30))
def test_segments_cover_the_range_and_report_true_depth(raw):
    spans = [(i, s, s + n) for i, (s, n) in enumerate(raw)]
    pieces = segments(0, 60, spans)
    assert pieces[0].start == 0 and pieces[-1].end == 60
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:], strict=False))
    for piece in pieces:
        covering = [i for i, s, e in spans if s <= piece.start < e]
        assert piece.depth == len(covering)
        assert set(piece.first) <= set(covering)
    assert sorted(i for p in pieces for i in p.starts) == sorted(i for i, s, _e in spans if s < 60)


def test_rendered_paragraphs_escape_text_and_label_highlights():
    text = "<b>bold</b> & more"
    html = render_paragraphs(text, [[0, len(text), "paragraph"]], [Highlight(7, 0, 11, "claim", "alice")])
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'aria-label="Highlight: claim by alice"' in html
    assert 'data-starts="7"' in html
