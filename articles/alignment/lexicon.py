"""Words: tokens, a stop list of function words only, reporting verbs, a light stemmer, and the
word lists labels are read with (openers of noun phrases, verb and adjective shapes, vague nouns).

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

# Words that attribute a sentence to a source ("police said", "according to officials"): a
# reported fact, which a point keeps even when its wording is loose (points._pruned).
_ATTRIBUTION_TEXT = """
    said says told according reported reportedly announced confirmed stated added police officials
    spokesman spokeswoman spokesperson
"""
ATTRIBUTION = frozenset(_ATTRIBUTION_TEXT.split())

# What labels are made of (labels.py). Words after which a noun phrase begins:
_OPENERS = (
    "a an the this that these those his her its their our my your some any each every no another such both "
    "of in on at for with about from over into after against between during among amid without within "
    "under across behind near toward towards via than like including"
)
OPENERS = frozenset(_OPENERS.split())
# Of those, the ones that make the next word a noun ("the shooting", not "on focusing"):
_DETERMINERS = "a an the this that these those his her its their our my your some any each every no another"
DETERMINERS = frozenset(_DETERMINERS.split())
# Words after which a sentence's first word is the subject ("Trade between...", "Trade is...").
_FOLLOWERS = "of in on at for with between from over is was are were has have had will would can could"
FOLLOWERS = frozenset(_FOLLOWERS.split())
# Word shapes that do not end a noun phrase: adverbs, comparatives, adjectives.
NOT_A_HEAD = re.compile(r"(?:ly|ous|ful|ible|able|less|ic)$")
# Nouns of those shapes.
_HEADS_ALL_THE_SAME = (
    "family rally supply assembly anomaly monopoly ally reply table cable bible vegetable variable handful "
    "music topic traffic clinic public republic critic logic panic mechanic"
)
HEADS_ALL_THE_SAME = frozenset(_HEADS_ALL_THE_SAME.split())
# Content words that still say nothing as a label: counts, vague nouns, the commonest verbs.
_NOT_A_LABEL = (
    "one two three four five six seven eight nine ten first second third last next hundred hundreds thousand "
    "thousands million millions billion billions include includes including included make makes made making "
    "take takes took taken become becomes became remain remains remained call calls called show shows showed "
    "shown see sees seen saw give gives gave given use uses used come comes came go goes went get gets got put "
    "set held hold holds keep keeps kept want wants wanted need needs needed seem seems seemed like also "
    "way ways thing things part parts time times lot lots kind sort end side number numbers fact case cases "
    "week weeks month months year years day days morning night evening afternoon weekend hour hours "
    "people person man men woman women others many much several new old other own same more most less least "
    "well just even still already really very now then there here where what whole full great good big small "
    "long large larger higher high low little latest recent current previous former early late later "
    "world country countries side sides issue issues thing stuff something anything everything nothing "
    "news article story stories report reports however meanwhile moreover furthermore instead indeed overall "
    "despite although therefore thus yet whether perhaps maybe rather essence short addition particular general "
    "turn meantime form spate middle order together ahead apart away "
    "face light area areas aim aims effort efforts terms regard respect sense stakes "
    "tonight tomorrow overnight soon let lets never outside inside"
)
NOT_A_LABEL = frozenset(_NOT_A_LABEL.split())
# Of those, the ones that end a phrase after a word of their own ("multipolar world", "world order").
MODIFIED_HEADS = frozenset({"world", "order"})
_VAGUE_NOUNS = (
    "way ways thing things part parts time times lot lots kind sort end side number numbers fact week weeks month "
    "months year years day days people world country countries issue issues order"
)
VAGUE_NOUNS = frozenset(_VAGUE_NOUNS.split())
# Common verbs whose forms carry no -ed: they end a noun phrase ("the fire spread").
_VERBS = (
    "hit hits struck spread spreads won lost kills dies died burns found left ran began fell rose sent met brought "
    "bought sold paid seeks sought tells thought led felt stood broke broken heard meant built caught grew drew "
    "fought threw drove fled shot stole stolen wrote sat spoke spent driven given taken written chosen known "
    "shown grown thrown hidden urges warns seems appears continues is are was were will would could should must may "
    "might can swept burst wept slept hung sank stuck swore tore wore bore bound dealt dug fed forgot froze hid "
    "hurt knelt lent lit quit rang rode shook slid spun sprang stung swam swung taught woke withdrew upheld"
)
VERBS = frozenset(_VERBS.split())
# Titles: capitalized, yet alone ("the President") they name nobody in particular.
_TITLES = (
    "president vice prime minister chancellor king queen prince princess chief secretary general governor "
    "senator mayor judge sheriff doctor coach captain director chairman officer commissioner"
)
TITLES = frozenset(_TITLES.split())
# Names that only say who reported, not what happened.
_SOURCES = "reuters ap afp upi cnn bbc associated press tmz"
SOURCES = frozenset(_SOURCES.split())

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
