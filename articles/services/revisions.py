"""Writes to the corpus: importing files as articles, new revisions (re-import, restored line, correction).

Every new revision of an existing article is announced with `revision_created` inside its
transaction, so that what belongs to the old text (annotations) follows it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from articles.models import Article, Revision
from articles.services.processing import ArticleImportError, process_file, segment_blocks
from articles.signals import revision_created
from articles.text import extraction
from sinorus.wording import shows_something


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


def _lines(text: str) -> list[str]:
    """A text's lines as cleaning numbers them (from 1, line breaks of any kind), stripped."""
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _restored_again(previous: Revision | None, source: str, text: str, dropped: set[int]) -> frozenset[int]:
    """The lines of `text` (a new version of the file) that staff restored in `previous`: each
    restored line once, as the line of the same words that cleaning dropped again nearest where it
    was (line numbers move when a file changes). `dropped`: the new file's dropped line numbers."""
    if previous is None or not previous.kept_lines:
        return frozenset()
    try:
        old = _lines(extraction.extract(source, bytes(previous.raw), max_bytes=10**12).text)
    except extraction.ExtractionError:
        return frozenset()
    new = _lines(text)
    chosen: set[int] = set()
    for n in sorted(previous.kept_lines):
        if not 0 < n <= len(old) or not old[n - 1]:
            continue
        where = n / len(old)
        candidates = [m for m in dropped if m not in chosen and 0 < m <= len(new) and new[m - 1] == old[n - 1]]
        if candidates:
            chosen.add(min(candidates, key=lambda m: (abs(m / len(new) - where), m)))
    return frozenset(chosen)


def article_import(*, source: str, data: bytes, over_correction: bool = False) -> ImportOutcome:
    """Import one file's bytes as an article, or as a new revision when its content changed.

    Raise ArticleImportError (and write nothing) when the file cannot be read as an article, or
    when its article's text was corrected by hand and `over_correction` is not given: the file's
    text would replace the correction (kept as its revision, but no longer the text read). The
    CPU work (extraction, cleaning, segmentation) runs before the write transaction, which stays
    short: other writers never wait for a slow file.
    """
    source = Path(source).name
    content_hash = hashlib.sha256(data).hexdigest()
    existing = Revision.objects.filter(article__source=source, article__current=models.F("pk")).first()
    if existing is not None and existing.content_hash == content_hash:
        return ImportOutcome(existing.article, existing, "unchanged", list(existing.warnings))
    if existing is not None and existing.corrected_by_hand and not over_correction:
        raise ArticleImportError(source, _corrected_by_hand(existing))
    extracted, fields = process_file(source, data, max_bytes=settings.ARTICLE_MAX_BYTES)
    kept = _restored_again(existing, source, extracted.text, {r["number"] for r in fields["removed"]})
    if kept:  # the lines staff restored in the earlier file, where the new one still has them
        extracted, fields = process_file(source, data, kept, max_bytes=settings.ARTICLE_MAX_BYTES)
        fields["cleaning_warnings"].append(
            f"{len(kept)} line{'s' if len(kept) != 1 else ''} restored in the earlier version kept again"
        )
    with transaction.atomic():
        article, created = Article.objects.select_for_update().get_or_create(source=source)
        previous = article.current
        if previous is not None and previous.content_hash == content_hash:  # imported meanwhile
            return ImportOutcome(article, previous, "unchanged", list(previous.warnings))
        if previous is not None and previous.corrected_by_hand and not over_correction:  # corrected meanwhile
            raise ArticleImportError(source, _corrected_by_hand(previous))
        warnings = extracted.warnings + fields.pop("cleaning_warnings")
        number = (article.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = Revision(
            article=article,
            number=number,
            raw=data,
            content_hash=content_hash,
            encoding=extracted.encoding,
            is_html=extracted.is_html,
            warnings=warnings,
            kept_lines=sorted(kept),
            **fields,
        )
        revision.full_clean(exclude=["article", "raw"])
        revision.save()
        article.current = revision
        article.save(update_fields=["current"])
        followed = _announce(article, previous, revision, "re-import")
    status = "created" if created else "revised"
    return ImportOutcome(article, revision, status, warnings, followed.moved, followed.orphaned)


CORRECTED = Revision.CORRECTED


def _corrected_by_hand(current: Revision) -> str:
    return (
        f"an editor corrected this article's text by hand (revision {current.number}): this changed file "
        "would replace the correction with the file's text. Nothing was imported; to import it all the same, "
        "tick “Replace texts corrected by hand” (the correction stays in the article's revisions)"
    )


def revision_restore_line(*, article: Article, number: int) -> Revision:
    """Keep raw line `number` that cleaning dropped: re-clean into a new revision.

    The earlier revision's text stays as it was; its annotations move to the new one. Cleaning
    runs outside the transaction; if the article changed meanwhile, nothing is written.
    """
    current = Revision.objects.get(pk=Article.objects.values_list("current_id", flat=True).get(pk=article.pk))
    if not any(r["number"] == number for r in current.removed):
        raise ValueError(f"line {number} was not removed from this revision")
    if current.corrected_by_hand:
        raise ValueError(
            "an editor corrected this text by hand: restoring a line cleans the file again and would undo "
            "that correction. Add the line in a correction of the text instead"
        )
    kept = frozenset([*current.kept_lines, number])
    try:
        extracted, fields = process_file(article.source, bytes(current.raw), kept, max_bytes=10**12)
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


class StaleCorrection(ValueError):
    """The text was corrected from a revision that is no longer the current one."""


@transaction.atomic
def revision_from_corrected_text(*, article: Article, text: str, base: int | None = None) -> Revision:
    """A new revision whose cleaned text is `text` as an editor corrected it; the old one stays.

    Paragraphs are the blank-line-separated blocks of the corrected text; sentences are found
    again. The raw bytes are carried over, so the import report still shows the original file.
    `base`: the revision number the editor corrected; if another revision came since, nothing is
    saved (StaleCorrection): saving would silently undo that one.
    """
    current = _lock_current(article)
    if base is not None and base != current.number:
        raise StaleCorrection(
            f"revision {current.number} was saved since you opened revision {base} (another correction, "
            "a re-upload or a restored line): saving yours would undo it. Your text is kept below; "
            "compare it with the current text, then save again."
        )
    if not shows_something(text):
        raise ValueError("the corrected text is empty (or only invisible characters)")
    seg = segment_blocks(text, current.language or "en")
    if seg.text == current.text:
        raise ValueError("nothing changed: the text is as it was, so no new revision was made")
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
        # one note of the correction, naming the revision it started from; not one more at each correction
        warnings=[
            *(w for w in current.warnings if not w.startswith(CORRECTED)),
            f"{CORRECTED} (from revision {current.number})",
        ],
        word_count=len(seg.text.split()),
    )


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
