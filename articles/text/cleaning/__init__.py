"""Separate a scraped article from the page around it (pure text logic, no Django)."""

from __future__ import annotations

from articles.text.cleaning.pipeline import (
    CleanedArticle,
    Line,
    Paragraph,
    Removed,
    clean,
    ends_sentence,
    paragraph_kind,
    split_lines,
)

__all__ = ["CleanedArticle", "Line", "Paragraph", "Removed", "clean", "ends_sentence", "paragraph_kind", "split_lines"]
