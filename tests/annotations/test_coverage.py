"""What covers each stretch of a text (annotations.text.coverage), and the marks drawn from it."""

from __future__ import annotations

import random
import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from annotations.text.coverage import DETAIL, Highlights, Spans, TagCounts, coverage
from annotations.text.highlighting import Painter, paragraph_cuts, render_paragraphs, render_span

TAGS = ["claim", "opinion", "quote"]


def draw(text: str, rows: list[tuple]):
    """The text as one paragraph, drawn with highlights given as (id, start, end, tag, annotator) rows."""
    paragraphs = [[0, len(text), "paragraph"]]
    return render_paragraphs(text, paragraphs, coverage(Highlights.of(rows), paragraph_cuts(paragraphs)))


def test_nested_highlights_cut_the_text_into_stretches_with_their_depth():
    cover = coverage(Highlights.of([(1, 0, 10, "claim", "alice"), (2, 3, 6, "opinion", "bob")]), (0, 20))
    assert cover.cuts == [0, 3, 6, 10, 20]
    assert cover.depth == [1, 2, 1, 0]
    assert cover.begins == [1, 1, 0, 0]
    assert cover.covering == {0: [0], 1: [0, 1], 2: [0]}


@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(1, 30), st.sampled_from(TAGS)), max_size=40),
)
def test_every_stretch_knows_its_true_depth_tags_and_shallow_highlights(raw):
    rows = [(100 + k, s, s + n, tag, f"user{k % 3}") for k, (s, n, tag) in enumerate(raw)]
    cover = coverage(Highlights.of(rows), (0, 80))
    assert cover.cuts[0] == 0 and cover.cuts[-1] == 80
    for stretch, (a, b) in enumerate(zip(cover.cuts, cover.cuts[1:], strict=False)):
        over = sorted((k for k, r in enumerate(rows) if r[1] <= a < r[2]), key=lambda k: (rows[k][1], -rows[k][2], k))
        assert all(rows[k][1] <= b - 1 < rows[k][2] for k in over)  # a stretch is covered whole or not at all
        assert cover.depth[stretch] == len(over)
        assert cover.begins[stretch] == sum(1 for r in rows if r[1] == a)
        if not over:
            assert stretch not in cover.covering
            continue
        counts = [sum(1 for k in over if rows[k][3] == tag) for tag in cover.tags]
        commonest, *present = cover.looks[stretch]
        assert counts[commonest] == max(counts) and commonest == counts.index(max(counts))
        assert present == [bool(n) for n in counts]
        if len(over) <= DETAIL:
            assert cover.covering[stretch] == over
        else:
            assert stretch not in cover.covering


def test_rendered_paragraphs_escape_text_and_label_highlights():
    text = "<b>bold</b> & more"
    html = draw(text, [(7, 0, 11, "claim", "alice")]).html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'aria-label="Highlight: claim by alice"' in html
    assert 'data-ids="7" data-begin="1"' in html


def test_a_shallow_mark_names_its_highlights_and_the_innermost_wins_a_tie():
    text = "one two three four five"
    rows = [(1, 0, 18, "claim", "alice"), (2, 4, 13, "opinion", "bob")]
    drawing = draw(text, rows)
    inner = re.search(r'<mark class="hl t-(\w+) d2"[^>]*>', drawing.html)
    assert inner.group(1) == "opinion"
    assert 'data-ids="1 2"' in inner.group(0) and "Highlight: claim by alice; opinion by bob" in inner.group(0)
    assert drawing.named == [0, 1]


def test_deep_neighbours_that_look_the_same_are_one_mark_that_counts_rather_than_names():
    text = "alpha beta gamma delta"
    rows = [(k, 0, 16, "claim", f"user{k}") for k in range(4)] + [(9, 6, 10, "claim", "zoe")]
    drawing = draw(text, rows)
    marks = re.findall(r"<mark[^>]*>", drawing.html)
    assert len(marks) == 1
    assert 'data-s="0"' in marks[0] and 'data-begin="5"' in marks[0] and "data-ids" not in marks[0]
    assert 'aria-label="Highlight: 4 to 5 annotations (claim)"' in marks[0]
    assert "user" not in drawing.html and drawing.named == []


