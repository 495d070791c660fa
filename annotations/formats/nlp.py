"""brat standoff (.txt + .ann per article and annotator) and CoNLL-2003 IOB2 token tags."""

from __future__ import annotations

import hashlib
import re

TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
# Every character at which Python's str.splitlines() (and so brat's reader) ends a line.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
DOCSTART = "-DOCSTART- -X- -X- O\n\n"


def brat_label(tag: str) -> str:
    """The brat entity type of a tag: capitalized, anything but ASCII letters, digits, _ and -
    made _. A tag that loses a character so ("★", "☆", "Ωmega") gets a short digest of its
    slug after it ("_-2f1a0c"), so that two tags never share a label."""
    label = re.sub(r"[^A-Za-z0-9_-]", "_", tag.capitalize()) or "Tag"
    if label != tag.capitalize():
        label = f"{label}-{hashlib.sha1(tag.encode('utf-8')).hexdigest()[:6]}"
    return label


def brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat spans cannot cross a line break: split a span into its per-line fragments.

    A line break is whatever `str.splitlines()` breaks at, since that is how brat reads the text.
    """
    fragments, cursor = [], start
    for match in LINE_BREAKS.finditer(text, start, end):
        if match.start() > cursor:
            fragments.append((cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        fragments.append((cursor, end))
    return fragments


def write_brat_ann(text: str, records, out) -> int:
    """T lines for spans (offsets in characters, as brat counts them) and AnnotatorNotes for notes.

    Write one annotator's records per file: readers fail on two identical spans in one `.ann`.
    """
    count = 0
    for record in records:
        fragments = brat_fragments(text, record.start, record.end)
        if not fragments:
            continue
        count += 1
        spans = ";".join(f"{s} {e}" for s, e in fragments)
        covered = " ".join(text[s:e] for s, e in fragments)
        out.write(f"T{count}\t{brat_label(record.tag)} {spans}\t{covered}\n")
        if record.note:
            out.write(f"#{count}\tAnnotatorNotes T{count}\t{' '.join(record.note.split())}\n")
    return count


def tokens_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in TOKEN.finditer(text[start:end])]


def iob2_labels(tokens: list[tuple[int, int]], records) -> list[str]:
    """One IOB2 label per token for one annotator's records.

    A token belongs to the shortest span covering it (so a nested span shows); every entity
    starts with B-, including one that follows another entity with no gap, so that strict IOB2
    readers (seqeval) count one entity per annotation.
    """
    owner: list[int | None] = [None] * len(tokens)
    ordered = sorted(enumerate(records), key=lambda pair: pair[1].end - pair[1].start)
    for index, record in ordered:
        for i, (a, b) in enumerate(tokens):
            if owner[i] is None and a < record.end and b > record.start:
                owner[i] = index
    labels, previous = [], None
    for who in owner:
        if who is None:
            labels.append("O")
        else:
            label = brat_label(records[who].tag)
            labels.append(("I-" if who == previous else "B-") + label)
        previous = who
    return labels


def write_conll(text: str, sentences: list[tuple[int, int]], records, out) -> int:
    """One CoNLL-2003 document: `-DOCSTART- -X- -X- O`, then `token _ _ label` lines, sentences apart.

    `records` are one annotator's; call once per article and append to that annotator's file.
    Returns the number of token lines.
    """
    out.write(DOCSTART)
    records = list(records)
    lines = 0
    for s_start, s_end in sentences:
        tokens = tokens_of(text, s_start, s_end)
        if not tokens:
            continue
        inside = [r for r in records if r.start < s_end and r.end > s_start]
        for (a, b), label in zip(tokens, iob2_labels(tokens, inside), strict=True):
            out.write(f"{text[a:b]} _ _ {label}\n")
            lines += 1
        out.write("\n")
    return lines
