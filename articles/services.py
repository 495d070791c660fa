"""Writes to the corpus: importing files as articles and restoring dropped lines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from articles.models import Article, Revision
from articles.signals import revision_created
from articles.text import cleaning, extraction, segmentation
from articles.text.budget import Budget, BudgetExceeded


class ArticleImportError(Exception):
    """A file could not be imported; str() is one line naming the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class ImportOutcome:
    article: Article
    revision: Revision
    status: str  # "created", "revised" or "unchanged"
    warnings: list[str] = field(default_factory=list)
    moved: int = 0  # annotations re-anchored onto the new revision
    orphaned: int = 0  # annotations that could not be, kept as orphans


@dataclass(frozen=True)
class Followed:
    """What moved with a new revision: every receiver of `revision_created` reports its counts."""

    moved: int = 0
    orphaned: int = 0


def followed_summary(followed) -> str:
    """One line for the user: how many annotations moved to a new revision and how many were orphaned."""
    moved, orphaned = followed.moved, followed.orphaned
    text = f"{moved} annotation{'s' if moved != 1 else ''} moved to the new revision"
    if orphaned:
        text += f", {orphaned} could not be found and {'are' if orphaned != 1 else 'is'} kept as orphan{'s' if orphaned != 1 else ''}"
    return text + "."


def _announce(article: Article, previous: Revision | None, revision: Revision, cause: str) -> Followed:
    if previous is None:
        return Followed()
    results = revision_created.send(sender=Article, article=article, previous=previous, revision=revision, cause=cause)
    followed = Followed(
        moved=sum(getattr(r, "moved", 0) for _receiver, r in results),
        orphaned=sum(getattr(r, "orphaned", 0) for _receiver, r in results),
    )
    revision.carried = {"moved": followed.moved, "orphaned": followed.orphaned}
    revision.save(update_fields=["carried"])
    return followed


def _title_from_name(source: str) -> str:
    return Path(source).stem.replace("_", " ").replace("-", " ").strip() or source


def _cleaned_fields(text: str, *, source: str, kept_lines: frozenset[int], metadata=None, budget=None) -> dict:
    """Clean and segment `text` (with the page's metadata, for HTML); return the Revision fields that depend on it."""
    budget = budget or Budget(settings.ARTICLE_TIME_BUDGET)
    cleaned = cleaning.clean(text, kept_lines=kept_lines, fallback_title=_title_from_name(source), metadata=metadata)
    budget.check("cleaning")
    seg = segmentation.segment([(p.text, p.kind) for p in cleaned.paragraphs], cleaned.language or "en")
    budget.check("sentence segmentation")
    return {
        "title": cleaned.title[:500],
        "standfirst": cleaned.standfirst,
        "byline": cleaned.byline[:300],
        "bio": cleaned.bio,
        "language": cleaned.language,
        "truncated": cleaned.truncated,
        "text": seg.text,
        "paragraphs": [[s, e, k, p.line] for (s, e, k), p in zip(seg.paragraphs, cleaned.paragraphs, strict=True)],
        "sentences": [list(span) for span in seg.sentences],
        "removed": [{"number": r.number, "line": r.line, "reason": r.reason} for r in cleaned.removed],
        "cleaning_warnings": cleaned.warnings,
        "word_count": len(seg.text.split()),
    }


def _processed(source: str, data: bytes, kept_lines: frozenset[int] = frozenset(), *, max_bytes: int):
    """Extract, clean and segment a file, outside any transaction; raise ArticleImportError."""
    budget = Budget(settings.ARTICLE_TIME_BUDGET)
    try:
        extracted = extraction.extract(source, data, max_bytes=max_bytes)
        budget.check("text extraction")
        fields = _cleaned_fields(
            extracted.text, source=source, kept_lines=kept_lines, metadata=extracted.metadata, budget=budget
        )
    except (extraction.ExtractionError, BudgetExceeded) as exc:
        raise ArticleImportError(source, str(exc)) from exc
    if not fields["text"].strip():
        raise ArticleImportError(source, "no article text is left after removing page chrome")
    return extracted, fields


