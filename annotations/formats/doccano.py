"""doccano JSONL: `{"text", "label": [[start, end, "tag"], ...]}`, one line per document and annotator.

Pure module. Offsets are code points, as doccano counts them. Lines also name the article,
revision and annotator (doccano keeps extra keys as metadata); notes and free labels are not
carried (doccano spans have one label and no text).
"""

from __future__ import annotations

import json

from annotations.formats.records import by_annotator, incoming


def document_lines(document) -> list[dict]:
    """One doccano line per annotator of `document`."""
    return [
        {
            "text": document.text,
            "label": [[r.start, r.end, r.tag] for r in records],
            "article": document.name,
            "revision": document.revision,
            "annotator": annotator,
        }
        for annotator, records in by_annotator(document.records).items()
    ]


def write_jsonl(documents, out, dumps=None) -> int:
    """Write the lines of every document; return the number of spans."""
    dumps = dumps or (lambda obj: json.dumps(obj, ensure_ascii=False))
    count = 0
    for document in documents:
        for line in document_lines(document):
            out.write(dumps(line) + "\n")
            count += len(line["label"])
    return count


def looks_like_doccano(row) -> bool:
    return isinstance(row, dict) and "text" in row and ("label" in row or "entities" in row) and "target" not in row


def read_line(row: dict):
    """Yield incoming annotations from one doccano line (or a str naming what is wrong)."""
    text = row.get("text")
    annotator = row.get("annotator") or row.get("user") or row.get("username") or ""
    spans = row.get("label", row.get("entities"))
    if not isinstance(spans, list):
        yield "label: must be a list of [start, end, tag]"
        return
    for span in spans:
        if isinstance(span, dict):  # doccano's newer "entities" shape
            start, end, tag = span.get("start_offset"), span.get("end_offset"), span.get("label")
        elif isinstance(span, list) and len(span) == 3:
            start, end, tag = span
        else:
            yield "label: each span must be [start, end, tag]"
            continue
        exact = text[start:end] if isinstance(text, str) and _offsets(start, end, text) else ""
        yield incoming(
            article=row.get("article"),
            revision=row.get("revision"),
            start=start,
            end=end,
            exact=exact,
            tags=[tag],
            annotator=annotator,
            text=text,
        )


def _offsets(start, end, text: str) -> bool:
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
    return ints and 0 <= start < end <= len(text)
