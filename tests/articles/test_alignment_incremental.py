from __future__ import annotations

from collections import defaultdict

import pytest

from articles.models import AlignmentGroup, AlignmentOverride, AlignmentPassage, AlignmentRun, Article
from articles.services.alignment import alignment_compute
from articles.services.alignment_corrections import alignment_override_add
from articles.services.alignment_increments import alignment_update
from articles.services.alignment_index import index_load, index_path
from articles.services.revisions import article_import, revision_from_corrected_text


def grouped_with(article_id: int) -> dict[int, set[tuple[int, int]]]:
    """Sentence of the article -> the (article, sentence) of other articles in a group with it."""
    sentences = {a.pk: a.current.sentences for a in Article.objects.select_related("current")}

    def covered(p) -> list[int]:
        return [n for n, (s, e) in enumerate(sentences[p.article_id]) if s >= p.start and e <= p.end]

    out: dict[int, set] = defaultdict(set)
    for group in AlignmentGroup.objects.prefetch_related("passages"):
        passages = list(group.passages.all())
        others = {(p.article_id, n) for p in passages if p.article_id != article_id for n in covered(p)}
        for p in passages:
            if p.article_id == article_id:
                for n in covered(p):
                    out[n] |= others
    return {n: o for n, o in out.items() if o}


@pytest.fixture
def four_aligned(corpus, seed_paths):
    """Four seeds aligned in full; the fifth seed's file, not yet imported."""
    last = seed_paths[-1]
    Article.objects.filter(source=last.name).delete()
    alignment_compute()
    return last


def add(path) -> Article:
    return article_import(source=path.name, data=path.read_bytes()).article


def test_an_added_article_is_aligned_alone_into_the_groups_a_full_run_gives_it(four_aligned):
    article = add(four_aligned)
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    incremental = grouped_with(article.pk)
    alignment_compute()
    full = grouped_with(article.pk)
    assert len(incremental) >= 0.9 * len(full)
    agreeing = sum(1 for n, partners in full.items() if partners & incremental.get(n, set()))
    assert agreeing >= 0.8 * len(full)


def test_an_added_article_keeps_the_stored_groups_as_they_were(four_aligned):
    before = {
        g.pk: (g.label, {(p.article_id, p.start) for p in g.passages.all()}) for g in AlignmentGroup.objects.all()
    }
    article = add(four_aligned)
    alignment_update()
    for group in AlignmentGroup.objects.filter(pk__in=before):
        label, passages = before[group.pk]
        kept = {(p.article_id, p.start) for p in group.passages.exclude(article=article)}
        assert (group.label, kept) == (label, passages)


def _in_one_row_only(passages):
    """Passages whose sentence sits in no other row: a correction names a sentence, not a row."""
    for p in passages:
        if AlignmentPassage.objects.filter(article_id=p.article_id, start=p.start).count() == 1:
            yield p


def test_corrections_survive_an_added_article(four_aligned, staff):
    points = AlignmentPassage.objects.filter(group__level="point").order_by("group__order", "article_id", "start")
    first = next(_in_one_row_only(points))
    alignment_override_add(user=staff, kind="rename", article=first.article, start=first.start, label="the summit")
    others = AlignmentPassage.objects.exclude(group__label="the summit").order_by("group__order", "article_id", "start")
    lone = next(_in_one_row_only(others))
    alignment_override_add(user=staff, kind="split", article=lone.article, start=lone.start)
    add(four_aligned)
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    renamed = AlignmentPassage.objects.get(article=first.article, start=first.start).group
    assert renamed.label == "the summit"
    assert not AlignmentPassage.objects.filter(article=lone.article, start=lone.start).exists()


def test_a_new_revision_replaces_the_articles_passages(corpus):
    alignment_compute()
    article = Article.objects.get(pk=corpus[1].pk)
    old = article.current_id
    assert AlignmentPassage.objects.filter(revision_id=old).exists()
    revision = revision_from_corrected_text(article=article, text=article.current.text + "\n\nOne more sentence here.")
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    assert not AlignmentPassage.objects.filter(revision_id=old).exists()
    assert AlignmentPassage.objects.filter(revision=revision).exists()
    assert all(len({p.article_id for p in g.passages.all()}) >= 2 for g in AlignmentGroup.objects.all())
    _index, _stamp, revisions = index_load()
    assert revisions[article.pk] == revision.pk


