from __future__ import annotations

import pytest

from articles import alignment
from articles.models import AlignmentGroup, AlignmentPassage, AlignmentSuggestion
from articles.services.alignment import alignment_compute
from articles.services.alignment_corrections import alignment_override_add


@pytest.fixture
def aligned(corpus):
    alignment_compute()


@pytest.fixture
def no_realignment(monkeypatch):
    """A correction must not align the corpus again."""

    def refuse(*args, **kwargs):
        raise AssertionError("the corpus was aligned again")

    monkeypatch.setattr(alignment, "align", refuse)


def rows_of(article_id: int, offset: int) -> set[int]:
    return set(
        AlignmentPassage.objects.filter(article_id=article_id, start__lte=offset, end__gt=offset).values_list(
            "group_id", flat=True
        )
    )


def test_a_rename_shows_at_once_without_aligning_again(aligned, no_realignment, staff):
    passage = AlignmentPassage.objects.first()
    alignment_override_add(user=staff, kind="rename", article=passage.article, start=passage.start, label="the talks")
    assert AlignmentGroup.objects.get(pk=passage.group_id).label == "the talks"


def test_a_split_passage_leaves_its_row_at_once_and_a_row_of_one_article_goes(aligned, no_realignment, staff):
    def two_passages_of_two_articles(group) -> bool:
        passages = list(group.passages.all())
        only_here = all(rows_of(p.article_id, p.start) == {group.pk} for p in passages)
        return len({p.article_id for p in passages}) == len(passages) == 2 and only_here

    group = next(g for g in AlignmentGroup.objects.all() if two_passages_of_two_articles(g))
    passage = group.passages.first()
    alignment_override_add(user=staff, kind="split", article=passage.article, start=passage.start)
    assert not rows_of(passage.article_id, passage.start) & {group.pk}
    assert not AlignmentGroup.objects.filter(pk=group.pk).exists()


def test_a_moved_passage_joins_the_target_row_at_once_as_after_recomputation(aligned, staff, monkeypatch):
    first, second = list(AlignmentGroup.objects.all()[:2])
    moved, target = first.passages.first(), second.passages.first()
    real = alignment.align
    monkeypatch.setattr(alignment, "align", lambda *a, **k: pytest.fail("the corpus was aligned again"))
    alignment_override_add(
        user=staff,
        kind="move",
        article=moved.article,
        start=moved.start,
        target_article=target.article,
        target_start=target.start,
    )
    assert rows_of(moved.article_id, moved.start) & rows_of(target.article_id, target.start)
    monkeypatch.setattr(alignment, "align", real)
    alignment_compute()
    assert rows_of(moved.article_id, moved.start) & rows_of(target.article_id, target.start)


def test_an_accepted_suggestion_joins_its_passages_and_is_no_longer_suggested(aligned, no_realignment, staff):
    s = AlignmentSuggestion.objects.first()
    alignment_override_add(
        user=staff,
        kind="accept",
        article=s.article,
        start=s.start,
        target_article=s.target_article,
        target_start=s.target_start,
    )
    assert rows_of(s.article_id, s.start) & rows_of(s.target_article_id, s.target_start)
    assert not AlignmentSuggestion.objects.filter(pk=s.pk).exists()


def test_a_rejected_suggestion_is_no_longer_suggested_at_once(aligned, no_realignment, staff):
    s = AlignmentSuggestion.objects.first()
    alignment_override_add(
        user=staff,
        kind="reject",
        article=s.article,
        start=s.start,
        target_article=s.target_article,
        target_start=s.target_start,
    )
    assert not AlignmentSuggestion.objects.filter(pk=s.pk).exists()


def test_with_no_alignment_stored_a_correction_aligns_the_corpus(corpus, staff):
    article = corpus[0]
    start = article.current.sentences[0][0]
    alignment_override_add(user=staff, kind="split", article=article, start=start)
    assert AlignmentGroup.objects.exists()


