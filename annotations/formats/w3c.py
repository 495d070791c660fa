"""W3C Web Annotation JSON-LD: our one representation of an annotation.

Pure module: builds and reads plain dicts. https://www.w3.org/TR/annotation-model/
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import quote

import orjson

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
        "creator": ({"id": creator_url} if creator_url else {}) | {"type": "Person", "nickname": creator},
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


class AnnotationWriter:
    """Many annotations of one revision as JSON, byte for byte what `orjson.dumps(annotation_doc(...))`
    gives, several times faster.

    The layout is read once from annotation_doc itself, with markers in place of each field's
    value: everything between the markers is the same for every annotation and stays serialized.
    An annotation then only escapes its own strings. For the API's list of thousands of items.
    """

    INTEGERS = frozenset({"pk", "start", "end", "version"})
    _MARKER = re.compile(rb"\\u0000(\w+)\\u0000")  # how orjson writes "\x00name\x00"

    def __init__(self, *, api_prefix: str, source: str, users_prefix: str) -> None:
        self._layouts = {noted: self._layout(api_prefix, source, users_prefix, noted) for noted in (False, True)}
        self._escaped: dict[str, bytes] = {}  # usernames and tags repeat
        self._accounts: dict[str, bytes] = {}

    def _layout(self, api_prefix: str, source: str, users_prefix: str, noted: bool) -> bytes:
        def mark(name: str) -> str:
            return f"\x00{name}\x00"

        doc = annotation_doc(
            url=api_prefix + mark("pk"),
            source=source,
            creator=mark("creator"),
            creator_url=users_prefix + mark("account"),
            **{name: mark(name) for name in ("tag", "start", "end", "exact", "prefix", "suffix", "version")},
            note=mark("note") if noted else "",
            created=mark("created"),
            modified=mark("modified"),
        )
        pieces = self._MARKER.split(orjson.dumps(doc))
        constants, names = pieces[0::2], tuple(name.decode() for name in pieces[1::2])
        for i, name in enumerate(names):
            if name in self.INTEGERS and constants[i].endswith(b'"') and constants[i + 1].startswith(b'"'):
                constants[i], constants[i + 1] = constants[i][:-1], constants[i + 1][1:]  # a number, unquoted
        return b"".join(  # a bytes format with one %(name)s (or %(name)d) a marker, keyed by bytes
            constant.replace(b"%", b"%%")
            + (b"" if i == len(names) else f"%({names[i]}){'d' if names[i] in self.INTEGERS else 's'}".encode())
            for i, constant in enumerate(constants)
        )

    def _account(self, creator: str) -> bytes:
        """The creator's name as it goes into their page's address, escaped once per name."""
        escaped = self._accounts.get(creator)
        if escaped is None:
            escaped = self._accounts[creator] = self._cached(quote(creator, safe=""))
        return escaped

    def _cached(self, value: str) -> bytes:
        escaped = self._escaped.get(value)
        if escaped is None:
            escaped = self._escaped[value] = orjson.dumps(value)[1:-1]
        return escaped

    def __call__(
        self,
        *,
        pk: int,
        creator: str,
        tag: str,
        note: str,
        start: int,
        end: int,
        exact: str,
        prefix: str,
        suffix: str,
        created: str,
        modified: str,
        version: int,
    ) -> bytes:
        """One annotation's JSON; `created` and `modified` are RFC 3339 strings."""
        return self._layouts[bool(note)] % {
            b"pk": pk,
            b"creator": self._cached(creator),
            b"account": self._account(creator),
            b"tag": self._cached(tag),
            b"note": orjson.dumps(note)[1:-1],
            b"start": start,
            b"end": end,
            b"exact": orjson.dumps(exact)[1:-1],
            b"prefix": orjson.dumps(prefix)[1:-1],
            b"suffix": orjson.dumps(suffix)[1:-1],
            b"created": orjson.dumps(created)[1:-1],
            b"modified": orjson.dumps(modified)[1:-1],
            b"version": version,
        }


def creator_of(base: str, name: str, account: str | None = None) -> dict:
    """The creator of an annotation: a Person whose `id` is their page (/users/<account>), where
    `account` is the account's name when `name` is not (None: it is). A pseudonym names no
    account and gets no id: it must never resolve to a real person who happens to share it."""
    account = name if account is None else account
    person = {"type": "Person", "nickname": name}
    return {"id": _person_page(base, account), **person} if account else person


@lru_cache(maxsize=4096)
def _person_page(base: str, account: str) -> str:  # an export names the same few people thousands of times
    return f"{base}/users/{quote(account, safe='')}"


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
        creator_url=creator_of(base, record.annotator, record.account).get("id", ""),
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
        "creator": creator_of(base, record.annotator, record.account),
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
