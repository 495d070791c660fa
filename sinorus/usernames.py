"""Which names an account may have: valid characters in one script, and no look-alike of another.

Pure: no Django imports, so it can be tested and reused anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters and digits that look like a Latin letter, mapped before case folding (so that
# uppercase Greek Eta "Η" is an H while lowercase eta "η" is an n). A small hand-made subset of
# Unicode's confusables for the scripts a news class is likely to type; NFKC already folds
# full-width, mathematical and ligature forms.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "Ѕ": "S",
        "І": "l",
        "Ј": "J",
        "Ү": "Y",
        "Ԛ": "Q",
        "Ԝ": "W",
        "Ӏ": "l",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ј": "j",
        "һ": "h",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ү": "y",
        "ӏ": "l",
        "ь": "b",
        "п": "n",
        # Greek
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "l",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "Ϲ": "C",
        "Ϳ": "J",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "ι": "i",
        "κ": "k",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ϲ": "c",
        "ϳ": "j",
        "η": "n",
        # Latin and digits
        "I": "l",
        "1": "l",
        "0": "o",
        "ı": "i",
        "ɑ": "a",
        "ɡ": "g",
    }
)
_PAIRS = (("rn", "m"), ("vv", "w"))  # after case folding
SEPARATORS = set("@.+-_")
# Scripts that are written together (Japanese mixes kana and kanji; Korean may use hanja).
_SCRIPT_GROUP = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "KATAKANA-HIRAGANA": "CJK"}


def skeleton(name: str) -> str:
    """Return what `name` looks like: two names with the same skeleton can be mistaken for each other."""
    # Mapped before NFKC as well: NFKC turns some look-alikes (lunate sigma Ϲ) into letters that are not.
    text = unicodedata.normalize("NFKC", name.translate(_LOOKALIKES)).strip().translate(_LOOKALIKES).casefold()
    text = unicodedata.normalize("NFKC", text)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    return text


def _script(char: str) -> str:
    word = unicodedata.name(char, "UNKNOWN").split(" ")[0]
    return _SCRIPT_GROUP.get(word, word)


def username_problem(name: str) -> str:
    """Return why `name` cannot be an account name ('' when it can)."""
    if unicodedata.normalize("NFKC", name) != name:
        return "Type the name in ordinary characters (no full-width or styled letters)."
    for char in name:
        if not (unicodedata.category(char).startswith("L") or char.isascii() and char.isdigit()) and (
            char not in SEPARATORS
        ):
            return "Use only letters, digits and . _ - @ + (no spaces, symbols or invisible characters)."
    if not name[:1].isalnum() or not name[-1:].isalnum():
        return "Start and end the name with a letter or a digit."
    scripts = {_script(char) for char in name if unicodedata.category(char).startswith("L")}
    if len(scripts) > 1:
        return (
            "Use letters of one alphabet only: this name mixes "
            + " and ".join(sorted(s.title() for s in scripts))
            + "."
        )
    return ""


def confusable_with(name: str, existing: Iterable[str]) -> bool:
    """Return whether `name` looks like one of the `existing` names."""
    target = skeleton(name)
    return any(skeleton(other) == target for other in existing)
