"""An editor's correction applied to the stored alignment at once, to the rows it touches.

Replaying every correction needs the whole corpus aligned again (minutes for a newsroom's
corpus); a new correction only changes the one or two rows it names. They are read as the
replay reads groups, the correction is applied by the same code (`alignment/overrides.py`), and
the rows are written back in one short transaction. Every later full run replays it with the
others, as before.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import models, transaction

from articles.alignment.overrides import Override, apply_overrides
from articles.models import (
    AlignmentEvent,
    AlignmentGroup,
    AlignmentOverride,
    AlignmentPassage,
    AlignmentRun,
    AlignmentSuggestion,
    Article,
)
from articles.services.alignment import alignment_compute, rows_relabel
from sinorus.wording import shows_something


def passage_at(article_id: int | None, start: int | None):
    """The stored passage of the article's current revision that holds offset `start` (a sentence
    can be in two rows: the first one, as a full run's replay of the correction takes it)."""
    if article_id is None or start is None:
        return None
    return (
        AlignmentPassage.objects.filter(
            article_id=article_id, revision_id=models.F("article__current"), start__lte=start, end__gt=start
        )
        .select_related("group")
        .order_by("group__order", "group_id")  # as the replay finds it: the first row holding it
        .first()
    )


def offsets_naming(group: AlignmentGroup, passages: list[tuple[int, int, int]]) -> list[int | None]:
    """For each (article, start, end) passage of `group`, the first offset inside it that no earlier
    row holds, so that a correction naming it lands on this row (see passage_at); None if every
    offset of the passage is also in an earlier row."""
    earlier = defaultdict(list)
    for article_id, start, end in AlignmentPassage.objects.filter(
        models.Q(group__order__lt=group.order) | models.Q(group__order=group.order, group_id__lt=group.pk),
        article_id__in={a for a, _s, _e in passages},
        revision_id=models.F("article__current"),
    ).values_list("article_id", "start", "end"):
        earlier[article_id].append((start, end))
    out: list[int | None] = []
    for article_id, start, end in passages:
        at = start
        for s, e in sorted(earlier[article_id]):
            if s > at:
                break
            at = max(at, e)
        out.append(at if at < end else None)
    return out


def _holding(article_id: int, offset: int) -> models.Q:
    """The rows with a passage of the article's current revision holding `offset`."""
    return models.Q(
        passages__article_id=article_id,
        passages__revision_id=models.F("passages__article__current"),
        passages__start__lte=offset,
        passages__end__gt=offset,
    )


def _sentence_at(article_id: int | None, start: int | None) -> tuple[int, int, int] | None:
    """The sentence holding `start` as a lone passage (article, start, end), as the engine leaves it."""
    from articles.models import Article

    article = Article.objects.filter(pk=article_id).select_related("current").first()
    if article is None or article.current is None or start is None:
        return None
    return next(((article_id, s, e) for s, e in article.current.sentences if s <= start < e), None)


@transaction.atomic
def alignment_override_apply(override: AlignmentOverride) -> None:
    """Apply `override` to the stored rows it names (and to suggestions it judges)."""
    ends = [(override.article_id, override.start), (override.target_article_id, override.target_start)]
    passages = [passage_at(a, s) for a, s in ends]
    # every row holding either end, in the page's order: a sentence can be in two rows, and the
    # correction's members say which one it names (alignment/overrides.py, as a full run replays it)
    holding = _holding(*ends[0]) | (_holding(*ends[1]) if ends[1][0] is not None else models.Q(pk__in=[]))
    groups = list(AlignmentGroup.objects.filter(holding).distinct().order_by("order", "pk"))
    state = [
        {
            "pk": g.pk,
            "label": g.label,
            "discrepancy": g.discrepancy,
            "cohesion": g.cohesion,
            "level": g.level,
            "event": g.event_id,
            "passages": [(p.article_id, p.start, p.end) for p in g.passages.order_by("pk")],
        }
        for g in groups
    ]
    lone = [_sentence_at(a, s) for (a, s), p in zip(ends, passages, strict=True) if p is None]
    only_in = [x for x in lone if x is not None]
    correction = Override(
        override.kind,
        override.article_id,
        override.start,
        override.target_article_id,
        override.target_start,
        override.label,
        tuple((a, x) for a, x in override.members),
        tuple((a, x) for a, x in override.target_members),
    )
    kept = apply_overrides(state, only_in, [correction])
    for g in kept:  # a row an editor named keeps that name whatever a correction changes
        g["renamed"] = any(_named_by_editor(a, s, e) for a, s, e in g["passages"])
    rows_relabel(kept, _texts_of(kept), _stored_index())
    _write(groups, state, kept)
    if override.kind in ("accept", "reject"):
        _forget_suggestion(override)


