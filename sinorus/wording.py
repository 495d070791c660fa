"""How a service's message, written to be read after "because", is shown to a person as a sentence;
and whether a text a person typed or uploaded shows anything at all."""

from __future__ import annotations

import html
import re
import unicodedata

TAG = re.compile(r"<[^>]*>")

# spaces, controls, format characters (zero-width, bidi marks), combining marks with no base, and
# unassigned or private code points: none of them shows as a character on its own
UNSEEN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})
# letters and symbols that are drawn as nothing: the Hangul fillers and the blank Braille pattern
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\U0001d159")  # and the musical null notehead


def shows_something(text: str) -> bool:
    """Whether `text` holds a character a reader sees (not only spaces, zero-width or bidi marks)."""
    return any(ch not in BLANK and unicodedata.category(ch) not in UNSEEN for ch in text)


def html_shows_something(markup: str) -> bool:
    """The same of a note's HTML, as its reader sees it: "<b></b>" or "&#8203;" shows nothing."""
    return shows_something(html.unescape(TAG.sub("", markup)))


def as_sentence(text: object) -> str:
    """`text` with its first letter a capital and a full stop at its end; the rest as written
    (str.capitalize() would lower every other letter: names, file names, "Keep" after a stop)."""
    text = str(text).strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
