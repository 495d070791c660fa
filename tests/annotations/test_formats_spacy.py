"""spaCy DocBin exports, read back with spaCy (a blank pipeline: no model download)."""

from __future__ import annotations

import spacy
from spacy.tokens import DocBin

from tests.annotations.helpers import export


def _docs():
    return list(DocBin().from_bytes(export("spacy")).get_docs(spacy.blank("en").vocab))


def test_docbin_has_one_doc_per_article_and_one_span_group_per_annotator(doc):
    (read,) = _docs()
    assert read.text == doc.current.text
    assert set(read.spans) == {"alice", "bob"}
    assert sorted(s.label_ for s in read.spans["bob"]) == ["opinion", "quote"]


def test_docbin_keeps_overlapping_spans_and_exact_offsets(doc):
    (read,) = _docs()
    alice, bob = read.spans["alice"], read.spans["bob"]
    grin = next(s for s in alice if "grin" in s.text)
    wider = next(s for s in bob if s.label_ == "opinion")
    assert wider.start_char <= grin.start_char < grin.end_char <= wider.end_char  # overlap kept
    kept = read.user_data["sinorus"]["annotations"]
    text = doc.current.text
    assert sorted(text[a["start"] : a["end"]] for a in kept) == sorted(
        doc.current.annotations.values_list("exact", flat=True)
    )
    assert any(a["note"] == "<b>why</b> this" for a in kept)
