"""Hypothesis annotations: API rows, the client's "Export annotations" file and Hypothesis JSON-LD.

Pure module. An API row is `{"user": "acct:hana@hypothes.is", "tags": [...], "text": "Markdown",
"target": [{"source", "selector": [...]}], "created", "updated", "id"}`; the client's export
wraps such rows as `{"export_date", "export_userid", "client_version", "annotations": [...]}`
(read by `w3c_read.iter_annotations`); the JSON-LD form is W3C, read by `w3c_read.read_annotation`.
"""

from __future__ import annotations

from annotations.formats import w3c_read
from annotations.formats.records import incoming


def is_row(item) -> bool:
    """An annotation in Hypothesis's own API shape (not W3C: no body, tags in a list)."""
    return isinstance(item, dict) and "body" not in item and ("user" in item or "tags" in item or "uri" in item)


def read_row(item: dict) -> dict:
    targets = item.get("target")
    targets = targets if isinstance(targets, list) else [targets]
    where = w3c_read.read_selectors(targets[0] if targets else None)
    source = where["source"] or item.get("uri") or ""
    article_id, revision = w3c_read.article_reference(source)
    tags = item.get("tags")
    # a reply: the thread's ids from its first annotation on; our threads are flat, so a reply to a
    # reply joins the thread of that first annotation
    references = item.get("references")
    reply_to = references[0] if isinstance(references, list) and references and isinstance(references[0], str) else None
    return incoming(
        reply_to=reply_to,
        article_id=article_id,
        revision=revision,
        start=where.get("start"),
        end=where.get("end"),
        exact=where.get("exact", ""),
        prefix=where.get("prefix", ""),
        suffix=where.get("suffix", ""),
        tags=[] if tags is None else tags,
        note=item.get("text") or "",
        note_format="markdown",
        annotator=w3c_read.creator_name(item.get("user")),
        created=item.get("created"),
        modified=item.get("updated", item.get("modified")),
        source_id=item.get("id"),
    )
