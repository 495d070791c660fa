"""W3C Web Annotation JSON-LD: our one representation of an annotation.

Pure module: builds and reads plain dicts. https://www.w3.org/TR/annotation-model/
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@dataclass(frozen=True)
class AnnotationData:
    id: int
    url: str  # absolute IRI of the annotation
    source: str  # absolute IRI of the annotated article revision
    creator: str  # username
    creator_url: str
    tag: str
    note: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    created: datetime
    modified: datetime
    version: int
    layer: str = "individual"


def to_w3c(a: AnnotationData, *, with_context: bool = True) -> dict:
    body = [{"type": "TextualBody", "purpose": "tagging", "value": a.tag}]
    if a.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/html"})
    doc = {
        "id": a.url,
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"id": a.creator_url, "type": "Person", "nickname": a.creator},
        "created": a.created.isoformat(timespec="seconds"),
        "modified": a.modified.isoformat(timespec="seconds"),
        "body": body,
        "target": {
            "source": a.source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
        "schema:version": a.version,
    }
    if with_context:
        return {"@context": CONTEXT, **doc}
    return doc


class FormatError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse(payload: dict) -> dict:
    """Read a create/update request: our short form or the W3C form.

    Returns a dict with any of start, end, exact, prefix, suffix, tag, note, version present.
    """
    if not isinstance(payload, dict):
        raise FormatError("body", "must be a JSON object")
    if "target" not in payload and "body" not in payload:
        return {k: payload[k] for k in ("start", "end", "exact", "tag", "note", "version") if k in payload}
    result: dict = {}
    if "schema:version" in payload:
        result["version"] = payload["schema:version"]
    if "version" in payload:
        result["version"] = payload["version"]
    bodies = _as_list(payload.get("body"))
    for body in bodies:
        if isinstance(body, str):
            result.setdefault("tag", body)
            continue
        if not isinstance(body, dict):
            raise FormatError("body", "each body must be an object or a string")
        purpose = body.get("purpose", "")
        value = body.get("value", "")
        if purpose == "tagging" or (purpose == "" and "tag" not in result and body.get("type") == "TextualBody"):
            result["tag"] = value
        elif purpose in ("commenting", "describing", "replying"):
            result["note"] = value
    if "target" in payload:
        targets = _as_list(payload["target"])
        if len(targets) != 1 or not isinstance(targets[0], dict):
            raise FormatError("target", "must be one object with selectors")
        for selector in _as_list(targets[0].get("selector")):
            if not isinstance(selector, dict):
                raise FormatError("target.selector", "each selector must be an object")
            if selector.get("type") == "TextPositionSelector":
                result["start"] = selector.get("start")
                result["end"] = selector.get("end")
            elif selector.get("type") == "TextQuoteSelector":
                result["exact"] = selector.get("exact")
                result["prefix"] = selector.get("prefix", "")
                result["suffix"] = selector.get("suffix", "")
        if "start" not in result and "exact" not in result:
            raise FormatError("target.selector", "needs a TextPositionSelector or a TextQuoteSelector")
    return result
