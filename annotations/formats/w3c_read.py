"""Reading W3C Web Annotations: our own exports, Hypothesis's JSON-LD, any page or collection. Pure module.

The API's request bodies go through `parse`; import files through `iter_annotations` and `read_annotation`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from annotations.formats.records import incoming


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
    # a body without a purpose is the note beside a tagging body or under a commenting motivation
    # (Hypothesis's JSON-LD writes its note so, as the importer reads it), else the tag
    motivations = _as_list(payload.get("motivation"))
    tagged = any(isinstance(b, dict) and b.get("purpose") == "tagging" for b in bodies)
    commenting = "commenting" in motivations and "tagging" not in motivations
    unstated = "commenting" if tagged or commenting else "tagging"
    tags = 0
    for body in bodies:
        if isinstance(body, str):
            result.setdefault("tag", body)
            continue
        if not isinstance(body, dict):
            raise FormatError("body", "each body must be an object or a string")
        purpose = body.get("purpose", "") or (unstated if body.get("type") == "TextualBody" else "")
        value = body.get("value", "")
        if purpose == "tagging":
            tags += 1
            if tags > 1:
                raise FormatError("body", "has two tagging bodies: an annotation carries one tag")
            result["tag"] = value
        elif purpose in ("commenting", "describing", "replying"):
            result["note"] = value
    if "target" in payload:
        targets = _as_list(payload["target"])
        if len(targets) != 1 or not isinstance(targets[0], dict):
            raise FormatError("target", "must be one object with selectors")
        if isinstance(targets[0].get("source"), str):
            result["source"] = targets[0]["source"]
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


def read_selectors(target) -> dict:
    """start, end, exact, prefix, suffix from a target's selectors (whatever is there)."""
    found: dict = {"source": target if isinstance(target, str) else ""}
    if not isinstance(target, dict):
        return found
    found["source"] = target.get("source") or target.get("id") or ""
    found["name"] = target.get("schema:name")
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextPositionSelector":
            found["start"], found["end"] = selector.get("start"), selector.get("end")
        elif selector.get("type") == "TextQuoteSelector":
            found["exact"] = selector.get("exact")
            found["prefix"], found["suffix"] = selector.get("prefix", ""), selector.get("suffix", "")
    return found


ARTICLE_IRI = re.compile(r"/articles/([0-9]+)/")


REVISION_IRI = re.compile(r"/revisions/([0-9]+)\.txt|[?&]revision=([0-9]+)")


def article_reference(source) -> tuple[int | None, int | None]:
    """(article id, revision number) named by one of our IRIs, else Nones."""
    if not isinstance(source, str):
        return None, None
    article, revision = ARTICLE_IRI.search(source), REVISION_IRI.search(source)
    return (
        int(article.group(1)) if article else None,
        int(revision.group(1) or revision.group(2)) if revision else None,
    )


def creator_name(creator) -> str:
    """A person's name from a W3C creator or a Hypothesis account (`acct:hana@hypothes.is` is hana)."""
    if isinstance(creator, list):
        creator = creator[0] if creator else ""
    if isinstance(creator, dict):
        creator = creator.get("nickname") or creator.get("name") or creator.get("id") or ""
    if not isinstance(creator, str):
        return ""
    name = creator.removeprefix("acct:")
    if creator.startswith("acct:"):
        name = name.split("@")[0]
    elif "/" in name:
        name = unquote(name.rstrip("/").rsplit("/", 1)[-1])
    return name