def _named_by_editor(article_id: int, start: int, end: int) -> bool:
    return AlignmentOverride.objects.filter(
        kind=AlignmentOverride.Kind.RENAME, lost=False, article_id=article_id, start__gte=start, start__lt=end
    ).exists()


def _texts_of(groups: list[dict]):
    """text(article, start, end) for the passages of `groups`, reading each article's text once."""
    from articles.models import Revision

    articles = {a for g in groups for a, _s, _e in g["passages"]}
    texts = dict(
        Revision.objects.filter(article_id__in=articles, article__current=models.F("pk")).values_list(
            "article_id", "text"
        )
    )
    return lambda a, s, e: texts.get(a, "")[s:e]


def _stored_index():
    """The last full run's CorpusIndex (its idf names a corrected row as the engine would), or None."""
    from articles.services.alignment_index import index_load

    loaded = index_load()
    return loaded[0] if loaded else None


def _forget_suggestion(override: AlignmentOverride) -> None:
    """The suggested link the editor judged is not shown again (a full run leaves it out too)."""
    ends = {(override.article_id, override.start), (override.target_article_id, override.target_start)}
    between = AlignmentSuggestion.objects.filter(
        models.Q(article_id=override.article_id, target_article_id=override.target_article_id)
        | models.Q(article_id=override.target_article_id, target_article_id=override.article_id)
    )
    for s in between:
        inside = [(s.article_id, s.start, s.end), (s.target_article_id, s.target_start, s.target_end)]
        if all(any(a == d and st <= x < e for d, st, e in inside) for a, x in ends):
            s.delete()


def _write(groups: list[AlignmentGroup], state: list[dict], kept: list[dict]) -> None:
    """Rows left with one article go, the others get their passages and label, a new row its own event."""
    from articles.models import Article

    articles = {a for g in kept for a, _s, _e in g["passages"]}
    revisions = dict(Article.objects.filter(pk__in=articles).values_list("pk", "current_id"))
    source = dict(Article.objects.filter(pk__in=articles).values_list("pk", "source"))

    def key(passages) -> str:  # as a full run keys a row: its first passage, articles in file-name order
        article, start, _end = min(passages, key=lambda p: (source[p[0]], p[1]))
        return f"{article}:{start}"

    kept_ids = {id(g) for g in kept}
    AlignmentPassage.objects.filter(group__in=groups).delete()
    events = {g.event_id for g in groups}
    for g, row in zip(state, groups, strict=False):
        if id(g) not in kept_ids:
            row.delete()
    order = (AlignmentGroup.objects.aggregate(m=models.Max("order"))["m"] or 0) + 1
    for g in kept:
        if "pk" in g:
            # a row that lost its first passage is keyed by its new one: the next full run gives its
            # id to the row starting there, not to the passage split out
            AlignmentGroup.objects.filter(pk=g["pk"]).update(label=g["label"][:200], key=key(g["passages"]))
            group_id = g["pk"]
        else:
            event = AlignmentEvent.objects.create(key=f"corrected:{order}", label=g["label"][:200], order=order)
            group_id = AlignmentGroup.objects.create(
                key=key(g["passages"]), label=g["label"][:200], level="point", order=order, event=event
            ).pk
        AlignmentPassage.objects.bulk_create(
            AlignmentPassage(group_id=group_id, article_id=a, revision_id=revisions[a], start=s, end=e)
            for a, s, e in g["passages"]
        )
    AlignmentEvent.objects.filter(pk__in=events, groups__isnull=True).delete()


