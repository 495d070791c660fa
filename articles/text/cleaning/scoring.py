"""Score each line as prose or page chrome from its text alone, then smooth by its neighbours.

The features are jusText's, read from plain text instead of markup: length, the density of the
language's stop words, whether the line ends a sentence, plus interface wording and menu
separators where jusText would use link density. A line is "good" (article prose), "bad"
(chrome), or, when too short to tell ("short") or nearly prose ("neargood"), it takes the class
of the lines around it, since an article's subheads sit between its paragraphs and a menu's
items sit between other menu items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.text.cleaning.lexicon import opens_section_after
from articles.text.cleaning.lines import FOOTNOTE, WORD, Line, ends_sentence

LENGTH_LOW = 70  # characters: below this a line is too short to judge alone
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
ISOLATION_WINDOW = 3
ISOLATION_SHARE = 0.8
MAX_DISTANCE = 4  # how many short lines away a neighbour can still vouch for a line
SEPARATORS = re.compile(r"\s[|•·/»]\s|\s[|•·]|[|•·]\s")

GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"


@dataclass(slots=True)
class Judged:
    line: Line
    klass: str  # GOOD, NEARGOOD, SHORT or BAD after context smoothing
    first_klass: str  # the class the line had on its own
    stop_density: float
    chrome_reason: str | None  # the lexicon's reason, when the wording itself is chrome
    barrier: bool = False  # the heading of comments or of a list of other articles
    isolated: bool = False  # prose with mostly short or chrome lines around it, as a teaser's summary has


def stop_density(line: Line, stop_words: frozenset[str]) -> float:
    tokens = WORD.findall(line.text.lower())
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t in stop_words) / len(tokens)


def first_class(line: Line, density: float, chrome: bool) -> str:
    """Classify a line on its own, as jusText classifies a block."""
    text = line.text
    if chrome:
        return BAD
    if len(SEPARATORS.findall(text)) >= 2 and not ends_sentence(text):
        return BAD
    if FOOTNOTE.match(text):
        return SHORT
    length = len(text)
    if length < LENGTH_LOW:
        if line.words >= 6 and ends_sentence(text) and density >= STOPWORDS_HIGH:
            return NEARGOOD
        return SHORT
    if density >= STOPWORDS_HIGH:
        return GOOD if length > LENGTH_HIGH or ends_sentence(text) else NEARGOOD
    if density >= STOPWORDS_LOW:
        return NEARGOOD
    return BAD


def _neighbour(classes: list[str], index: int, step: int) -> str:
    """The class of the nearest good or bad line in direction `step`, skipping short and neargood lines."""
    i, seen = index + step, 0
    while 0 <= i < len(classes) and seen < MAX_DISTANCE:
        if classes[i] in (GOOD, BAD):
            return classes[i]
        i += step
        seen += 1
    return BAD


def smooth(classes: list[str]) -> list[str]:
    """Give short and neargood lines the class their neighbours agree on (jusText's context step)."""
    out = list(classes)
    for i, klass in enumerate(classes):
        if klass not in (SHORT, NEARGOOD):
            continue
        before, after = _neighbour(classes, i, -1), _neighbour(classes, i, 1)
        if before == after:
            out[i] = before if klass == SHORT or before == GOOD else NEARGOOD
        else:
            out[i] = NEARGOOD
    return out


def judge(lines: list[Line], stop_words: frozenset[str], reasons: dict[int, str]) -> list[Judged]:
    """Return each line's class after smoothing; `reasons` maps line numbers the lexicon flagged."""
    densities = [stop_density(line, stop_words) for line in lines]
    firsts = [first_class(line, d, line.number in reasons) for line, d in zip(lines, densities, strict=True)]
    smoothed = smooth(firsts)
    return [
        Judged(line, klass, first, density, reasons.get(line.number), opens_section_after(line), isolated(firsts, i))
        for i, (line, klass, first, density) in enumerate(zip(lines, smoothed, firsts, densities, strict=True))
    ]


def isolated(classes: list[str], index: int) -> bool:
    """Return True if most of the lines within ISOLATION_WINDOW of a line are not prose on their own."""
    around = classes[max(0, index - ISOLATION_WINDOW) : index] + classes[index + 1 : index + 1 + ISOLATION_WINDOW]
    return len(around) >= 2 and sum(1 for c in around if c != GOOD) >= ISOLATION_SHARE * len(around)


ISOLATED_SHARE = 0.25
MIXED_SHORT = -2.0  # a short line between prose and chrome: more often chrome
BARRIER = -40.0  # a comments or related-articles heading: the article rarely runs past it


def weight(judged: Judged) -> float:
    """How much a line adds to (prose) or takes from (chrome) the block it is in, in words."""
    words = max(judged.line.words, 1)
    if judged.barrier:
        return BARRIER
    if judged.klass == GOOD:
        if judged.first_klass == SHORT:
            return 0.5
        return words * (ISOLATED_SHARE if judged.isolated else 1.0)
    if judged.klass == NEARGOOD:
        if judged.first_klass == SHORT:
            return MIXED_SHORT
        return 0.5 * words * (ISOLATED_SHARE if judged.isolated else 1.0)
    if judged.klass == SHORT:
        return -1.0
    if judged.chrome_reason:
        return -(3.0 + min(words, 40))
    return -(2.0 + 0.5 * min(words, 40))
