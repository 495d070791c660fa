"""Labels a reader understands: a name or short noun phrase the articles share, plus a figure.

"Tara Reid · rehab", "trade · $245 billion": words as the articles spell them, found in two
articles or more, never a function word, a reporting verb ("said", "according") or a piece
of a word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from articles.alignment import figures
from articles.alignment.lexicon import REPORTING, STOP_WORDS, stem
from articles.alignment.units import DATE_WORDS, Unit

PHRASE_WORD = re.compile(r"[^\W\d_][\w'’-]*|\S", re.UNICODE)
# Word shapes that are rarely the thing a passage is about (verb and adverb forms).
LABEL_SAMPLE = 80
UNLIKELY_HEAD = re.compile(r"(?:ed|ly|ing)$")
# Content words that still say nothing as a label: counts and the commonest verbs of any report.
_NOT_A_LABEL = (
    "one two three four five six seven eight nine ten first second third last next hundred hundreds thousand "
    "thousands million millions billion billions include includes including included make makes made making "
    "take takes took taken become becomes became remain remains remained call calls called show shows showed "
    "shown see sees seen saw give gives gave given use uses used come comes came go goes went get gets got put "
    "set held hold holds keep keeps kept want wants wanted need needs needed seem seems seemed like also "
    "way ways thing things part parts time times"
)
NOT_A_LABEL = frozenset(_NOT_A_LABEL.split())


def _is_label_word(word: str) -> bool:
    lower = word.lower()
    return (
        len(lower) > 2
        and lower.isalpha()
        and lower not in STOP_WORDS
        and lower not in REPORTING
        and lower not in DATE_WORDS
        and lower not in NOT_A_LABEL
    )


@lru_cache(maxsize=20_000)  # a sentence is read for its event's label and each of its points'
def _phrases(text: str) -> tuple[str, ...]:
    """Runs of one or two label words in a row ("treatment center", "earthquake")."""
    tokens = PHRASE_WORD.findall(text)
    out = []
    for k, token in enumerate(tokens):
        if not _is_label_word(token):
            continue
        out.append(token)
        if k + 1 < len(tokens) and _is_label_word(tokens[k + 1]):
            out.append(f"{token} {tokens[k + 1]}")
    return tuple(out)


def _shared(units: list[Unit], ids: list[int], extract) -> dict[str, tuple[set[int], str]]:
    """Key (lower-cased stems) -> (documents it appears in, its most common surface form)."""
    docs: dict[str, set[int]] = defaultdict(set)
    surfaces: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for u in ids:
        for surface in extract(units[u].text):
            key = " ".join(stem(w) for w in surface.split())
            docs[key].add(units[u].doc)
            surfaces[key][surface] += 1
    return {k: (d, max(surfaces[k].items(), key=lambda kv: (kv[1], kv[0]))[0]) for k, d in docs.items()}


def _best(options: dict[str, tuple[set[int], str]], idf: dict[str, float], avoid: set[str]) -> str:
    def weight(key: str) -> float:
        ws = key.split()
        rarity = sum(idf.get(w, 1.0) for w in ws) / len(ws) * (1.2 if len(ws) > 1 else 1.0)
        shape = 0.6 if UNLIKELY_HEAD.search(ws[-1]) else 1.0
        return len(options[key][0]) * rarity * shape

    pool = [k for k, (docs, _s) in options.items() if len(docs) >= 2 and not set(k.split()) & avoid]
    if not pool:
        return ""
    return options[max(pool, key=lambda k: (weight(k), k))][1]


def label(units: list[Unit], ids: list[int], idf: dict[str, float], figure: str = "", avoid: str = "") -> str:
    """A name and a noun phrase (or figure) shared by the group's articles."""
    if len(ids) > LABEL_SAMPLE:  # a large event: an even sample of its sentences says the same
        ids = ids[:: len(ids) // LABEL_SAMPLE + 1]
    taken = {stem(w) for w in avoid.lower().split()}
    name = _best(_shared(units, ids, _names), idf, taken)
    taken |= {stem(w) for w in name.lower().split()}
    phrase = _best(_shared(units, ids, lambda t: [p.lower() for p in _phrases(t)]), idf, taken)
    parts = [p for p in (name, figure or phrase) if p]
    if len(parts) < 2 and figure and phrase:
        parts.append(phrase)
    return " · ".join(parts)[:120] if parts else ""


@lru_cache(maxsize=20_000)
def _names(text: str) -> tuple[str, ...]:
    out = []
    for m in figures.NAME.finditer(text):
        surface = m.group(0).rstrip(".'’-")
        pieces = surface.split()
        while pieces and (pieces[0].lower() in STOP_WORDS or pieces[0].lower() in REPORTING):
            pieces.pop(0)
        if pieces and (m.start() > 0 or " " in surface) and all(_is_label_word(p) or p.isupper() for p in pieces):
            out.append(" ".join(pieces))
    return tuple(out)


def figure_label(surface: str) -> str:
    return re.sub(
        r"^(?:approaching|about|around|nearly|almost|over|more than|roughly|some)\s+", "", surface, flags=re.I
    )
