"""Figures, dates, names and quotations, normalized so that two articles' wordings meet.

Every pattern here runs in linear time: repetitions are bounded and anchored at a boundary,
so hostile input ("1," twelve thousand times) cannot make a match attempt scan far.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from articles.alignment.lexicon import STOP_WORDS, words

SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
CURRENCY = {
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "usd": "USD",
    "dollars": "USD",
    "euros": "EUR",
    "yuan": "CNY",
    "rubles": "RUB",
    "roubles": "RUB",
    "pounds": "GBP",
}
NUMBER = r"(?<![\d.,])\d{1,15}(?:[.,]\d{1,3}){0,5}"
APPROX = re.compile(
    r"\b(?:approaching|about|around|nearly|almost|over|more than|less than|roughly|some|close to|approximately|"
    r"an estimated|up to|at least|under)\s{0,3}$",
    re.I,
)
MONEY = re.compile(
    rf"(?P<sym>[$€£¥])\s?(?P<num>{NUMBER})[\s-]{{0,3}}(?P<scale>trillion|billion|million|thousand|bn|tn|mn|[kmb])?\b"
    rf"|(?P<num2>{NUMBER})\s{{0,3}}(?P<scale2>trillion|billion|million|thousand)?\s{{0,3}}"
    r"(?P<cur>dollars|euros|yuan|rubles|roubles|pounds|usd)\b",
    re.I,
)
PERCENT = re.compile(r"(?<![\d.])(?P<num>\d{1,6}(?:\.\d{1,4})?)\s{0,2}(?:%|per ?cent)", re.I)
COUNT = re.compile(
    rf"(?P<num>{NUMBER})(?:[\s-]{{1,2}}(?P<scale>thousand|million|billion))?(?:[\s-](?P<unit>[a-z]{{3,15}}))?", re.I
)
ANAPHORIC = frozenset({"the", "these", "those", "both"})  # "the two leaders" names whom it means, it counts nothing
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozens": 24,
    "dozen": 12,
    "hundreds": 200,
    "thousands": 2000,
}
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY_MONTH = re.compile(rf"\b(?:(?P<m1>{_MONTH})\s(?P<d1>\d{{1,2}})(?!\d)|(?P<d2>\d{{1,2}})\s(?P<m2>{_MONTH})\b)", re.I)
WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
QUOTED = re.compile(r"[“\"«]([^”\"»“«\n]{3,300})[”\"»]")
NAME = re.compile(r"\b(?:[A-Z][\w'’.-]{1,30}(?:\s(?:[A-Z][\w'’.-]{1,30}|de|van|von|al|bin)){0,5})")


@dataclass(frozen=True)
class Quantity:
    kind: str  # "money:USD", "percent", "count:killed"
    value: float
    approximate: bool
    surface: str


def _number(text: str) -> float:
    text = text.replace(",", "") if text.count(",") and "." not in text else text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def _approximate(sentence: str, at: int) -> re.Match | None:
    return APPROX.search(sentence[max(0, at - 30) : at])


def quantities(sentence: str) -> list[Quantity]:
    """Money amounts and percentages in a sentence, normalized to one unit."""
    found = []
    for m in MONEY.finditer(sentence):
        if m.group("sym"):
            value = _number(m.group("num")) * SCALE.get((m.group("scale") or "").lower(), 1)
            kind = "money:" + CURRENCY[m.group("sym")]
        else:
            value = _number(m.group("num2")) * SCALE.get((m.group("scale2") or "").lower(), 1)
            kind = "money:" + CURRENCY[m.group("cur").lower()]
        approx = _approximate(sentence, m.start())
        surface = (approx.group(0).strip() + " " if approx else "") + m.group(0).strip()
        if not math.isnan(value):
            found.append(Quantity(kind, value, bool(approx), surface))
    for m in PERCENT.finditer(sentence):
        approx = _approximate(sentence, m.start())
        found.append(Quantity("percent", float(m.group("num")), bool(approx), m.group(0)))
    return found


def counts(sentence: str) -> set[str]:
    """Plain numbers that are not years, money or percentages ("7.3", "33-year-old", "two dead")."""
    out = set()
    for m in COUNT.finditer(sentence):
        raw = m.group("num")
        if YEAR.fullmatch(raw) or sentence[max(0, m.start() - 1) : m.start()] in "$€£¥" and m.start():
            continue
        value = _number(raw) * SCALE.get((m.group("scale") or "").lower(), 1)
        if not math.isnan(value) and value not in (0, 1):
            out.add(f"{value:g}")
    previous = ""
    for w in words(sentence):
        if w in NUMBER_WORDS and previous not in ANAPHORIC:
            out.add(f"{NUMBER_WORDS[w]:g}")
        previous = w
    return out


def same_figure(a: Quantity, b: Quantity) -> bool:
    """Two mentions of one figure: same kind, within 10% (or exactly equal)."""
    if a.kind != b.kind:
        return False
    if a.value == b.value:
        return True
    return abs(a.value - b.value) <= 0.1 * max(abs(a.value), abs(b.value))


def _month(name: str) -> int:
    prefix = name.lower().rstrip(".")[:3]
    return next(n for n, month in enumerate(MONTHS, 1) if month.startswith(prefix))


def dates(sentence: str) -> set[str]:
    """Calendar days ("month-day"), weekdays and years, one spelling each."""
    out = {f"y{m.group(1)}" for m in YEAR.finditer(sentence)}
    for m in DAY_MONTH.finditer(sentence):
        month, day = (m.group("m1"), m.group("d1")) if m.group("m1") else (m.group("m2"), m.group("d2"))
        if 1 <= int(day) <= 31:
            out.add(f"d{_month(month)}-{int(day)}")
    out.update(f"w{m.group(1).lower()}" for m in WEEKDAY.finditer(sentence))
    return out


def quotations(sentence: str) -> set[str]:
    """Quoted wordings of two words or more, lower-cased word by word."""
    out = set()
    for m in QUOTED.finditer(sentence):
        ws = words(m.group(1))
        if len(ws) >= 2:
            out.add(" ".join(ws))
    return out


def names(sentence: str) -> set[str]:
    """Capitalized names and acronyms, not counting a lone capital that only starts the sentence."""
    out = set()
    for m in NAME.finditer(sentence):
        surface = m.group(0).rstrip(".'’-")
        if m.start() == 0 and " " not in surface and not surface.isupper():
            continue
        pieces = [w for w in surface.split() if w.lower() not in STOP_WORDS]
        if pieces:
            out.add(" ".join(pieces).lower())
    return out
