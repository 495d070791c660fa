"""brat standoff: fragments where brat's reader breaks lines, and one .ann per annotator."""

from __future__ import annotations

import re

import pytest

from annotations.formats import nlp
from tests.annotations.helpers import export_zip


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"])
def test_a_span_across_any_splitlines_break_becomes_two_fragments(separator):
    text = f"first{separator}second"
    fragments = nlp.brat_fragments(text, 0, len(text))
    assert fragments == [(0, 5), (6, 12)]
    assert all(len(text[s:e].splitlines()) == 1 for s, e in fragments)


def test_no_line_of_an_ann_file_is_split_by_splitlines(doc, django_user_model):
    from annotations.models import Annotation

    text = doc.current.text
    # A text with a break that only splitlines() sees, as a correction or an odd source can leave.
    start = text.index("grin")
    broken = text[:start] + "gr\u2028in" + text[start + 4 :]
    type(doc.current).objects.filter(pk=doc.current.pk).update(text=broken)
    Annotation.objects.filter(exact="😀 grin").update(end=start + 5, exact="😀 gr\u2028in")
    ann = export_zip("brat").read("alice/doc.r1.ann").decode("utf-8")
    assert len(ann.splitlines()) == ann.count("\n")  # splitlines finds no break that \n does not
    assert "gr in" in ann


def test_two_annotators_identical_spans_go_to_separate_ann_files(doc, bob, django_user_model):
    from annotations.services.annotations import annotation_create

    text = doc.current.text
    start = text.index("“curly quotes”")
    alice = django_user_model.objects.get(username="alice")
    annotation_create(user=alice, revision=doc.current, start=start, end=start + 14, exact=None, tag="quote")
    archive = export_zip("brat")
    for who in ("alice", "bob"):
        spans = [
            line.split("\t")[1] for line in archive.read(f"{who}/doc.r1.ann").decode().splitlines() if line[0] == "T"
        ]
        assert len(spans) == len(set(spans))
        assert archive.read(f"{who}/doc.r1.txt").decode() == text


def test_two_tags_whose_names_are_symbols_get_two_brat_labels_and_a_plain_tag_keeps_its_own():
    from annotations.formats.nlp import brat_label

    labels = [brat_label(t) for t in ("★", "☆", "\u200b", "\u0301", "Ωmega", "Ωmega ﷽")]
    assert len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", label) for label in labels)  # what brat and CoNLL readers take
    assert brat_label("claim") == "Claim" and brat_label("my-tag_2") == "My-tag_2"
