from __future__ import annotations

import pytest
from django.db import connection

from articles import alignment
from articles.models import AlignmentGroup, AlignmentPassage, Article
from articles.services.alignment import alignment_compute
from articles.services.revisions import article_import, revision_from_corrected_text

# The alignment must run outside any transaction: these tests need real ones.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def engine_calls(monkeypatch):
    """Wrap the engine; the test sets `during` to something to do while the engine runs."""
    calls = {"count": 0, "in_transaction": [], "during": None}
    real = alignment.align

    def align(documents, *args, **kwargs):
        calls["count"] += 1
        calls["in_transaction"].append(connection.in_atomic_block)
        if calls["during"]:
            calls["during"]()
        return real(documents, *args, **kwargs)

    monkeypatch.setattr(alignment, "align", align)
    return calls


def correct_first_article(corpus) -> None:
    article = Article.objects.get(pk=corpus[0].pk)
    revision_from_corrected_text(article=article, text=article.current.text + "\n\nOne more sentence.")


def test_the_engine_runs_outside_any_transaction(corpus, engine_calls):
    assert alignment_compute() > 0
    assert engine_calls["in_transaction"] == [False]


def test_progress_is_reported_stage_by_stage_outside_any_transaction(corpus):
    seen = []
    alignment_compute(progress=lambda step, total, message: seen.append((step, total, connection.in_atomic_block)))
    steps = [step for step, _total, _atomic in seen]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == seen[-1][1]
    assert len({s for s in steps if 0 < s < seen[-1][1]}) >= 5  # the engine's stages in between
    assert not any(atomic for _s, _t, atomic in seen)


def test_an_article_corrected_while_aligning_is_aligned_again(corpus, engine_calls):
    engine_calls["during"] = lambda: engine_calls["count"] == 1 and correct_first_article(corpus)
    alignment_compute()
    assert engine_calls["count"] == 2
    current = dict(Article.objects.values_list("pk", "current_id"))
    assert AlignmentPassage.objects.exists()
    assert all(p.revision_id == current[p.article_id] for p in AlignmentPassage.objects.all())


def test_an_article_that_keeps_changing_is_left_out_until_the_next_run(corpus, engine_calls):
    engine_calls["during"] = lambda: correct_first_article(corpus)
    alignment_compute()
    assert engine_calls["count"] == 3
    assert AlignmentGroup.objects.exists()
    assert not AlignmentPassage.objects.filter(article=corpus[0]).exists()


def _stored_alignment() -> list[tuple]:
    """The stored rows in order, each with its event's label and its passages by source name."""
    return [
        (g.level, g.label, g.event.label, sorted((p.article.source, p.start, p.end) for p in g.passages.all()))
        for g in AlignmentGroup.objects.order_by("order").select_related("event").prefetch_related("passages__article")
    ]


def test_seeds_imported_in_reverse_order_align_the_same(seed_paths):
    runs = []
    for paths in (seed_paths, seed_paths[::-1]):
        Article.objects.all().delete()
        for path in paths:
            article_import(source=path.name, data=path.read_bytes())
        alignment_compute()
        runs.append(_stored_alignment())
    assert runs[0] and runs[0] == runs[1]


def test_a_row_keeps_its_id_from_one_recomputation_to_the_next(corpus):
    from articles.models import AlignmentGroup
    from articles.services.alignment import alignment_compute

    def rows() -> list[tuple[str, int]]:
        return list(AlignmentGroup.objects.order_by("order").values_list("key", "pk"))

    alignment_compute()
    before = rows()
    alignment_compute()
    assert before and rows() == before  # a link to a row (?row=12#g12) still finds it
    first_key, first_pk = before[0]
    AlignmentGroup.objects.filter(pk=first_pk).update(key="no-such-passage")  # as if it had started elsewhere
    alignment_compute()
    assert (first_key, first_pk) not in rows() and rows()[1:] == before[1:]


def test_a_row_that_lost_its_first_passage_to_a_split_gives_its_id_to_no_other_row(corpus, django_user_model):
    from articles.models import AlignmentGroup, AlignmentPassage
    from articles.services.alignment import alignment_compute
    from articles.services.alignment_corrections import alignment_override_add, offsets_naming

    alignment_compute()
    for group in AlignmentGroup.objects.filter(level="point").order_by("order"):
        passages = list(group.passages.order_by("article__source", "start"))
        if len({p.article_id for p in passages}) < 3:
            continue
        offsets = offsets_naming(group, [(p.article_id, p.start, p.end) for p in passages])
        if offsets[0] is not None:
            break
    first = passages[0]
    editor = django_user_model.objects.create_user("splitter")  # the service does not ask who (the view does)
    alignment_override_add(user=editor, kind="split", article=first.article, start=offsets[0])
    label = AlignmentGroup.objects.get(pk=group.pk).label
    alignment_compute()
    again = AlignmentGroup.objects.filter(pk=group.pk).first()
    # the id still names the row the editor corrected (or nothing), never the row its lost passage starts
    assert (
        again is None
        or not again.passages.filter(article=first.article, start=first.start).exists()
        or again.label == label
    )
    assert again is None or again.key != f"{first.article_id}:{first.start}"
    assert AlignmentPassage.objects.exists()
