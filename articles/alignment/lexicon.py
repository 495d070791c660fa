"""Words: tokens, a stop list of function words only, reporting verbs, and a light stemmer.

The stop list holds grammar (articles, pronouns, auxiliaries, prepositions, conjunctions),
never content words: "fire", "bill", "system", "found", "move", "show", "call" stay, since a
headline such as "Wellington supermarket fire" is nothing without them.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

_STOP_WORDS_TEXT = """
    a an the this that these those there here i me my mine myself we us our ours ourselves you your
    yours yourself yourselves he him his himself she her hers herself it its itself they them their
    theirs themselves who whom whose which what whatever whoever whichever am is are was were be
    been being do does did doing done have has had having will would shall should can could may
    might must ought and or but nor so yet if then else than because as while whereas although
    though unless until since when whenever where wherever whether why how of in on at by for with
    without within about against between into through during before after above below to from up
    down out off over under again further once onto upon across along among around behind beside
    besides beyond near toward towards via per amid not no all any both each few more most other
    some such only own same too very just also s t d ll m re ve y don didn doesn isn wasn weren aren
    hasn haven hadn won wouldn shouldn couldn one ones it's that's he's she's they're we're i'm
    you're there's let's mr mrs ms dr
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Verbs and phrases that only say somebody said something: useless for telling points apart
# and never a label.
_REPORTING_TEXT = """
    said say says saying told tell tells telling according reported reportedly report reports added
    adding stated statement announced confirmed noted explained claimed claims asked quoted writes
    wrote write written commented comments insisted spokesman spokeswoman spokesperson official
    officials sources source people's
"""
REPORTING = frozenset(_REPORTING_TEXT.split())

_SUFFIXES = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("ization", "ize"),
    ("isation", "ize"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("iveness", "ive"),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("ed", ""),
    ("ly", ""),
    ("ness", ""),
    ("ers", ""),
    ("er", ""),
    ("es", ""),
    ("s", ""),
)
_KEEP = frozenset({"news", "series", "species", "us", "is", "was", "has", "gas", "bus", "bias", "crisis", "always"})


def _undouble(stem: str) -> str:
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripping stem: "fires" and "fired" meet "fire", "killing" meets "killed"."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or word in _KEEP or word.endswith("ss"):
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed", "er", "ers", "ings") and not replacement:
                base = _undouble(base)
            return base[:-1] if len(base) > 3 and base.endswith("e") else base
    return word[:-1] if word.endswith("e") else word


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes made straight."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def is_content(word: str) -> bool:
    return len(word) > 1 and word not in STOP_WORDS and word not in REPORTING


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if is_content(w)]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]
