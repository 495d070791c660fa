"""Writes to the corpus: importing files as articles and restoring dropped lines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles import cleaning, extraction, segmentation
from articles.models import Article, Revision


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


def _title_from_name(source: str) -> str:
    return Path(source).stem.replace("_", " ").replace("-", " ").strip() or source


def _cleaned_fields(text: str, *, source: str, kept_lines: frozenset[int]) -> dict:
    """Clean and segment `text`; return the Revision fields that depend on it."""
    cleaned = cleaning.clean(text, kept_lines=kept_lines, fallback_title=_title_from_name(source))
    seg = segmentation.segment([(p.text, p.kind) for p in cleaned.paragraphs], cleaned.language or "en")
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


@transaction.atomic
def article_import(*, source: str, data: bytes) -> ImportOutcome:
    """Import one file's bytes as an article, or as a new revision when its content changed.

    Raise ArticleImportError (and write nothing) when the file cannot be read as an article.
    """
    source = Path(source).name
    try:
        extracted = extraction.extract(source, data, max_bytes=settings.ARTICLE_MAX_BYTES)
    except extraction.ExtractionError as exc:
        raise ArticleImportError(source, str(exc)) from exc
    content_hash = hashlib.sha256(data).hexdigest()
    article, created = Article.objects.select_for_update().get_or_create(source=source)
    if not created and article.current and article.current.content_hash == content_hash:
        return ImportOutcome(article, article.current, "unchanged", list(article.current.warnings))

    fields = _cleaned_fields(extracted.text, source=source, kept_lines=frozenset())
    if not fields["text"].strip():
        raise ArticleImportError(source, "no article text is left after removing page chrome")
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
        **fields,
    )
    revision.full_clean(exclude=["article", "raw"])
    revision.save()
    article.current = revision
    article.save(update_fields=["current"])
    return ImportOutcome(article, revision, "created" if created else "revised", warnings)


@transaction.atomic
def revision_restore_line(*, article: Article, number: int) -> Revision:
    """Keep raw line `number` that cleaning dropped: re-clean into a new revision.

    The earlier revision stays as it was, so annotations made on it keep their text.
    """
    current = Revision.objects.select_for_update().get(pk=article.current_id)
    if not any(r["number"] == number for r in current.removed):
        raise ValueError(f"line {number} was not removed from this revision")
    kept = frozenset([*current.kept_lines, number])
    extracted = extraction.extract(article.source, bytes(current.raw), max_bytes=10**12)
    fields = _cleaned_fields(extracted.text, source=article.source, kept_lines=kept)
    warnings = extracted.warnings + fields.pop("cleaning_warnings")
    revision = Revision(
        article=article,
        number=article.revisions.order_by("-number").values_list("number", flat=True).first() + 1,
        raw=bytes(current.raw),
        content_hash=current.content_hash,
        encoding=current.encoding,
        is_html=current.is_html,
        kept_lines=sorted(kept),
        warnings=warnings,
        **fields,
    )
    revision.full_clean(exclude=["article", "raw"])
    revision.save()
    article.current = revision
    article.save(update_fields=["current"])
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
