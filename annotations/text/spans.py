"""Checking spans against a text, and finding a quote in it.

Pure module. Offsets are Unicode code points (Python string indices).
"""

from __future__ import annotations

CONTEXT = 32


class SpanError(ValueError):
    """A span does not fit the text; `field` names the offending request field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_span(text: str, start, end, exact, *, max_length: int) -> tuple[int, int, str]:
    """Return (start, end, exact) when they describe a span of `text`, else raise SpanError."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpanError(name, "must be an integer offset in Unicode code points")
    if start < 0:
        raise SpanError("start", "must be 0 or more")
    if end > len(text):
        raise SpanError("end", f"is past the end of the text ({len(text)} code points)")
    if start >= end:
        raise SpanError("end", "must be greater than start")
    if end - start > max_length:
        raise SpanError("end", f"the span is longer than {max_length} code points")
    actual = text[start:end]
    if exact is None:
        return start, end, actual
    if not isinstance(exact, str):
        raise SpanError("exact", "must be a string")
    if exact != actual:
        raise SpanError("exact", f"does not match the text at {start}–{end} (the text there is {actual[:60]!r})")
    if not actual.strip():
        raise SpanError("exact", "a highlight must contain some text, not only whitespace")
    return start, end, actual


def utf16_length(value: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts (a character past U+FFFF counts 2)."""
    return len(value) + sum(1 for char in value if ord(char) > 0xFFFF)


def cap_prefix(prefix: str, limit: int = CONTEXT) -> str:
    """The end of `prefix` that is at most `limit` UTF-16 units long."""
    while utf16_length(prefix) > limit:
        prefix = prefix[1:]
    return prefix


def cap_suffix(suffix: str, limit: int = CONTEXT) -> str:
    """The start of `suffix` that is at most `limit` UTF-16 units long."""
    while utf16_length(suffix) > limit:
        suffix = suffix[:-1]
    return suffix


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The W3C TextQuoteSelector prefix and suffix: up to 32 UTF-16 units either side.

    Capped in UTF-16 units, not code points, because browser anchoring libraries
    (dom-anchor-text-quote) count in JavaScript string units and reject longer context.
    """
    return cap_prefix(text[max(0, start - CONTEXT) : start]), cap_suffix(text[end : end + CONTEXT])


def find_quote(text: str, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, int] | None:
    """Locate `exact` in `text`; prefer the occurrence whose surroundings match prefix and suffix."""
    if not exact:
        return None
    best, best_score = None, -1
    position = text.find(exact)
    while position >= 0:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(exact) : position + len(exact) + len(suffix)]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        if score > best_score:
            best, best_score = (position, position + len(exact)), score
        position = text.find(exact, position + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
