"""The values of one incoming annotation, checked one by one. Pure module (no Django).

Whatever shape a file comes in (W3C, Hypothesis, JSONL, Label Studio, doccano, XMI), its reader
turns each annotation into a dict; `checked` returns it with every value of the kind it must be,
or raises ItemError naming the first that is not, which becomes the orphan's reason.
"""

from __future__ import annotations

import html
import json
import math
from datetime import UTC, datetime

from annotations.text.sanitize import sanitize_note


class ItemError(ValueError):
    """One annotation of a file has a value of the wrong kind; it becomes an orphan with this reason."""


MAX_OFFSET = 2**31


def storable(value: str) -> str:
    """Text the database takes: no lone surrogates, no NUL."""
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def text_value(item: dict, name: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{name} must be text, not {type(value).__name__}")
    return storable(value)


def layer_value(value) -> str:
    """A layer as files write it: "key", "KEY", ["key"] (JSON-LD's array form) all say "key"."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"layer must be text, not {type(value).__name__}")
    return storable(value).strip().lower()


def number_value(item: dict, name: str) -> int | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_OFFSET < value < MAX_OFFSET:
        raise ItemError(f"{name} must be a whole number, not {_shown(value)}")
    return value


def _shown(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return type(value).__name__ if not isinstance(value, int | float) else "out of range"


def when_value(item: dict, name: str):
    value = item.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"{name} must be a date and time, not {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.strip()[:40])
        parsed = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
        parsed.astimezone(UTC)  # year 1 at +14:00 is before year 1 in UTC: no database stores it
    except (ValueError, OverflowError) as exc:
        raise ItemError(f"{name} is not a valid date and time: {value[:40]!r}") from exc
    return parsed


def tags_value(item: dict) -> list[str]:
    value = item.get("tags")
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, str) or t is None for t in value):
        raise ItemError("tags must be a list of words")
    return [storable(t).strip()[:60] for t in value if t and t.strip()]


def checked(item: dict, *, max_note: int, default_layer: str) -> dict:
    """The incoming item with every value of the kind it must be; raise ItemError naming the first that is not."""
    version = number_value(item, "version")
    return {
        "article": text_value(item, "article"),
        "article_id": number_value(item, "article_id"),
        "revision": number_value(item, "revision"),
        "start": number_value(item, "start"),
        "end": number_value(item, "end"),
        "exact": text_value(item, "exact"),
        "prefix": text_value(item, "prefix"),
        "suffix": text_value(item, "suffix"),
        "tags": tags_value(item),
        "note": note_value(item, max_note),
        "annotator": text_value(item, "annotator"),
        "layer": layer_value(item.get("layer")) or default_layer,
        "created": when_value(item, "created"),
        "modified": when_value(item, "modified"),
        "version": version if version and version > 0 else 1,
        "source_id": storable(item["source_id"])[:300] if isinstance(item.get("source_id"), str) else "",
        "text": item.get("text") if isinstance(item.get("text"), str) else None,
        "reply_to": storable(item["reply_to"])[:300] if isinstance(item.get("reply_to"), str) else "",
    }


def salvaged(item: dict) -> dict:
    """What can be read of an item `checked` refused, for the orphan it becomes: each field of the
    right kind (the others empty), so the orphan still shows its passage, article and tag. A note
    over the limit is kept whole: whoever re-attaches the orphan shortens it."""

    def read(reader, name: str, empty):
        try:
            return reader(item, name)
        except ItemError:
            return empty

    out = {name: read(text_value, name, "") for name in ("article", "exact", "prefix", "suffix", "annotator")}
    out["annotator"] = out["annotator"] or None
    out["article_id"] = read(number_value, "article_id", None)
    try:
        out["tags"] = tags_value(item)
    except ItemError:
        out["tags"] = []
    try:
        out["note"] = note_value(item, max_note=10**9)
    except ItemError:
        out["note"] = ""
    out["text"] = item.get("text") if isinstance(item.get("text"), str) else None
    return out


MARKDOWN_MAX_BRACKETS = 200  # a note with more is read as plain text (a real one has a few links)


def note_value(item: dict, max_note: int) -> str:
    note = text_value(item, "note")
    if len(note) > max_note:
        raise ItemError(f"note is longer than {max_note} characters")
    if item.get("note_format") == "markdown":
        if note.count("[") > MARKDOWN_MAX_BRACKETS:  # Python-Markdown takes seconds on thousands of "["
            note = html.escape(note).replace("\n", "<br>")
        else:
            import markdown  # only imports of Hypothesis notes need it; the web processes do not carry it

            note = markdown.markdown(note)
    return sanitize_note(note)


def payload(item) -> dict:
    """What the file held for an orphan, as JSON the database accepts: NaN and infinities become
    null, text loses lone surrogates and NUL (PostgreSQL's JSON holds neither), and the rest stays
    as it came, so that an orphaned link is still a link when it is re-attached."""
    try:
        item = _plain(item, 0)
        json.dumps(item, allow_nan=False, ensure_ascii=False)
        return item if isinstance(item, dict) else {"value": item}
    except (ValueError, TypeError, RecursionError):
        return {"value": storable(repr(item)[:1000])}


def _plain(value, depth: int):
    if depth > 50:
        raise RecursionError("too deeply nested")
    if isinstance(value, dict):
        return {storable(str(k)): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float):
        return value
    return storable(str(value))
