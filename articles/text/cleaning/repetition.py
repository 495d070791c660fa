"""Lines that repeat other lines: teaser headlines, truncated page descriptions, title echoes.

Repetition says "chrome" only in some shapes. A headline printed twice in a row is a teaser
link (its image and its text); a line ending in "..." that starts a longer line is a truncated
page description. A subhead repeated in each day of a plan, or the same question put to each
guest, is the article's own and is kept: inside the article only adjacent repeats count.
"""

from __future__ import annotations

from bisect import bisect_right

from articles.text.cleaning.lines import ELLIPSIS_END, Line, is_heading_shaped, norm

TEASER = "teaser link to another article (headline repeated)"


def truncated_copies(lines: list[Line]) -> dict[int, str]:
    """Map line numbers of lines that are a truncated copy ('...') of another line to the reason.

    The lines' texts are sorted once, so that the lines starting with a stem sit together and
    each stem is looked up by bisection: linear-logarithmic however many teasers a page has.
    """
    numbers: dict[str, list[int]] = {}
    for line in lines:
        numbers.setdefault(line.text, []).append(line.number)
    texts = sorted(numbers)
    found: dict[int, str] = {}
    for line in lines:
        if not ELLIPSIS_END.search(line.text):
            continue
        stem = ELLIPSIS_END.sub("", line.text).rstrip()
        if len(stem) < 20:
            continue
        if (other := _longer_line_starting_with(stem, texts, numbers, line.number)) is not None:
            found[line.number] = f"truncated copy of line {other} (teaser or page description)"
    return found


def _longer_line_starting_with(stem: str, texts: list[str], numbers: dict[str, list[int]], own: int) -> int | None:
    """The first line (other than `own`) whose text is longer than `stem` and starts with it."""
    position = bisect_right(texts, stem)  # texts equal to the stem itself are not longer
    while position < len(texts) and texts[position].startswith(stem):
        others = [n for n in numbers[texts[position]] if n != own]
        if others:
            return others[0]
        position += 1  # only the line's own text: at most one step
    return None


def title_echoes(lines: list[Line], title: Line) -> dict[int, str]:
    """Lines other than the title line that repeat the title."""
    key = norm(title.text)
    return {
        line.number: f"repeats the title (line {title.number})"
        for line in lines
        if line.number != title.number and norm(line.text) == key
    }


def adjacent_repeats(lines: list[Line]) -> dict[int, str]:
    """Lines that repeat the line just before them: both copies of a headline, the second of a paragraph."""
    found: dict[int, str] = {}
    for before, line in zip(lines, lines[1:], strict=False):
        if norm(before.text) != norm(line.text) or not norm(line.text):
            continue
        if is_heading_shaped(line):
            found[before.number] = found[line.number] = TEASER
        else:
            found.setdefault(line.number, f"duplicate of line {before.number}")
    return found
