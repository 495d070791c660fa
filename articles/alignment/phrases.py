"""What labels are made of, read off a sentence without a tagger: its noun phrases ("the
supermarket fire", "Lohan's rehab"), its "X of Y" phrases, and the names it mentions.

Pure module. Each is read once per distinct sentence (cached): labels ask again and again.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
)
from articles.alignment.units import DATE_WORDS

TOKEN = re.compile(r"[^\W\d_][\w'’-]*|[$€£¥]?\d[\d.,]*[\w-]*|\S", re.UNICODE)  # "76ers" is one token


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
def names(text: str) -> tuple[str, ...]:
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