def test_merging_two_rows_that_hold_one_passage_shows_it_once():
    from articles.alignment.overrides import Override, apply_overrides

    def row(*passages):
        return {
            "label": "row",
            "discrepancy": "",
            "cohesion": 0.0,
            "level": "point",
            "event": "",
            "passages": list(passages),
        }

    shared, wider = (1, 0, 50), (2, 0, 120)
    groups = [row(shared, (3, 10, 40), (2, 20, 60)), row(shared, wider)]
    kept = apply_overrides(groups, [], [Override("merge", 3, 10, 2, 0)])
    assert [sorted(g["passages"]) for g in kept] == [[shared, wider, (3, 10, 40)]]  # (2, 20, 60) is inside (2, 0, 120)


def _row(label, *passages):
    return {
        "label": label,
        "discrepancy": "",
        "cohesion": 0.0,
        "level": "point",
        "event": "",
        "passages": list(passages),
    }


def test_a_rename_replayed_after_regrouping_goes_to_the_row_that_is_mostly_the_renamed_one():
    from articles.alignment.overrides import Override, apply_overrides

    renamed = ((1, 15), (2, 15), (3, 15))  # the three passages the editor named "Panic in Yida camp"
    rename = Override("rename", 1, 10, label="Panic in Yida camp", members=renamed)
    # a later run put the named passage into the event's own big row, the other two elsewhere
    event_row = _row("the event", (1, 0, 30), *((a, 0, 30) for a in range(4, 12)))
    still_them = _row("Yida · camp", (2, 0, 30), (3, 0, 30), (12, 0, 30))
    kept = apply_overrides([event_row, still_them], [], [rename])
    assert [g["label"] for g in kept] == ["the event", "Panic in Yida camp"]
    # and where no row is mostly theirs any more, the name is not given to any
    scattered = [_row("a", (1, 0, 30), *((a, 0, 30) for a in range(4, 9))), _row("b", (2, 0, 30), (5, 40, 60))]
    assert [g["label"] for g in apply_overrides(scattered, [], [rename])] == ["a", "b"]


def test_a_rename_recorded_with_the_rows_points_survives_a_full_run(aligned, staff):
    group = AlignmentGroup.objects.filter(level="point").order_by("order").first()
    passage = group.passages.order_by("article_id", "start").first()
    override = alignment_override_add(
        user=staff, kind="rename", article=passage.article, start=passage.start, label="Named by an editor"
    )
    assert len(override.members) == group.passages.count()
    alignment_compute()
    assert AlignmentGroup.objects.filter(label="Named by an editor").count() == 1


def test_a_split_replayed_after_a_run_that_ordered_the_rows_otherwise_leaves_the_row_named():
    from articles.alignment.overrides import Override, apply_overrides

    # the editor split (1, 0, 30) out of the trade row; the sentence is also in the event's own row,
    # which a later run (new articles added) puts first
    trade = ((1, 15), (2, 15), (3, 15))
    split = Override("split", 1, 10, members=trade)
    event_row = _row("the event", (1, 0, 30), (4, 0, 30), (5, 0, 30))
    trade_row = _row("trade · $245 billion", (2, 0, 30), (3, 0, 30), (1, 0, 30))
    kept = apply_overrides([event_row, trade_row], [], [split])
    assert [sorted(g["passages"]) for g in kept] == [[(1, 0, 30), (4, 0, 30), (5, 0, 30)], [(2, 0, 30), (3, 0, 30)]]
    assert kept[1]["changed"] and not kept[0].get("changed")


def test_a_merge_replayed_goes_into_the_row_named_even_where_its_passage_is_in_another_first():
    from articles.alignment.overrides import Override, apply_overrides

    merge = Override("merge", 6, 5, 2, 5, members=((6, 5), (7, 5)), target_members=((2, 5), (3, 5)))
    first = _row("the event", (2, 0, 30), (8, 0, 30))
    source = _row("Latin America", (6, 0, 30), (7, 0, 30))
    target = _row("Latin America · brighter future", (3, 0, 30), (2, 0, 30))
    kept = apply_overrides([first, source, target], [], [merge])
    assert [sorted(g["passages"]) for g in kept] == [
        [(2, 0, 30), (8, 0, 30)],
        [(2, 0, 30), (3, 0, 30), (6, 0, 30), (7, 0, 30)],
    ]


