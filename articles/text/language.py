"""Which language a line is in, cheaply enough to ask of every line of a large corpus.

Pure module. py3langid (a maintained fork of langid.py) identifies the language; it is only
consulted for lines that share almost none of the document's most frequent words, which is
what a line in another language looks like, so a normal article costs one classifier call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

WORD = re.compile(r"\w+", re.UNICODE)
MIN_PROBABILITY = 0.9


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """Return the ISO 639-1 code of `text`'s language, or '' when there is too little text."""
    if len(WORD.findall(text)) < 5:
        return ""
    lang, _prob = _identifier().classify(text)
    return lang


def frequent_words(lines: Iterable[str], top: int = 60) -> frozenset[str]:
    """The document's most frequent words: mostly its language's function words."""
    counts = Counter(w.lower() for line in lines for w in WORD.findall(line) if not w.isdigit())
    return frozenset(w for w, _n in counts.most_common(top))


def differs(line: str, doc_language: str, common: frozenset[str]) -> str:
    """Return the language of `line` if it is confidently not `doc_language`, else ''."""
    words = [w.lower() for w in WORD.findall(line) if not w.isdigit()]
    if len(words) < 3:
        return ""
    shared = sum(1 for w in words if w in common) / len(words)
    if shared >= 0.15:
        return ""
    lang, prob = _identifier().classify(line)
    if lang != doc_language and prob >= MIN_PROBABILITY:
        return lang
    return ""
