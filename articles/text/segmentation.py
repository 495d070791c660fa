"""Paragraph and sentence spans over the cleaned text, in Unicode code points.

Pure module. Sentences come from sentencex (Wikimedia's rule-based segmenter for ~300
languages): it knows abbreviations such as "U.S." and "Dr.", keeps a quotation that spans
several sentences whole, and segments millions of words a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import sentencex

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Segmented:
    text: str
    paragraphs: list[tuple[int, int, str]]  # (start, end, kind)
    sentences: list[tuple[int, int]]  # (start, end), whitespace trimmed


def sentence_spans(paragraph: str, language: str = "en") -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentencex.segment(language or "en", paragraph):
        stripped = sentence.strip()
        if not stripped:
            continue
        start = paragraph.find(stripped, cursor)
        if start < 0:  # the segmenter never rewrites text, but never trust an offset blindly
            continue
        spans.append((start, start + len(stripped)))
        cursor = start + len(stripped)
    if not spans and paragraph.strip():
        lead = len(paragraph) - len(paragraph.lstrip())
        spans.append((lead, len(paragraph.rstrip())))
    return spans


def segment(paragraphs: list[tuple[str, str]], language: str = "en") -> Segmented:
    """Join (text, kind) paragraphs with blank lines and locate paragraphs and sentences."""
    para_spans: list[tuple[int, int, str]] = []
    sent_spans: list[tuple[int, int]] = []
    offset = 0
    for index, (text, kind) in enumerate(paragraphs):
        if index:
            offset += len(PARAGRAPH_SEPARATOR)
        para_spans.append((offset, offset + len(text), kind))
        if kind == "heading":
            sent_spans.append((offset, offset + len(text)))
        else:
            sent_spans.extend((offset + s, offset + e) for s, e in sentence_spans(text, language))
        offset += len(text)
    text = PARAGRAPH_SEPARATOR.join(text for text, _kind in paragraphs)
    return Segmented(text=text, paragraphs=para_spans, sentences=sent_spans)
