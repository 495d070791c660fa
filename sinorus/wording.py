"""How a service's message, written to be read after "because", is shown to a person as a sentence."""

from __future__ import annotations


def as_sentence(text: object) -> str:
    """`text` with its first letter a capital and a full stop at its end; the rest as written
    (str.capitalize() would lower every other letter: names, file names, "Keep" after a stop)."""
    text = str(text).strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