def test_a_removed_article_leaves_no_group_of_one_article(corpus):
    alignment_compute()
    article = Article.objects.get(pk=corpus[2].pk)
    Article.objects.filter(pk=article.pk).update(current=None)
    alignment_update()
    assert not AlignmentPassage.objects.filter(article=article).exists()
    assert all(len({p.article_id for p in g.passages.all()}) >= 2 for g in AlignmentGroup.objects.all())


def test_nothing_changed_writes_nothing(corpus):
    alignment_compute()
    runs = AlignmentRun.objects.count()
    assert alignment_update() == AlignmentGroup.objects.count()
    assert AlignmentRun.objects.count() == runs


def test_without_an_index_the_update_is_a_full_run(four_aligned):
    index_path().unlink()
    add(four_aligned)
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.FULL


def test_many_changed_articles_make_a_full_run(four_aligned, settings):
    settings.ALIGNMENT_INCREMENTAL_LIMIT = 0
    settings.ALIGNMENT_FULL_AFTER_SHARE = 0.0
    add(four_aligned)
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.FULL


def test_a_new_storys_articles_arriving_together_make_a_full_run_in_a_small_corpus(corpus, settings):
    alignment_compute()
    story = [
        f"Harbour {n}\n\nThe harbour board voted on Tuesday to rebuild the old pier before winter, "
        f"report {n} says.\n\nFishermen said the pier had been closed for two years."
        for n in range(3)
    ]
    for n, text in enumerate(story):
        article_import(source=f"pier_{n}.txt", data=text.encode())
    settings.ALIGNMENT_FULL_FOR_NEW_STORY = 3  # a corpus larger than this adds them one at a time
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    article_import(source="pier_3.txt", data=story[0].replace("report 0", "report 3").encode())
    article_import(source="pier_4.txt", data=story[1].replace("report 1", "report 4").encode())
    settings.ALIGNMENT_FULL_FOR_NEW_STORY = 200
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.FULL


def test_a_correction_naming_the_changed_article_makes_a_full_run(corpus, staff):
    alignment_compute()
    passage = AlignmentPassage.objects.select_related("article").first()
    alignment_override_add(user=staff, kind="split", article=passage.article, start=passage.start)
    revision_from_corrected_text(article=passage.article, text=passage.article.current.text + "\n\nOne more.")
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.FULL
    assert AlignmentOverride.objects.filter(article=passage.article).exists()


def test_an_index_of_another_run_makes_a_full_run(four_aligned):
    AlignmentRun.objects.update(stamp="another")
    add(four_aligned)
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.FULL


PORT_STRIKE = """Dockworkers return as port strike ends

Dockworkers returned to work on Monday after union leaders accepted a pay offer of 7.5 per cent over two years.

The Port of Valmere, which handles about a fifth of the region's container traffic, reopened on Monday morning after a three-week strike that left more than 40 ships waiting offshore.

Union leaders accepted a revised offer late on Sunday. "This is a fair deal for people who keep this country supplied," said Anna Berg, the regional secretary of the Transport Workers' Union. "Our members stood together and it paid off."

The port authority said it expected the backlog to be cleared within ten days, although shipping analysts were more cautious.

"It will take at least a month before schedules are back to normal," said Tomas Ek, an analyst at Nordic Freight Partners. He estimated that the strike had cost exporters about €120 million.

A fruit importer in the city said shelves had been half empty for two weeks.

What the deal includes

Under the agreement, wages rise by 4 per cent this year and 3.5 per cent next year. Night shifts will also be paid at a higher rate, and the port will hire 120 additional staff by the end of the year.

The employers' association called the deal "expensive but necessary" and said it would review the port's fee structure in the autumn.
"""


def test_an_added_article_on_something_else_joins_no_row_of_the_corpus(four_aligned):
    before = {g.pk: g.passages.count() for g in AlignmentGroup.objects.all()}
    article = article_import(source="port-strike.txt", data=PORT_STRIKE.encode()).article
    alignment_update()
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    assert not AlignmentPassage.objects.filter(article=article).exists()  # not one Russia–China row
    assert {g.pk: g.passages.count() for g in AlignmentGroup.objects.all()} == before