def article_import(*, source: str, data: bytes) -> ImportOutcome:
    """Import one file's bytes as an article, or as a new revision when its content changed.

    Raise ArticleImportError (and write nothing) when the file cannot be read as an article. The
    CPU work (extraction, cleaning, segmentation) runs before the write transaction, which stays
    short: other writers never wait for a slow file.
    """
    source = Path(source).name
    content_hash = hashlib.sha256(data).hexdigest()
    existing = Revision.objects.filter(article__source=source, article__current=models.F("pk")).first()
    if existing is not None and existing.content_hash == content_hash:
        return ImportOutcome(existing.article, existing, "unchanged", list(existing.warnings))
    extracted, fields = _processed(source, data, max_bytes=settings.ARTICLE_MAX_BYTES)
    with transaction.atomic():
        article, created = Article.objects.select_for_update().get_or_create(source=source)
        previous = article.current
        if previous is not None and previous.content_hash == content_hash:  # imported meanwhile
            return ImportOutcome(article, previous, "unchanged", list(previous.warnings))
        warnings = extracted.warnings + fields.pop("cleaning_warnings")
        number = (article.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = Revision(
            article=article, number=number, raw=data, content_hash=content_hash, encoding=extracted.encoding,
            is_html=extracted.is_html, warnings=warnings, **fields,
        )  # fmt: skip
        revision.full_clean(exclude=["article", "raw"])
        revision.save()
        article.current = revision
        article.save(update_fields=["current"])
        followed = _announce(article, previous, revision, "re-import")
    status = "created" if created else "revised"
    return ImportOutcome(article, revision, status, warnings, followed.moved, followed.orphaned)


def revision_restore_line(*, article: Article, number: int) -> Revision:
    """Keep raw line `number` that cleaning dropped: re-clean into a new revision.

    The earlier revision's text stays as it was; its annotations move to the new one. Cleaning
    runs outside the transaction; if the article changed meanwhile, nothing is written.
    """
    current = Revision.objects.get(pk=Article.objects.values_list("current_id", flat=True).get(pk=article.pk))
    if not any(r["number"] == number for r in current.removed):
        raise ValueError(f"line {number} was not removed from this revision")
    kept = frozenset([*current.kept_lines, number])
    try:
        extracted, fields = _processed(article.source, bytes(current.raw), kept, max_bytes=10**12)
    except ArticleImportError as exc:
        raise ValueError(exc.reason) from exc
    warnings = extracted.warnings + fields.pop("cleaning_warnings")
    with transaction.atomic():
        if _lock_current(article).pk != current.pk:
            raise ValueError("the article changed meanwhile; reload its report and try again")
        return _revision_after(article, current, "restored line", kept_lines=sorted(kept), warnings=warnings, **fields)


def _lock_current(article: Article) -> Revision:
    """Lock the article (writers racing a new revision wait for it) and return its current revision."""
    current_id = Article.objects.select_for_update().filter(pk=article.pk).values_list("current_id", flat=True).get()
    return Revision.objects.select_for_update().get(pk=current_id)


def _revision_after(article: Article, current: Revision, cause: str, **fields) -> Revision:
    """Save a new current revision of `article` from the same raw file as `current`, with `fields` changed.

    Its annotations follow it (see `revision_created`); `revision.followed` says how many moved.
    """
    revision = Revision(
        article=article,
        number=article.revisions.order_by("-number").values_list("number", flat=True).first() + 1,
        raw=bytes(current.raw),
        content_hash=current.content_hash,
        encoding=current.encoding,
        is_html=current.is_html,
        **fields,
    )
    revision.full_clean(exclude=["article", "raw"])
    revision.save()
    article.current = revision
    article.save(update_fields=["current"])
    revision.followed = _announce(article, current, revision, cause)
    return revision


def article_import_paths(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the article files they hold, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in extraction.SUPPORTED_SUFFIXES)
            )
        else:
            files.append(path)
    return files


# ---------------------------------------------------------------- alignment


def _engine_groups(result) -> tuple[list[dict], list[tuple[int, int, int]]]:
    groups = [
        {"label": g.label, "discrepancy": g.discrepancy, "cohesion": g.cohesion, "level": g.level, "event": g.event,
         "passages": [(p.doc_id, p.start, p.end) for p in g.passages]}
        for g in result.groups
    ]  # fmt: skip
    return groups, [(p.doc_id, p.start, p.end) for ps in result.only_in.values() for p in ps]


