"""Find where an annotation belongs in a (possibly corrected) text. Pure module.

In order, as Hypothesis does: the stored position if the text there is still the quote; the
quote itself, choosing among repeats by how well the prefix and suffix match and by closeness
to the old position; and a fuzzy match of the quote (rapidfuzz's partial alignment) when the
text inside the highlight was edited. What none of these finds is an orphan.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.text.spans import find_quote

FUZZY_MIN_SCORE = 80.0  # rapidfuzz partial ratio; a changed word in a sentence still scores above it


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "position", "quote" or "fuzzy"


def anchor(
    text: str, exact: str, prefix: str = "", suffix: str = "", start: int | None = None, end: int | None = None
) -> Anchor | None:
    """Return where `exact` now is in `text`, or None if it cannot be found with confidence."""
    valid = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if valid and (not exact or text[start:end] == exact):
        return Anchor(start, end, "position")
    if not exact:
        return None
    found = _best_occurrence(text, exact, prefix, suffix, start)
    if found:
        return Anchor(found[0], found[1], "quote")
    return _fuzzy(text, exact, prefix, suffix, start)


def _best_occurrence(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> tuple[int, int] | None:
    if hint is None:
        return find_quote(text, exact, prefix, suffix)
    occurrences = []
    position = text.find(exact)
    while position >= 0:
        occurrences.append(position)
        position = text.find(exact, position + 1)
    if not occurrences:
        return None
    best = find_quote(text, exact, prefix, suffix)
    # With no context to tell repeats apart, the occurrence nearest the old position wins.
    if not prefix and not suffix:
        nearest = min(occurrences, key=lambda p: abs(p - hint))
        return nearest, nearest + len(exact)
    return best


MAX_FUZZY = 5000  # longer than any passage an annotation holds (Annotation.MAX_SPAN): never worth seconds


def _fuzzy(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> Anchor | None:
    if len(exact) < 4 or len(exact) > MAX_FUZZY:  # a 20,000-character quote took 3.5 s to look for
        return None
    from rapidfuzz import fuzz  # only new revisions need it; the web processes do not carry it

    # Search near the old position first (cheap, and right for local edits), then everywhere.
    windows = []
    if hint is not None:
        margin = max(200, 2 * len(exact))
        windows.append((max(0, hint - margin), min(len(text), hint + len(exact) + margin)))
    windows.append((0, len(text)))
    for lo, hi in windows:
        alignment = fuzz.partial_ratio_alignment(exact, text[lo:hi], score_cutoff=FUZZY_MIN_SCORE)
        if alignment is None:
            continue
        start, end = lo + alignment.dest_start, lo + alignment.dest_end
        if end - start < 0.7 * len(exact) or end - start > 1.3 * len(exact):
            continue
        return Anchor(*_snap(text, start, end), "fuzzy")
    return None


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace at the edges and widen a cut word to the whole word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while start < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end
