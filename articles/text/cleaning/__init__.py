"""Separate a scraped article from the page around it (pure text logic, no Django).

The steps live in their own modules: `lines` (a line and its shapes), `lexicon` (interface
phrases and boilerplate), `stopwords`, `scoring` (prose or chrome, per line and in context),
`mainblock` (the article's main block), `repetition`, `metadata` (title, standfirst, byline,
bio), `extracted` (text an HTML extractor already cut) and `pipeline` (the order of the steps).
"""

from __future__ import annotations

from articles.text.cleaning.article import CleanedArticle, Paragraph, Removed
from articles.text.cleaning.lines import Line, ends_sentence, paragraph_kind, split_lines
from articles.text.cleaning.pipeline import clean

__all__ = ["CleanedArticle", "Line", "Paragraph", "Removed", "clean", "ends_sentence", "paragraph_kind", "split_lines"]