def test_a_deep_mark_is_coloured_by_its_commonest_tag_and_underlined_by_the_others():
    text = "a passage under many highlights"
    rows = [(k, 0, 9, tag, "alice") for k, tag in enumerate(["quote", "claim", "quote", "opinion", "quote"])]
    html = render_span(text, 0, len(text), Highlights.of(rows))
    assert '<mark class="hl t-quote d4"' in html and 'data-tags="quote claim opinion"' in html
    assert '<span class="also l2 t-opinion"><span class="also l1 t-claim">a passage</span></span></mark>' in html


def test_a_dense_text_draws_a_bounded_number_of_marks_each_with_bounded_detail():
    words = " ".join(f"word{n}" for n in range(60))
    bounds = [m.span() for m in re.finditer(r"\w+", words)]
    rnd = random.Random(5)
    rows = []
    for k in range(3000):
        first = rnd.randrange(len(bounds) - 5)
        rows.append((k, bounds[first][0], bounds[first + rnd.randrange(5)][1], rnd.choice(TAGS), f"user{k % 20}"))
    drawing = draw(words, rows)
    marks = re.findall(r"<mark[^>]*>", drawing.html)
    assert len(marks) <= 2 * len(bounds)  # at most one a word start or end, whatever the number of highlights
    assert all(
        len(re.findall(r"\d+", m.split("data-ids=")[1].split('"')[1])) <= DETAIL for m in marks if "data-ids" in m
    )
    assert len(drawing.html) < 600 * len(marks)
    assert len(drawing.named) <= DETAIL * len(marks)


def test_a_span_of_the_text_draws_the_highlights_clipped_to_it():
    text = "before the passage after"
    html = render_span(text, 7, 18, Highlights.of([(1, 0, 10, "claim", "alice"), (2, 20, 24, "quote", "bob")]))
    assert html == (
        '<mark class="hl t-claim d1" role="button" data-s="7" data-tags="claim" data-ids="1" '
        'aria-label="Highlight: claim by alice">the</mark> passage'
    )


def test_spans_alone_count_and_the_highlights_near_the_shallow_stretches_name_them():
    rows = [(k, 0, 30, "claim", f"user{k}") for k in range(5)] + [
        (8, 40, 50, "quote", "ann"),
        (9, 45, 60, "claim", "bo"),
    ]
    highlights = Highlights.of(rows)
    spans = coverage(Spans(highlights.starts, highlights.ends, highlights.tags), (0, 70))
    assert spans.covering == {} and spans.depth == [5, 0, 1, 2, 1, 0]
    assert spans.shallow_ranges(20) == [(40, 60)]
    named = spans.naming(highlights.overlapping(40, 60))
    assert {stretch: [named.named.ids[k] for k in row] for stretch, row in named.covering.items()} == {
        2: [8],
        3: [8, 9],
        4: [9],
    }


def test_shallow_ranges_join_the_closest_neighbours_to_stay_few():
    rows = [(k, start, start + 2, "claim", "ann") for k, start in enumerate([0, 10, 12, 30, 31, 50])]
    cover = coverage(Highlights.of(rows), (0, 60))
    assert cover.shallow_ranges(20) == [(0, 2), (10, 14), (30, 33), (50, 52)]
    assert cover.shallow_ranges(2) == [(0, 33), (50, 52)]  # the gaps of 8 and 16 close, not that of 17
    assert cover.shallow_ranges(1) == [(0, 52)]


def test_a_highlight_written_after_the_spans_were_read_is_left_unnamed():
    spans = coverage(Spans([0], [10], ["claim"]), (0, 20))
    named = spans.naming(Highlights.of([(1, 0, 10, "claim", "ann"), (2, 3, 7, "quote", "new")]))
    assert named.covering == {0: [0]} and named.named.ids == [1]


