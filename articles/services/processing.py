"""From a file's bytes to a revision's fields: extraction, cleaning and segmentation, within a time budget.

No writes here: the services that store a revision call these first, outside their transaction."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from articles.text import bylines, cleaning, extraction, leftout, segmentation
from articles.text.budget import Budget, BudgetExceeded
from sinorus.wording import shows_something


class ArticleImportError(Exception):
    """A file could not be imported; str() is one line naming the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def _title_from_name(source: str) -> str:
    return Path(source).stem.replace("_", " ").replace("-", " ").strip() or source


def cleaned_fields(text: str, *, source: str, kept_lines: frozenset[int], metadata=None, budget=None) -> dict:
    """Clean and segment `text` (with the page's metadata, for HTML); return the Revision fields that depend on it."""
    budget = budget or Budget(settings.ARTICLE_TIME_BUDGET)
    cleaned = cleaning.clean(text, kept_lines=kept_lines, fallback_title=_title_from_name(source), metadata=metadata)
    budget.check("cleaning")
    seg = segmentation.segment([(p.text, p.kind) for p in cleaned.paragraphs], cleaned.language or "en")
    budget.check("sentence segmentation")
    return {
        "title": cleaned.title[:500],
        "standfirst": cleaned.standfirst,
        "byline": bylines.line_names(cleaned.byline)[:300],  # its people, not "By", the desk or the date
        "byline_line": cleaned.byline,  # the line as the file gives it (popped by process_file)
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


def segment_blocks(text: str, language: str):
    """Segment text an editor (or a clean file) gives as blank-line-separated paragraphs, none dropped."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    kinds = [cleaning.paragraph_kind(cleaning.Line(0, b)) for b in blocks]
    return segmentation.segment(list(zip(blocks, kinds, strict=True)), language)


def process_file(source: str, data: bytes, kept_lines: frozenset[int] = frozenset(), *, max_bytes: int):
    """Extract, clean and segment a file, outside any transaction; raise ArticleImportError."""
    budget = Budget(settings.ARTICLE_TIME_BUDGET)
    try:
        extracted = extraction.extract(source, data, max_bytes=max_bytes)
        budget.check("text extraction")
        fields = cleaned_fields(
            extracted.text, source=source, kept_lines=kept_lines, metadata=extracted.metadata, budget=budget
        )
    except (extraction.ExtractionError, BudgetExceeded) as exc:
        raise ArticleImportError(source, str(exc)) from exc
    byline_line = fields.pop("byline_line")
    if not shows_something(fields["text"]):
        raise ArticleImportError(source, "no article text is left after removing page chrome")
    if extracted.is_html:
        header = (fields["title"], fields["standfirst"], byline_line, fields["bio"])
        kept = leftout.kept_texts(fields["text"], fields["paragraphs"], fields["removed"], *header)
        left = leftout.left_out(leftout.page_blocks(data.decode(extracted.encoding or "utf-8", errors="replace")), kept)
        if missed := leftout.missed_prose(left, fields["word_count"]):
            fields["cleaning_warnings"].append(
                f"the extractor may have missed part of the article: the page holds {missed[0]} more paragraphs "
                f"of prose ({missed[1]:,} words) that are not in the text; see “Left out of the page” in the report"
            )
    return extracted, fields