def test_accepting_a_suggestion_whose_passages_already_share_a_row_moves_nothing():
    from articles.alignment.overrides import Override, apply_overrides

    nato = _row("NATO · region", (1, 0, 30), (2, 0, 30))
    fields = _row("Putin · fields", (3, 0, 30), (1, 0, 30), (4, 0, 30))
    kept = apply_overrides([fields, nato], [], [Override("accept", 1, 5, 2, 5)])
    assert [sorted(g["passages"]) for g in kept] == [[(1, 0, 30), (3, 0, 30), (4, 0, 30)], [(1, 0, 30), (2, 0, 30)]]
    # a rejected one leaves every row the two share
    kept = apply_overrides(
        [_row("a", (1, 0, 30), (2, 0, 30), (5, 0, 30)), _row("b", (2, 0, 30), (1, 0, 30), (6, 0, 30))],
        [],
        [Override("reject", 1, 5, 2, 5)],
    )
    assert [sorted(g["passages"]) for g in kept] == [[(2, 0, 30), (5, 0, 30)], [(2, 0, 30), (6, 0, 30)]]


def test_no_suggested_link_joins_two_passages_that_already_share_a_row(aligned):
    from annotations.pages.aligned import suggested_links
    from articles.models import Article

    chosen = list(Article.objects.select_related("current").order_by("pk"))
    stored = list(AlignmentSuggestion.objects.all())
    assert stored
    for s in stored:
        assert not rows_of(s.article_id, s.start) & rows_of(s.target_article_id, s.target_start)
    assert suggested_links(chosen)


def test_a_row_a_correction_changed_is_named_again_unless_an_editor_named_it(aligned, no_realignment, staff):
    from articles.alignment.points import row_label
    from articles.services.alignment_index import index_load

    idf, common = index_load()[0].term_weights()

    def after_split(group) -> tuple[object, str]:
        """The passage a split would take out, and the name the rest would get."""
        passages = list(group.passages.order_by("article_id", "start").select_related("article__current"))
        rest = [(p.article_id, p.article.current.text[p.start : p.end]) for p in passages[1:]]
        return passages[0], row_label(rest, idf, common) if len({a for a, _t in rest}) >= 3 else ""

    # a row whose engine label no longer fits once its first passage is split out
    group, passage, expected = next(
        (g, *after_split(g))
        for g in AlignmentGroup.objects.filter(level="point").order_by("order")
        if after_split(g)[1] not in ("", g.label)
    )
    alignment_override_add(user=staff, kind="split", article=passage.article, start=passage.start)
    assert AlignmentGroup.objects.get(pk=group.pk).label == expected
    # an editor's name stays, whatever a later correction changes
    from articles.services.alignment_corrections import offsets_naming

    group = AlignmentGroup.objects.get(pk=group.pk)
    passages = list(group.passages.order_by("article_id", "start").select_related("article"))
    named = [
        (p, at)
        for p, at in zip(
            passages, offsets_naming(group, [(p.article_id, p.start, p.end) for p in passages]), strict=True
        )
        if at is not None
    ]
    (first, at), (last, last_at) = named[0], named[-1]
    alignment_override_add(user=staff, kind="rename", article=first.article, start=at, label="Yuan settlement")
    alignment_override_add(user=staff, kind="split", article=last.article, start=last_at)
    renamed = AlignmentGroup.objects.filter(pk=group.pk).first()
    assert renamed.label == "Yuan settlement"


def test_a_move_into_a_row_that_another_row_has_taken_in_whole_goes_to_the_row_named():
    from articles.alignment.overrides import Override, apply_overrides

    named = _row("named", (2, 0, 30), (3, 0, 30))
    bigger = _row("bigger", (2, 0, 30), (3, 0, 30), (4, 0, 30))  # holds all of "named" and more, earlier
    move = Override("move", 5, 5, 2, 5, members=(), target_members=((2, 15), (3, 15)))
    kept = apply_overrides([bigger, named], [(5, 0, 30)], [move])
    assert [sorted(g["passages"]) for g in kept] == [
        [(2, 0, 30), (3, 0, 30), (4, 0, 30)],
        [(2, 0, 30), (3, 0, 30), (5, 0, 30)],
    ]
