"""CoNLL-2003 exports read by the tools that read CoNLL: NLTK, seqeval (strict IOB2) and spaCy."""

from __future__ import annotations

from annotations.formats import nlp
from annotations.formats.records import Record
from tests.annotations.helpers import export_zip


def _record(start, end, tag, annotator="alice"):
    from datetime import UTC, datetime

    now = datetime(2024, 1, 1, tzinfo=UTC)
    return Record(1, 1, "a.txt", 1, start, end, "", "", "", tag, "", annotator, "individual", None, now, now, 1)


def test_conll_starts_with_the_standard_docstart_line_and_no_header(doc):
    text = export_zip("conll").read("alice.conll").decode()
    assert text.startswith("-DOCSTART- -X- -X- O\n\n")
    assert "#" not in text.splitlines()[0]


def test_nltk_reads_every_sentence_of_the_conll_export(doc, tmp_path, monkeypatch):
    import nltk
    from nltk.corpus.reader import ConllCorpusReader

    monkeypatch.setattr(nltk.data, "path", [*nltk.data.path, str(tmp_path)])  # NLTK reads only known folders

    (tmp_path / "alice.conll").write_bytes(export_zip("conll").read("alice.conll"))
    reader = ConllCorpusReader(str(tmp_path), ["alice.conll"], columntypes=("words", "pos", "ignore", "chunk"))
    sentences = reader.iob_sents()
    words = [w for s in sentences for w, _pos, _iob in s]
    assert "grin" in words and "billion" in words
    tags = [iob for s in sentences for _w, _pos, iob in s]
    assert "B-Claim" in tags


def test_a_nested_span_starts_with_b_so_strict_iob2_keeps_both_entities():
    text = "one two three four five"
    outer, inner = _record(0, len(text), "opinion"), _record(4, 13, "claim")
    labels = nlp.iob2_labels(nlp.tokens_of(text, 0, len(text)), [outer, inner])
    assert labels == ["B-Opinion", "B-Claim", "I-Claim", "B-Opinion", "I-Opinion"]


def test_adjacent_spans_with_the_same_tag_are_two_entities():
    text = "one two"
    labels = nlp.iob2_labels(nlp.tokens_of(text, 0, 7), [_record(0, 3, "claim"), _record(4, 7, "claim")])
    assert labels == ["B-Claim", "B-Claim"]


def test_seqeval_strict_mode_counts_one_entity_per_non_overlapping_annotation(doc):
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    lines = export_zip("conll").read("bob.conll").decode().split("\n")
    sentences, current = [], []
    for line in lines[2:]:
        if line:
            current.append(line.split(" ")[3])
        elif current:
            sentences.append(current)
            current = []
    strict = Entities(sentences, IOB2).entities
    assert sum(len(s) for s in strict) == 2  # bob's two annotations do not overlap
    assert len(get_entities(sentences)) == 2


def test_spacy_reads_the_conll_export_as_entities(doc, tmp_path):
    from spacy.training.converters import conll_ner_to_docs

    text = export_zip("conll").read("alice.conll").decode()
    docs = list(conll_ner_to_docs(text, n_sents=1, no_print=True))
    entities = [(e.text, e.label_) for d in docs for e in d.ents]
    assert ("figure $ 245 billion", "Claim") in entities or ("figure $245 billion", "Claim") in entities
    assert all(e[1] != "O" and "DOCSTART" not in e[0] for e in entities)
