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
from functools import lru_cache
from typing import NamedTuple

from articles.alignment import figures
from articles.alignment.lexicon import (
    DETERMINERS,
    FOLLOWERS,
    HEADS_ALL_THE_SAME,
    MODIFIED_HEADS,
    NOT_A_HEAD,
    NOT_A_LABEL,
    OPENERS,
    REPORTING,
    SOURCES,
    STOP_WORDS,
    TITLES,
    VAGUE_NOUNS,
    VERBS,
    WORD,
    stem,
)
from articles.alignment.units import DATE_WORDS, Unit

TOKEN = re.compile(r"[^\W\d_][\w'’-]*|[$€£¥]?\d[\d.,]*[\w-]*|\S", re.UNICODE)  # "76ers" is one token
LABEL_SAMPLE = 80


def _is_label_word(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    if "'" in lower and not lower.endswith("'s"):
        return False  # "didn't", "o'clock"
    if "-" in lower:
        return all(_is_label_word(part) for part in lower.split("-") if part)
    return (
        len(lower) > 2
        and lower.replace("'", "").replace("’", "").replace("-", "").isalpha()
        and lower not in STOP_WORDS
        and lower not in REPORTING
        and lower not in DATE_WORDS
        and lower not in NOT_A_LABEL
    )


def _is_head(word: str) -> bool:
    lower = word.lower()
    return (
        (_is_label_word(word) or lower in MODIFIED_HEADS)
        and (lower in HEADS_ALL_THE_SAME or not NOT_A_HEAD.search(lower))
        and lower not in VERBS
        and not lower.endswith(("'s", "’s"))
    )


def title_case(text: str) -> bool:
    """A headline in title case: most of its longer words start with a capital."""
    longer = [w for w in WORD.findall(text) if len(w) > 3]
    return len(longer) >= 3 and sum(w[0].isupper() for w in longer) >= 0.8 * len(longer)


@lru_cache(maxsize=1 << 16)
def noun_phrases(text: str) -> tuple[tuple[str, int], ...]:
    """Noun phrases of one or two words, lower-cased, with their offset in the text.

    A phrase runs from after an opener (determiner, possessive, preposition, figure) over label
    words to the last one; it keeps the last two words, and its last word must be a noun shape.
    Capitalized words inside a sentence are names and end the run (names are labelled apart);
    a sentence's first words make a phrase only when two of them run ("Bilateral trade is...").
    """
    headline = title_case(text)
    tokens = [(m.group(0), m.start()) for m in TOKEN.finditer(text)]
    out = []
    k = 0
    while k < len(tokens):
        word = tokens[k][0]
        lower = word.lower()
        possessive = lower.endswith(("'s", "’s")) and lower not in STOP_WORDS  # not "it's", "let's"
        opens = lower in OPENERS or possessive or word[0] in "$€£¥" or word[0].isdigit()
        first = k == 0 and not headline and not opens
        if not first:
            k += 1
            if not opens:
                continue
        run: list[tuple[str, int]] = []
        while k < len(tokens):
            w, at = tokens[k]
            if run and w.lower() in MODIFIED_HEADS and run[-1][0].islower():
                pass  # "a multipolar world order": vague alone, a phrase with the word before it
            elif not _is_label_word(w) or (len(w) > 4 and w.endswith("ed")) or (run and w.lower() in VERBS):
                break
            if run and not run[-1][0].islower() and w.islower() and w.endswith("s") and not w.endswith("ss"):
                break  # "the Trump Administration appears": a verb after a name
            run.append((w if w[0].isupper() and not headline and not (first and not run) else w.lower(), at))
            k += 1
            if w.lower().endswith(("'s", "’s")):
                break
        after = tokens[k][0] if k < len(tokens) else ""
        if first:
            k = max(k, 1)
            if len(run) < 2 and after not in FOLLOWERS:
                continue  # "Trade between..." opens a phrase, "However," and "Let us" do not
        listed = (  # "their deep, close ties", "a multipolar and fair order": the phrase goes on
            after in (",", "and", "or")
            and k + 1 < len(tokens)
            and (tokens[k + 1][0] in '“"«' or (tokens[k + 1][0].islower() and _is_label_word(tokens[k + 1][0])))
        )
        # "the joint statement", "a “fairer” order": the phrase goes on past a word it cannot show
        goes_on = after.lower() in VAGUE_NOUNS or after.lower() in REPORTING or (after != "" and after in '“"«')
        if listed or goes_on or (after and (after[0] in "$€£¥" or after[0].isdigit())):
            continue  # "a whopping $245 billion", "the existing world order", "their deep, close ties"
        while run and not (_is_head(run[-1][0]) and run[-1][0].islower()):
            run.pop()
        if len(run) == 1 and run[0][0].endswith("ing") and lower not in DETERMINERS and not possessive:
            continue  # "the shooting" names a happening, "on focusing" does not
        while len(run) > 1 and run[-1][0].endswith("ing"):
            run.pop()  # "a press release stating"
            while run and not (_is_head(run[-1][0]) and run[-1][0].islower()):
                run.pop()
        if len(run) > 1 and run[0][0].lower().endswith("ing") and lower not in DETERMINERS and not possessive:
            run = run[1:]  # "by putting pressure", "Taking place": the verb's object, not a noun phrase
        while len(run) > 1 and not run[-2][0].islower():
            run.pop(-2)  # a name inside the phrase is labelled apart: "Wellington supermarket fire"
        if run:
            words = [w for w, _at in run[-2:]]
            if len(words) == 2 and (NOT_A_HEAD.search(words[0]) or words[0].endswith(("ed", "'s", "’s"))):
                words = words[1:]
            out.append((" ".join(words), run[-len(words)][1]))
    return tuple(out)


OF_LINK = re.compile(r"\s+of\s+(?:(?:the|a|an|their|its|his|her|our|this|these|those)\s+)?")


@lru_cache(maxsize=1 << 16)
def of_phrases(text: str) -> tuple[tuple[str, int], ...]:
    """A one-word phrase and the phrase after its "of": "strategy of interaction", "counts of murder"."""
    found = noun_phrases(text)
    out = []
    for (head, at), (tail, tail_at) in zip(found, found[1:], strict=False):
        if " " not in head and OF_LINK.fullmatch(text, at + len(head), tail_at):
            out.append((f"{head} of {tail}", at))
    return tuple(out)


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

    name_options = _shared(units, ids, lambda t: [(n, 0.0) for n in _names(t)])
    phrase_options = _shared(units, ids, phrases)
    name = _best(name_options, idf, taken, keep=particular) or _best(name_options, idf, taken)
    taken |= _stems(name)
    taken |= {stem(w) for u in ids for n in _names(units[u].text) for w in n.lower().split()}  # "china" is China

    def specific(key: str) -> bool:  # "multipolar world", or one word the corpus does not keep using
        return " " in key or particular(key)

    if figure:  # the figure is what is particular: the noun beside it says of what
        phrase = _best(phrase_options, idf, taken) or name or _best(phrase_options, idf, taken, 1)
        return " · ".join(p for p in (phrase, figure) if p)[:120]
    phrase = _best(phrase_options, idf, taken, keep=specific) or _best(phrase_options, idf, taken)
    if not phrase and not name:  # nothing shared: the likeliest phrase and name of one article
        phrase = _best(phrase_options, idf, taken, 1, keep=specific) or _best(phrase_options, idf, taken, 1)
        name = _best(name_options, idf, _stems(phrase), 1)
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


class _Possessive:
    """Split a name at its possessive: "Indonesia's West Papua" -> ("Indonesia", "'s", "West Papua")."""

    PATTERN = re.compile(r"['’]s(?:\s+|$)")

    def partition(self, surface: str) -> tuple[str, str, str]:
        m = self.PATTERN.search(surface)
        if not m:
            return surface, "", ""
        return surface[: m.start()], m.group(0), surface[m.end() :]


POSSESSIVE = _Possessive()


@lru_cache(maxsize=1 << 16)
def _names(text: str) -> tuple[str, ...]:
    """The names a sentence mentions (read once per distinct sentence: labels ask again and again)."""
    if title_case(text):
        return ()
    out = []
    for m in figures.NAME.finditer(text):
        surface = m.group(0).rstrip(".'’-")
        owner, _mark, owned = POSSESSIVE.partition(surface)
        pieces = (owned or owner).split()  # "Indonesia's West Papua" names West Papua
        while pieces and (pieces[0].lower() in STOP_WORDS or pieces[0].lower() in REPORTING):
            pieces.pop(0)
        if not pieces or " ".join(pieces).lower() in SOURCES or pieces[0].lower() in SOURCES:
            continue
        if all(p.lower() in TITLES for p in pieces):  # "the Chinese President": a title, not a name
            continue
        # a lone capital that only starts the sentence, maybe after a bracket or a quotation mark
        sentence_start = not text[: m.start()].strip("([{\"“‘'- ") and " " not in surface
        if not sentence_start and all(_is_label_word(p) or p.isupper() for p in pieces):
            out.append(" ".join(pieces))
    return tuple(out)


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
    for extract in (lambda t: [(n, 0.0) for n in _names(t)], lambda t: [(p, 0.0) for p, _at in noun_phrases(t)]):
        if any(len(o.documents) >= 2 for o in _shared(units, ids, extract).values()):
            return False
    return True


def event_name(units: list[Unit], ids: list[int]) -> str:
    """The name an event's sentences keep repeating ("Tara Reid")."""
    if len(ids) > LABEL_SAMPLE:
        ids = ids[:: len(ids) // LABEL_SAMPLE + 1]
    return _best(_shared(units, ids, lambda t: [(n, 0.0) for n in _names(t)]), None, set())
