"""brat standoff (.txt + .ann per article) and CoNLL-style BIO token tags."""

from __future__ import annotations

import re
from collections import defaultdict

TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


def brat_label(tag: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", tag.capitalize()) or "Tag"


def brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat spans cannot cross a line break: split a span into its per-line fragments."""
    fragments, cursor = [], start
    for match in re.finditer(r"\n+", text[start:end]):
        piece_end = start + match.start()
        if piece_end > cursor:
            fragments.append((cursor, piece_end))
        cursor = start + match.end()
    if end > cursor:
        fragments.append((cursor, end))
    return fragments


def write_brat_ann(text: str, records, out) -> int:
    """T lines for spans (offsets in characters, as brat counts them) and AnnotatorNotes for notes."""
    count = 0
    for n, record in enumerate(records, start=1):
        fragments = brat_fragments(text, record.start, record.end)
        spans = ";".join(f"{s} {e}" for s, e in fragments)
        covered = " ".join(text[s:e] for s, e in fragments)
        out.write(f"T{n}\t{brat_label(record.tag)} {spans}\t{covered}\n")
        note = " ".join(f"{record.annotator}: {record.note}".split()) if record.note else record.annotator
        out.write(f"#{n}\tAnnotatorNotes T{n}\t{note}\n")
        count += 1
    return count


def write_conll(text: str, sentences: list[tuple[int, int]], records, out, *, doc_name: str) -> int:
    """One token per line: token, start, end, then one BIO column per annotator (header comment)."""
    by_annotator: dict[str, list] = defaultdict(list)
    for record in records:
        by_annotator[record.annotator].append(record)
    annotators = sorted(by_annotator)
    out.write(f"-DOCSTART- {doc_name}\n# columns: token start end {' '.join(annotators)}\n\n")
    lines = 0
    for s_start, s_end in sentences:
        tokens = [(m.start() + s_start, m.end() + s_start) for m in TOKEN.finditer(text[s_start:s_end])]
        if not tokens:
            continue
        columns = []
        for annotator in annotators:
            labels = ["O"] * len(tokens)
            for record in sorted(by_annotator[annotator], key=lambda r: r.end - r.start):
                inside = [i for i, (a, b) in enumerate(tokens) if a < record.end and b > record.start]
                for k, i in enumerate(inside):
                    if labels[i] == "O":
                        labels[i] = ("B-" if k == 0 else "I-") + brat_label(record.tag)
            columns.append(labels)
        for i, (a, b) in enumerate(tokens):
            out.write("\t".join([text[a:b], str(a), str(b), *(c[i] for c in columns)]) + "\n")
            lines += 1
        out.write("\n")
    return lines
