"""Labels a reader understands: a name the articles share, plus a noun phrase or a figure.

"Tara Reid · rehab", "trade · $245 billion": words as the articles spell them, found in two
articles or more. Phrases are noun phrases read off the text without a tagger: the words that
follow a determiner, a possessive, a preposition or a figure ("the supermarket fire", "in
trade", "Lohan's rehab"), up to the word that ends the phrase. So a label is never a verb, an
adverb or an adjective left alone ("fired", "now", "larger"), never a function word, a
reporting verb ("said", "according") or a piece of a word. Headlines in title case give
phrases, not names: every word of them is capitalized.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import NamedTuple

from articles.alignment.lexicon import (
    STOP_WORDS,
    stem,
)
from articles.alignment.phrases import names, noun_phrases, of_phrases
from articles.alignment.units import Unit

LABEL_SAMPLE = 80


class _Option(NamedTuple):
    documents: set[int]  # the articles it appears in
    surface: str  # its most common spelling
    bonus: float  # 1 beside the group's figure
    units: int  # the sentences it appears in


def _shared(units: list[Unit], ids: list[int], extract) -> dict[str, _Option]:
    """Key (stems) -> what the group's sentences say of it."""
    docs: dict[str, set[int]] = defaultdict(set)
    surfaces: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    bonus: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for u in ids:
        seen = set()
        for surface, extra in extract(units[u].text):
            key = " ".join(stem(w) for w in surface.split())
            docs[key].add(units[u].doc)
            surfaces[key][surface] += 1
            bonus[key] = max(bonus[key], extra)
            count[key] += key not in seen
            seen.add(key)
    return {
        k: _Option(d, max(surfaces[k].items(), key=lambda kv: (kv[1], kv[0]))[0], bonus[k], count[k])
        for k, d in docs.items()
    }


def _best(
    options: dict[str, _Option], idf: dict[str, float] | None, avoid: set[str], documents: int = 2, keep=None
) -> str:
    """The option found in most articles, weighted by its rarity (idf), or, without idf, by how
    many of the group's sentences name it: a point is told by what is particular to it, an
    event by what its reports keep naming. `keep(key)`: the options allowed."""

    def weight(key: str) -> float:
        ws = key.split()
        option = options[key]
        ws = [w for w in ws if w not in STOP_WORDS] or ws
        rarity = 1.0 + math.log(option.units) if idf is None else sum(idf.get(w, 1.0) for w in ws) / len(ws)
        return len(option.documents) * rarity * (1.15 if len(ws) > 1 else 1.0) * (1.0 + option.bonus)

    pool = [
        k
        for k, o in options.items()
        if len(o.documents) >= documents and not set(k.split()) & avoid and (keep is None or keep(k))
    ]
    if not pool:
        return ""
    return options[max(pool, key=lambda k: (weight(k), k))].surface


def _stems(text: str) -> set[str]:
    return {stem(w) for w in text.lower().split()}


