"""W3C Web Annotation JSON-LD: our one representation of an annotation.

Pure module: builds and reads plain dicts. https://www.w3.org/TR/annotation-model/
"""

from __future__ import annotations

import json
from urllib.parse import quote

from annotations.formats.records import LinkRecord
from annotations.text.spans import cap_prefix, cap_suffix

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def annotation_doc(
    *,
    url: str,
    source: str,
    creator: str,
    creator_url: str,
    tag: str,
    note: str,
    start: int,
    end: int,
    exact: str,
    prefix: str,
    suffix: str,
    created,
    modified,
    version: int,
) -> dict:
    """One stand-alone annotation (with its own @context, as the W3C test suite wants).

    `created`/`modified` are datetimes (or RFC 3339 strings already); the API's 4,000-item list,
    the file exports and single responses all build their annotations here.
    """
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag}]
    if note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/html"})
    return {
        "@context": CONTEXT,
        "id": url,
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"id": creator_url, "type": "Person", "nickname": creator},
        "created": created if isinstance(created, str) else created.isoformat(timespec="seconds"),
        "modified": modified if isinstance(modified, str) else modified.isoformat(timespec="seconds"),
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
        "schema:version": version,
    }


def revision_source(base: str, article_id: int, revision: int) -> str:
    """The IRI of a revision's cleaned text served as text/plain: what every offset counts into."""
    return f"{base}/articles/{article_id}/revisions/{revision}.txt"


def record_to_w3c(record, base: str) -> dict:
    """A Record as a W3C annotation, naming its article so an import elsewhere can find it.

    The target's source is the revision's plain text, so that position selectors hold against it;
    prefix and suffix are capped at 32 UTF-16 units (browser anchoring libraries count those).
    """
    doc = annotation_doc(
        url=f"{base}/api/annotations/{record.id}",
        source=revision_source(base, record.article_id, record.revision),
        creator=record.annotator,
        creator_url=f"{base}/users/{quote(record.annotator, safe='')}",
        tag=record.tag,
        note=record.note,
        start=record.start,
        end=record.end,
        exact=record.exact,
        prefix=cap_prefix(record.prefix),
        suffix=cap_suffix(record.suffix),
        created=record.created,
        modified=record.modified,
        version=record.version,
    )
    for label in record.labels:
        doc["body"].insert(1, {"type": "TextualBody", "purpose": "tagging", "value": label})
    doc["target"]["schema:name"] = record.article
    doc["schema:additionalType"] = record.layer
    return doc


def _selectors(exact: str, prefix: str, suffix: str, start: int, end: int) -> list[dict]:
    return [
        {"type": "TextQuoteSelector", "exact": exact, "prefix": cap_prefix(prefix), "suffix": cap_suffix(suffix)},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def link_to_w3c(record: LinkRecord, base: str) -> dict:
    """A link as a W3C annotation: motivation `linking`, its kind (and note) as bodies, one target per passage."""
    body = [{"type": "TextualBody", "purpose": "classifying", "value": record.kind}]
    if record.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": record.note, "format": "text/html"})
    return {
        "@context": CONTEXT,
        "id": f"{base}/links/{record.id}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": {
            "id": f"{base}/users/{quote(record.annotator, safe='')}",
            "type": "Person",
            "nickname": record.annotator,
        },
        "created": record.created.isoformat(timespec="seconds"),
        "modified": record.modified.isoformat(timespec="seconds"),
        "body": body,
        "target": [
            {
                "source": revision_source(base, end.article_id, end.revision),
                "schema:name": end.article,
                "selector": _selectors(end.exact, end.prefix, end.suffix, end.start, end.end),
            }
            for end in record.ends
        ],
        "schema:additionalType": record.layer,
    }


def iter_collection(records, *, base: str, label: str, page_size: int = 1000, dumps=None):
    """Yield an AnnotationCollection in pieces; each page is embedded in the previous one's `next`.

    `records` may hold LinkRecords beside Records: a link is written as a linking annotation.

    One page of annotations is in memory at a time, whatever the collection's size.
    """
    dumps = dumps or (lambda obj: json.dumps(obj, ensure_ascii=False))
    yield '{"@context": "http://www.w3.org/ns/anno.jsonld", "id": ' + dumps(f"{base}/exports/collection")
    yield ', "type": "AnnotationCollection", "label": ' + dumps(label) + ', "first": '
    total, depth, page = 0, 0, []

    def page_text() -> str:
        head = ', "next": ' if depth else ""
        return (
            head + '{"id": ' + dumps(f"{base}/exports/collection?page={depth}") + ', "type": "AnnotationPage", '
            '"startIndex": ' + str(total - len(page)) + ', "items": [' + ", ".join(page) + "]"
        )

    for record in records:
        page.append(dumps(link_to_w3c(record, base) if isinstance(record, LinkRecord) else record_to_w3c(record, base)))
        total += 1
        if len(page) == page_size:
            yield page_text()
            depth += 1
            page = []
    if page or depth == 0:
        yield page_text()
        depth += 1
    yield "}" * depth + ', "total": ' + str(total) + "}\n"


def write_collection(records, out, *, base: str, label: str, page_size: int = 1000, dumps=None) -> int:
    """Write iter_collection to a text stream; return the number of annotations."""
    counted = _Counted(records)
    for piece in iter_collection(counted, base=base, label=label, page_size=page_size, dumps=dumps):
        out.write(piece)
    return counted.count


class _Counted:
    def __init__(self, items) -> None:
        self.items, self.count = items, 0

    def __iter__(self):
        for item in self.items:
            self.count += 1
            yield item