def read_annotation(item: dict) -> dict:
    """A W3C annotation (ours, Hypothesis's JSON-LD, Recogito's...) as an incoming annotation.

    Every tagging body is a tag, in order; a body without a purpose is the note (Hypothesis
    writes its Markdown text that way), unless the annotation's motivation is tagging.
    """
    tags, notes, note_format = [], [], "html"
    for body in _as_list(item.get("body")):
        if isinstance(body, str):
            tags.append(body)
            continue
        if not isinstance(body, dict):
            continue
        purpose, value = body.get("purpose", ""), body.get("value", "")
        if purpose == "tagging" or (not purpose and item.get("motivation") == "tagging" and not tags):
            tags.append(value)
        elif purpose in ("", "commenting", "describing", "replying"):
            notes.append(value)
            if body.get("format") == "text/markdown":
                note_format = "markdown"
    targets = _as_list(item.get("target"))
    where = read_selectors(targets[0] if targets else None)
    article_id, revision = article_reference(where["source"])
    version = item.get("schema:version", item.get("version"))
    return incoming(
        article=where.get("name"),
        article_id=article_id,
        revision=revision,
        start=where.get("start"),
        end=where.get("end"),
        exact=where.get("exact", ""),
        prefix=where.get("prefix", ""),
        suffix=where.get("suffix", ""),
        tags=tags,
        note=notes[0] if len(notes) == 1 else "\n\n".join(n for n in notes if isinstance(n, str)),
        note_format=note_format,
        annotator=creator_name(item.get("creator")),
        layer=item.get("schema:additionalType") or "individual",
        created=item.get("created"),
        modified=item.get("modified"),
        version=version,
        source_id=item.get("id"),
    )


def read_link(item: dict) -> dict:
    """A W3C linking annotation (ours: motivation `linking`, its kind a `classifying` body, one
    target per passage) as an incoming link: {"link": True, kind, note, annotator, layer, created,
    source_id, ends: [{article, article_id, revision, start, end, exact, prefix, suffix}]}."""
    kind, notes = "", []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict):
            continue
        if body.get("purpose") == "classifying" and not kind:
            kind = body.get("value", "")
        elif body.get("purpose", "") in ("", "commenting", "describing"):
            notes.append(body.get("value", ""))
    ends = []
    for target in _as_list(item.get("target")):
        where = read_selectors(target)
        article_id, revision = article_reference(where["source"])
        ends.append(
            {
                "article": where.get("name") if isinstance(where.get("name"), str) else "",
                "article_id": article_id,
                "revision": revision,
                **{k: where.get(k) for k in ("start", "end")},
                **{
                    k: where.get(k, "") if isinstance(where.get(k, ""), str) else ""
                    for k in ("exact", "prefix", "suffix")
                },
            }
        )
    return {
        "link": True,
        "kind": kind if isinstance(kind, str) else "",
        "note": "\n\n".join(n for n in notes if isinstance(n, str)),
        "annotator": creator_name(item.get("creator")),
        "layer": item.get("schema:additionalType") or "individual",
        "created": item.get("created"),
        "source_id": item.get("id") if isinstance(item.get("id"), str) else "",
        "ends": ends,
    }


def iter_annotations(doc):
    """Every annotation in a W3C document: one, a list, a page, or a collection of embedded pages."""
    if isinstance(doc, list):
        for item in doc:
            if isinstance(item, dict | list):
                yield from iter_annotations(item)
            else:  # an annotation's IRI, a number, null: said, never dropped unsaid
                yield f"not an annotation but {type(item).__name__ if item is not None else 'null'} ({str(item)[:60]!r})"
        return
    if not isinstance(doc, dict):
        return
    kinds = doc.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "AnnotationCollection" in kinds:
        page = doc.get("first")
        while isinstance(page, dict):
            yield from iter_annotations(page.get("items", []))
            page = page.get("next") if isinstance(page.get("next"), dict) else None
    elif "AnnotationPage" in kinds:
        yield from iter_annotations(doc.get("items", []))
    elif "rows" in doc and isinstance(doc["rows"], list):  # Hypothesis API search results
        yield from iter_annotations(doc["rows"])
    elif isinstance(doc.get("annotations"), list) and "target" not in doc:  # the Hypothesis client's export
        yield from iter_annotations(doc["annotations"])
    else:
        yield doc