def _store_events(result, groups: list[dict]) -> dict[str, object]:
    """One AlignmentEvent per event that still has a group; a corrected group without one gets its own."""
    from articles.models import AlignmentEvent

    labels = {e.key: e.label for e in result.events}
    keys: list[str] = []
    for n, g in enumerate(groups):
        if not g["event"]:
            g["event"] = f"corrected:{n}"
            labels[g["event"]] = g["label"]
        if g["event"] not in keys:
            keys.append(g["event"])
    stored = AlignmentEvent.objects.bulk_create(
        AlignmentEvent(key=k[:64], label=labels.get(k, "")[:200], order=n) for n, k in enumerate(keys)
    )
    return dict(zip(keys, stored, strict=True))


def _store_suggestions(result, overrides, skip: set[int] = frozenset()) -> None:
    from articles.models import AlignmentSuggestion

    judged = [o for o in overrides if o.kind in ("accept", "reject")]
    AlignmentSuggestion.objects.bulk_create(
        AlignmentSuggestion(
            article_id=s.left.doc_id,
            start=s.left.start,
            end=s.left.end,
            target_article_id=s.right.doc_id,
            target_start=s.right.start,
            target_end=s.right.end,
            probability=round(s.probability, 4),
        )  # fmt: skip
        for s in result.suggestions
        if not any(_judged(o, s) for o in judged) and not {s.left.doc_id, s.right.doc_id} & skip
    )


def _judged(o, s) -> bool:
    """Whether override `o` names the two passages of suggestion `s`."""
    ends = {(o.article_id, o.start), (o.target_article_id, o.target_start)}
    inside = [(p.doc_id, p.start, p.end) for p in (s.left, s.right)]
    return all(any(a == d and st <= x < e for d, st, e in inside) for a, x in ends)


ALIGNMENT_STEPS = 8  # loading, the engine's stages (alignment.STAGES), corrections, saving
ALIGNMENT_ATTEMPTS = 3


def _current_revisions() -> list[Revision]:
    return list(
        Revision.objects.filter(article__current=models.F("pk"))
        .order_by("article__source")
        .only("id", "article_id", "text", "sentences")
    )


def alignment_compute(*, progress=None) -> int:
    """Align the current revisions of every article; replay overrides; store events and groups.

    The engine works outside any transaction, on a snapshot of the current revisions, so the
    database stays writable meanwhile; the result is written in one short transaction that first
    checks the snapshot is still current (an article corrected or imported meanwhile: the
    alignment is computed again, and after ALIGNMENT_ATTEMPTS the changed articles are left out
    until the next run). `progress(step, total, message)` is told what is happening, from outside
    any transaction, so a job page sees it. Returns the number of groups.
    """
    from articles import alignment
    from articles.alignment.overrides import Override, apply_overrides
    from articles.models import AlignmentOverride

    report = progress or (lambda *_args: None)
    stages = {name: n for n, name in enumerate(alignment.STAGES, 1)}
    for attempt in range(1, ALIGNMENT_ATTEMPTS + 1):
        report(0, ALIGNMENT_STEPS, "loading articles")
        revisions = _current_revisions()
        documents = [
            alignment.Document(r.article_id, str(r.article_id), r.text, [tuple(s) for s in r.sentences])
            for r in revisions
        ]
        result = alignment.align(documents, progress=lambda stage: report(stages[stage], ALIGNMENT_STEPS, stage))
        report(ALIGNMENT_STEPS - 2, ALIGNMENT_STEPS, "applying editors' corrections")
        overrides = [
            Override(o.kind, o.article_id, o.start, o.target_article_id, o.target_start, o.label)
            for o in AlignmentOverride.objects.all()
        ]
        groups = apply_overrides(*_engine_groups(result), overrides)
        report(ALIGNMENT_STEPS - 1, ALIGNMENT_STEPS, "saving groups")
        stored = _alignment_store(result, groups, overrides, revisions, final=attempt == ALIGNMENT_ATTEMPTS)
        if stored is not None:
            report(ALIGNMENT_STEPS, ALIGNMENT_STEPS, f"{stored} groups")
            return stored
        report(0, ALIGNMENT_STEPS, "articles changed meanwhile: aligning again")
    raise AssertionError("unreachable: the last attempt always stores")