def test_more_tags_than_a_byte_holds_are_counted_alike():
    tags = [f"tag{n:03}" for n in range(300)]
    rows = [(n, n % 7, 10 + n % 5, tag, "ann") for n, tag in enumerate(tags)] + [(999, 0, 10, "tag299", "bo")]
    cover = coverage(Spans(*[[row[k] for row in rows] for k in (1, 2, 3)]), (0, 20))
    for stretch, start in enumerate(cover.cuts[:-1]):
        over = [row[3] for row in rows if row[1] <= start < row[2]]
        commonest, *present = cover.looks[stretch]
        assert cover.depth[stretch] == len(over)
        assert [tag for tag, here in zip(cover.tags, present, strict=True) if here] == sorted(set(over))
        if over:  # the commonest, ties to the first by name: tag299 only where it is there twice
            assert cover.tags[commonest] == max(sorted(set(over)), key=over.count)
    assert cover.tags[cover.looks[cover.index[5]][0]] == "tag299"


@st.composite
def passages_and_highlights(draw_):
    size = draw_(st.integers(10, 80))
    bounds = sorted(draw_(st.sets(st.integers(0, size), min_size=2, max_size=12)))
    passages = list(zip(bounds[::2], bounds[1::2], strict=False))  # side by side, none inside another
    rows = []
    for k in range(draw_(st.integers(0, 12))):
        start = draw_(st.integers(0, size - 1))
        end = draw_(st.integers(start + 1, size))
        rows.append((k, start, end, draw_(st.sampled_from(TAGS)), f"user{k % 3}"))
    return "x" * size, passages, Highlights.of(rows)


@given(passages_and_highlights())
def test_the_aligned_views_passages_are_drawn_as_each_would_be_on_its_own(case):
    text, passages, highlights = case
    painter = Painter(text, highlights, [bound for passage in passages for bound in passage])
    for start, end in passages:
        assert painter.draw(start, end) == render_span(text, start, end, highlights)


@given(passages_and_highlights())
def test_tag_counts_of_a_passage_are_the_highlights_overlapping_it(case):
    text, passages, highlights = case
    counts = TagCounts(highlights)
    for start, end in passages:
        assert counts.overlapping(start, end) == Counter(highlights.overlapping(start, end).tags)


@st.composite
def overlapping_passages_and_highlights(draw_):
    text, _side_by_side, highlights = draw_(passages_and_highlights())
    size = len(text)
    passages = []
    for _ in range(draw_(st.integers(1, 6))):
        start = draw_(st.integers(0, size - 1))
        passages.append((start, draw_(st.integers(start + 1, size))))
    return text, passages, highlights


@given(overlapping_passages_and_highlights())
def test_passages_that_overlap_or_nest_are_drawn_as_each_would_be_on_its_own(case):
    text, passages, highlights = case
    painter = Painter(text, highlights, [bound for passage in passages for bound in passage])
    for start, end in passages:
        assert painter.draw(start, end) == render_span(text, start, end, highlights)


def _as_still(html: str) -> str:
    """A pressable mark as a still one says it: no button role, offsets or ids; its label a title."""
    return re.sub(r' role="button"| data-[a-z]+="[^"]*"', "", html).replace("aria-label=", "title=")


@given(overlapping_passages_and_highlights())
def test_still_marks_cut_and_name_as_pressable_ones_with_a_title_and_nothing_to_press(case):
    text, passages, highlights = case
    bounds = [bound for passage in passages for bound in passage]
    pressable, still = Painter(text, highlights, bounds), Painter(text, highlights, bounds, still=True)
    for start, end in passages:
        drawn = still.draw(start, end)
        assert drawn == _as_still(pressable.draw(start, end))
        assert "role=" not in drawn and "data-" not in drawn and "aria-label" not in drawn