def label(
    units: list[Unit],
    ids: list[int],
    idf: dict[str, float] | None,
    figure: str = "",
    avoid: str = "",
    common: frozenset[str] = frozenset(),
    context: str = "",
) -> str:
    """A name and a noun phrase, or a noun phrase and a figure, shared by the group's articles.

    idf None: an event's label, by the names and phrases its sentences keep repeating.
    `common`: the stems most articles of the corpus use (scoring.Corpus.topic_terms); a point is
    not told apart by them, so a name or a one-word phrase made only of them comes last, and a
    label is never one such word alone, nor one word alone at all when the passages share more;
    one word that is all they share goes beside `context`, the name its event keeps repeating."""
    if len(ids) > LABEL_SAMPLE:  # a large event: an even sample of its sentences says the same
        ids = ids[:: len(ids) // LABEL_SAMPLE + 1]
    taken = _stems(avoid)

    def particular(key: str) -> bool:
        return idf is None or not set(key.split()) <= common

    def phrases(text: str) -> list[tuple[str, float]]:
        at = text.find(figure) if figure else -1
        return [(p, 1.0 if at >= 0 and abs(start - at) < 60 else 0.0) for p, start in noun_phrases(text)]

    name_options = _shared(units, ids, lambda t: [(n, 0.0) for n in names(t)])
    phrase_options = _shared(units, ids, phrases)
    name = _best(name_options, idf, taken, keep=particular) or _best(name_options, idf, taken)
    taken |= _stems(name)
    taken |= {stem(w) for u in ids for n in names(units[u].text) for w in n.lower().split()}  # "china" is China

    def specific(key: str) -> bool:  # "multipolar world", or one word the corpus does not keep using
        return " " in key or particular(key)

    if figure:  # the figure is what is particular: the noun beside it says of what
        phrase = _best(phrase_options, idf, taken) or name or _best(phrase_options, idf, taken, 1)
        return " · ".join(p for p in (phrase, figure) if p)[:120]
    phrase = _best(phrase_options, idf, taken, keep=specific) or _best(phrase_options, idf, taken)
    if not phrase and not name:  # nothing shared: the likeliest phrase and name of one article
        phrase = _best(phrase_options, idf, taken, 1, keep=specific) or _best(phrase_options, idf, taken, 1)
        name = _best(name_options, idf, _stems(phrase), 1)
    if phrase and " " not in phrase and _before_of(units, ids, phrase):
        # "the rest of", "the midst of", "a total of": a word of part, amount or place whose
        # passages say of what after it: a phrase of two words, else its "of" phrase
        around = _shared(units, ids, lambda t: [(p, 0.0) for p, _at in of_phrases(t)])
        phrase = (
            _best(phrase_options, idf, taken | _stems(phrase), keep=lambda k: " " in k)
            or _best(around, idf, taken, 1, keep=lambda k: k.split()[0] == stem(phrase))
            or _best(
                phrase_options,
                idf,
                taken | _stems(phrase),
                keep=lambda k: specific(k) and not _before_of(units, ids, phrase_options[k].surface),
            )
            or phrase
        )
        if " " not in phrase and _before_of(units, ids, phrase) and name:
            phrase = ""  # "Latin America · midst" says no more than the name: the name alone
    if " " not in phrase and not (name and particular(" ".join(_stems(name)))):
        # one word, or a name the whole corpus uses, says little: a phrase of two words says more
        def two_words(documents: int) -> str:
            return _best(phrase_options, idf, taken | _stems(phrase), documents, keep=lambda k: " " in k)

        if name:
            phrase = two_words(2) or phrase or _best(phrase_options, idf, taken, 1, keep=specific)
        else:
            around = _shared(units, ids, lambda t: [(p, 0.0) for p, _at in of_phrases(t)])
            phrase = (
                two_words(2)
                or _best(around, idf, taken, 1, keep=lambda k: k.split()[0] == stem(phrase))
                or two_words(1)
                or phrase
            )
            if " " not in phrase:
                name = _best(name_options, idf, _stems(avoid) | _stems(phrase), 1)
    text = " · ".join(p for p in (name, phrase) if p)[:120]
    if text and (" " in text or not text.islower()):
        return text
    return quoted(units, ids, f"{context} · {text}" if context and text else text)


def _before_of(units: list[Unit], ids: list[int], word: str) -> bool:
    """Whether the passages use `word` mostly just before "of" ("the bulk of the damage")."""
    pattern = re.compile(rf"\b{re.escape(word)}\b(\s+of\b)?", re.IGNORECASE)
    found = [m.group(1) is not None for u in ids for m in pattern.finditer(units[u].text)]
    return 2 * sum(found) > len(found)


def figure_label(surface: str) -> str:
    return re.sub(
        r"^(?:approaching|about|around|nearly|almost|over|more than|roughly|some)\s+", "", surface, flags=re.I
    )


def quoted(units: list[Unit], ids: list[int], lone: str = "") -> str:
    """The label of passages that share no name and no phrase of two words: the shortest one
    quoted when it is a short sentence ("“Trust me.”"), else `lone`, else its first words."""
    text = min((units[u].text.strip() for u in ids), key=lambda t: (len(t), t)).strip("\"“”'‘’ ")
    words = text.split()
    if len(words) <= 4 or not lone:
        return f"“{' '.join(words[:4])}{'…' if len(words) > 4 else ''}”"
    return lone


def shares_nothing(units: list[Unit], ids: list[int]) -> bool:
    """Whether no name and no noun phrase of the passages is found in two of their articles."""
    if len(ids) > LABEL_SAMPLE:
        ids = ids[:: len(ids) // LABEL_SAMPLE + 1]
    for extract in (lambda t: [(n, 0.0) for n in names(t)], lambda t: [(p, 0.0) for p, _at in noun_phrases(t)]):
        if any(len(o.documents) >= 2 for o in _shared(units, ids, extract).values()):
            return False
    return True


def event_name(units: list[Unit], ids: list[int]) -> str:
    """The name an event's sentences keep repeating ("Tara Reid")."""
    if len(ids) > LABEL_SAMPLE:
        ids = ids[:: len(ids) // LABEL_SAMPLE + 1]
    return _best(_shared(units, ids, lambda t: [(n, 0.0) for n in names(t)]), None, set())