@transaction.atomic
def _alignment_store(result, groups: list[dict], overrides, revisions: list[Revision], *, final: bool) -> int | None:
    """Replace the stored alignment with `groups`; None if the snapshot is stale and not `final`.

    On the final attempt, passages of articles whose current revision changed are left out.
    """
    from articles.models import AlignmentEvent, AlignmentGroup, AlignmentPassage, AlignmentSuggestion

    revision_of = {r.article_id: r.pk for r in revisions}
    current = dict(Article.objects.select_for_update().filter(current__isnull=False).values_list("pk", "current_id"))
    stale = {a for a, r in revision_of.items() if current.get(a) != r}
    if (stale or set(current) - set(revision_of)) and not final:
        return None
    if stale:
        groups = [
            g for g in ({**g, "passages": [p for p in g["passages"] if p[0] not in stale]} for g in groups)
            if len({p[0] for p in g["passages"]}) >= 2
        ]  # fmt: skip
    AlignmentEvent.objects.all().delete()
    AlignmentSuggestion.objects.all().delete()
    AlignmentGroup.objects.all().delete()
    events = _store_events(result, groups)
    stored = AlignmentGroup.objects.bulk_create(
        AlignmentGroup(
            key=f"{g['passages'][0][0]}:{g['passages'][0][1]}", label=g["label"][:200], discrepancy=g["discrepancy"][:300],
            cohesion=g["cohesion"], level=g["level"], order=n, event=events[g["event"]],
        )
        for n, g in enumerate(groups)
    )  # fmt: skip
    AlignmentPassage.objects.bulk_create(
        AlignmentPassage(group=group, article_id=a, revision_id=revision_of[a], start=s, end=e)
        for group, g in zip(stored, groups, strict=True)
        for a, s, e in g["passages"]
    )
    _store_suggestions(result, overrides, skip=stale)
    return len(stored)


def alignment_override_add(
    *, user, kind: str, article: Article, start: int, target_article=None, target_start=None, label: str = ""
):
    """Record an editor's correction and recompute, so the correction shows at once."""
    from articles.models import AlignmentOverride

    override = AlignmentOverride(
        kind=kind, article=article, start=start, target_article=target_article, target_start=target_start,
        label=label.strip()[:200], created_by=user,
    )  # fmt: skip
    override.full_clean()
    override.save()
    alignment_compute()
    return override


@transaction.atomic
def revision_from_corrected_text(*, article: Article, text: str) -> Revision:
    """A new revision whose cleaned text is `text` as an editor corrected it; the old one stays.

    Paragraphs are the blank-line-separated blocks of the corrected text; sentences are found
    again. The raw bytes are carried over, so the import report still shows the original file.
    """
    current = _lock_current(article)
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    if not blocks:
        raise ValueError("the corrected text is empty")
    kinds = [cleaning.paragraph_kind(cleaning.Line(0, b)) for b in blocks]
    seg = segmentation.segment(list(zip(blocks, kinds, strict=True)), current.language or "en")
    return _revision_after(
        article,
        current,
        "correction",
        kept_lines=current.kept_lines,
        title=current.title,
        standfirst=current.standfirst,
        byline=current.byline,
        bio=current.bio,
        language=current.language,
        truncated=current.truncated,
        text=seg.text,
        paragraphs=[[s, e, k, 0] for s, e, k in seg.paragraphs],
        sentences=[list(x) for x in seg.sentences],
        removed=current.removed,
        warnings=[*current.warnings, f"text corrected by an editor (from revision {current.number})"],
        word_count=len(seg.text.split()),
    )


def alignment_documents_from_files(paths: list[Path], *, cleaned: bool = True) -> list:
    """Article files as the engine's plain Documents, for benchmarks and training (nothing is stored).

    cleaned: cleaned and segmented as the importer does. Otherwise every paragraph after the first
    line is kept, as when an editor restores the whole text: the engine is then measured on the
    text itself, whatever the cleaning keeps.
    """
    from articles.alignment import Document

    documents = []
    for n, path in enumerate(paths):
        extracted = extraction.extract(path.name, path.read_bytes(), max_bytes=settings.ARTICLE_MAX_BYTES)
        if cleaned:
            fields = _cleaned_fields(extracted.text, source=path.name, kept_lines=frozenset())
            text, sentences = fields["text"], fields["sentences"]
        else:
            body = extracted.text.replace("\r\n", "\n").split("\n", 1)[-1]
            blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
            kinds = [cleaning.paragraph_kind(cleaning.Line(0, b)) for b in blocks]
            seg = segmentation.segment(list(zip(blocks, kinds, strict=True)), "en")
            text, sentences = seg.text, seg.sentences
        documents.append(Document(n, path.name, text, [tuple(s) for s in sentences]))
    return documents