def alignment_override_add(
    *,
    user,
    kind: str,
    article: Article,
    start: int,
    target_article=None,
    target_start=None,
    label: str = "",
    target_group: int | None = None,
):
    """Record an editor's correction and apply it to the stored rows it names, so that it shows at
    once (every full run replays it); with no alignment stored yet, compute one. Raise ValueError
    for a passage no current text holds, or a suggested link within one article.

    `target_group`: the row a move or a merge goes into, named by the editor's choice (its first
    passage stands for it, and its passages' points say which row that is, should the passage be
    in an earlier row too)."""
    target_members = None
    if target_group is not None:
        row = list(
            AlignmentPassage.objects.filter(group_id=target_group, revision_id=models.F("article__current"))
            .select_related("article")
            .order_by("article_id", "start")
        )
        if not row:
            raise ValueError("choose the row to move or merge into")
        target_article, target_start = row[0].article, row[0].start
        target_members = [[p.article_id, (p.start + p.end) // 2] for p in row]

    for named, at in ((article, start), (target_article, target_start)):
        if named is not None and not (isinstance(at, int) and named.current and 0 <= at < len(named.current.text)):
            raise ValueError(f"that passage is not in “{named.current.title if named.current else named.source}”")
    if kind in ("accept", "reject") and (target_article is None or target_article.pk == article.pk):
        raise ValueError("a suggested link joins passages of two articles")
    if kind == "rename" and not shows_something(label):
        raise ValueError("a label needs a character that shows")
    if AlignmentRun.objects.exists():  # what a correction names must be on the page it was made on
        if kind in ("rename", "split", "move", "merge") and passage_at(article.pk, start) is None:
            raise ValueError("that passage is in no row of the aligned view: choose it from a row")
        if kind in ("accept", "reject") and not _suggested(article.pk, start, target_article.pk, target_start):
            raise ValueError("these two passages are not a suggested link (any more)")
    override = AlignmentOverride(
        kind=kind,
        article=article,
        start=start,
        target_article=target_article,
        target_start=target_start,
        label=" ".join(label.replace("\x00", "").split())[:200],
        members=_members_at(article.pk, start),
        target_members=target_members
        if target_members is not None
        else _members_at(target_article.pk, target_start)
        if target_article is not None
        else [],
        created_by=user,
    )
    override.full_clean()
    override.save()
    if AlignmentRun.objects.exists():
        alignment_override_apply(override)
    else:
        alignment_compute()
    return override


def _suggested(article_id: int, start: int, target_article_id: int, target_start: int) -> bool:
    """Whether a stored suggestion joins the passages holding these two offsets (either way round)."""
    ends = [(article_id, start), (target_article_id, target_start)]
    for s in AlignmentSuggestion.objects.filter(
        models.Q(article_id=article_id, target_article_id=target_article_id)
        | models.Q(article_id=target_article_id, target_article_id=article_id)
    ):
        held = [(s.article_id, s.start, s.end), (s.target_article_id, s.target_start, s.target_end)]
        if all(any(a == d and b <= x < e for d, b, e in held) for a, x in ends):
            return True
    return False


def _members_at(article_id: int, start: int) -> list[list[int]]:
    """A point inside each passage of the stored row that holds (article, start): what a
    correction records of the row it names, to find it again in a later run ([] for a passage in
    no row)."""
    passage = passage_at(article_id, start)
    if passage is None:
        return []
    return [[p.article_id, (p.start + p.end) // 2] for p in passage.group.passages.order_by("article_id", "start")]
