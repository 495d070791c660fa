"""Separate a scraped article from the page around it.

Pure text logic, no Django. Input is the decoded text of a scraped page, one paragraph per
line; output is the article's title, standfirst, byline, author bio and body paragraphs, plus
every line that was dropped with the reason it was dropped. Nothing is dropped silently, and
a line the rules are unsure about is kept.

The rules look at the shape of a line (length, terminal punctuation, case), repetition
(teasers appear twice, meta descriptions appear truncated), language (interface strings in
another language than the article) and position (chrome sits before the title or after the
article's last sentence), plus a small lexicon of generic web interface phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from articles.text import language

# A paragraph ends a sentence when it ends with . ! ? … optionally followed by closing quotes,
# brackets or footnote markers such as [1].
SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’»)\]]|\[\d+\])*$")
ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)$")
LIST_ITEM = re.compile(r"^(?:[•·▪◦‣*\-–—]\s+|\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)")
FOOTNOTE = re.compile(r"^\[\d+\]")
WORD = re.compile(r"\w+(?:['’]\w+)*")
DOMAIN = re.compile(r"\b[\w-]+\.(?:com|net|org|info|news|io|co|tv|ru|cn|de|fr|uk|tr|in)\b", re.I)
URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
COUNTER = re.compile(r"\b\d[\d,.]*\s*k?\s*(?:views?|comments?|shares?|likes?|reads?|min(?:ute)?s?\s+read)\b", re.I)
BYLINE = re.compile(
    r"^by\s+(?P<name>[A-ZÀ-Ý][\w.'’-]+(?:\s+(?:[A-ZÀ-Ý][\w.'’-]+|van|von|de|der|da|al|bin|and|&|,))"
    r"{0,7})\s*(?:[|,–—-]\s*.*)?$",
    re.I,
)
RELATED = re.compile(
    r"^(?:read|see|more|also read|related|recommended|watch|listen)"
    r"(?:\s+(?:also|more|next|on the subject|on this topic|on this|here))?\s*[:–—-]\s*\S",
    re.I,
)
TRANSLATION_NOTE = re.compile(
    r"^(?i:translated|translation|machine[- ]translated)?\s*(?i:from|by)\s+(?P<lang>[A-Z][a-z]+)\.?$"
)
COPYRIGHT = re.compile(r"(?:©|\(c\)\s*\d{4}|\bcopyright\b.*\d{4}|all rights reserved)", re.I)
LANGUAGE_NAMES = {
    "english", "russian", "chinese", "german", "french", "spanish", "italian", "portuguese",
    "turkish", "arabic", "japanese", "korean", "polish", "dutch", "ukrainian", "persian",
    "hindi", "greek", "swedish", "czech", "hungarian", "romanian", "serbian", "mandarin",
}  # fmt: skip
BIO_VERB = re.compile(r"^\s*(?:is|was|has|writes|teaches|serves|served|heads|leads|directs)\b")

# Generic interface phrases of news and blog sites, compared after lower-casing and trimming
# punctuation. A line made only of these is navigation, not article text.
INTERFACE_PHRASES = {
    "skip to content", "skip to main content", "skip to navigation", "jump to content",
    "main menu", "menu", "toggle navigation", "navigation", "search", "home", "homepage",
    "log in", "login", "sign in", "sign up", "register", "subscribe", "subscribe now",
    "newsletter", "share", "share this", "share this article", "share on facebook",
    "share on twitter", "tweet", "print", "email", "comments", "comment", "leave a reply",
    "leave a comment", "post a comment", "add a comment", "cancel reply", "reply",
    "related", "related articles", "related posts", "related news", "related stories",
    "read also", "read more", "also read", "see also", "latest", "latest news",
    "latest posts", "most read", "most popular", "popular posts", "trending", "recommended",
    "advertisement", "sponsored", "sponsored content", "continue reading", "back to top",
    "next article", "previous article", "next post", "previous post", "tags", "categories",
    "follow us", "like this", "loading", "privacy policy", "terms of use", "contact us",
    "about us", "you may also like", "more from author", "more stories", "top stories",
}  # fmt: skip
INTERFACE_WORDS = {
    "share", "tweet", "email", "print", "facebook", "twitter", "x", "whatsapp", "telegram",
    "linkedin", "reddit", "pinterest", "copy", "link", "save", "comments", "comment", "menu",
    "search", "home", "login", "subscribe", "next", "previous", "prev", "back", "top",
}  # fmt: skip

SHORT_WORDS = 12
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
STANDFIRST_MAX_WORDS = 70
PROSE_MIN_WORDS = 8
PROSE_LONG_WORDS = 25


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the raw text
    text: str  # stripped of surrounding whitespace
    words: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", len(WORD.findall(self.text)))


@dataclass(frozen=True)
class Removed:
    number: int
    line: str
    reason: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str  # "paragraph", "heading", "list_item" or "footnote"
    line: int  # raw line number it came from


@dataclass
class CleanedArticle:
    title: str = ""
    standfirst: str = ""
    byline: str = ""
    bio: str = ""
    language: str = ""
    truncated: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def split_lines(text: str) -> list[Line]:
    """Return the non-blank lines of `text`, stripped, with their 1-based line numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(n, s.strip()) for n, s in enumerate(lines, start=1) if s.strip()]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip(" \t:.,;!?…-–—|»«\"'“”’")


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def is_heading_shaped(line: Line) -> bool:
    """Short, no sentence-ending punctuation, not a list item or footnote."""
    return (
        0 < line.words <= 20
        and not ends_sentence(line.text)
        and not LIST_ITEM.match(line.text)
        and not FOOTNOTE.match(line.text)
    )


def is_prose(line: Line) -> bool:
    """A line that reads as article body: a real sentence, or a long run of words."""
    return (line.words >= PROSE_MIN_WORDS and ends_sentence(line.text)) or line.words >= PROSE_LONG_WORDS


def paragraph_kind(line: Line) -> str:
    if FOOTNOTE.match(line.text):
        return "footnote"
    if LIST_ITEM.match(line.text):
        return "list_item"
    if line.words <= 15 and not ends_sentence(line.text) and not line.text.endswith((",", ";", ":")):
        return "heading"
    return "paragraph"


def interface_reason(line: Line) -> str | None:
    """Return why a line is site chrome judged on its own, or None."""
    text = line.text
    norm = _norm(text)
    if line.words <= 8 and norm in INTERFACE_PHRASES:
        return "site navigation or interface text"
    tokens = [t.lower() for t in WORD.findall(text)]
    if 2 <= len(tokens) <= 10 and all(t in INTERFACE_WORDS for t in tokens):
        return "site navigation or interface text"
    if line.words <= 10 and COUNTER.search(text):
        return "view counter or post metadata"
    if URL.match(text):
        return "bare link"
    if RELATED.match(text) and not ends_sentence(text):
        return "link to a related article"
    match = TRANSLATION_NOTE.match(text)
    if match and match.group("lang").lower() in LANGUAGE_NAMES:
        return "editorial leftover (translation note)"
    if line.words <= 40 and COPYRIGHT.search(text):
        return "copyright notice"
    if DOMAIN.search(text) and (line.words <= 40 and not ends_sentence(text) or line.words <= 12):
        return "promotion for the site"
    return None


def _truncated_copies(lines: list[Line]) -> dict[int, str]:
    """Map line numbers of lines that are a truncated copy ('...') of another line."""
    found: dict[int, str] = {}
    for line in lines:
        if not ELLIPSIS_END.search(line.text):
            continue
        stem = ELLIPSIS_END.sub("", line.text).rstrip()
        if len(stem) < 20:
            continue
        for other in lines:
            if other.number != line.number and len(other.text) > len(stem) and other.text.startswith(stem):
                found[line.number] = f"truncated copy of line {other.number} (teaser or page description)"
                break
    return found


def _find_byline(candidates: list[Line]) -> Line | None:
    for line in candidates[:4]:
        if line.words <= 12 and not COUNTER.search(line.text) and BYLINE.match(line.text):
            return line
    return None


def _find_title(live: list[Line], foreign: dict[int, str]) -> Line | None:
    """The title is the first headline-sized line of three words or more before any prose."""
    for line in live:
        if line.number in foreign:
            continue
        if line.words > TITLE_MAX_WORDS or len(line.text) > TITLE_MAX_CHARS:
            return None
        if line.words >= 3:
            return line
    return next((ln for ln in live if ln.number not in foreign), None)


def clean(text: str, *, kept_lines: frozenset[int] = frozenset(), fallback_title: str = "") -> CleanedArticle:
    """Return the article found in `text`; `kept_lines` are line numbers a person chose to keep."""
    result = CleanedArticle()
    lines = split_lines(text)
    if not lines:
        return result
    dropped: dict[int, str] = {}

    def drop(line: Line, reason: str) -> None:
        if line.number not in kept_lines and line.number not in dropped:
            dropped[line.number] = reason

    # 1. Lines that are chrome by their own shape or wording.
    for line in lines:
        if reason := interface_reason(line):
            drop(line, reason)
    for number, reason in _truncated_copies(lines).items():
        drop(Line(number, ""), reason)

    # 2. Language: the article's language is the majority; other-language lines are UI blocks.
    result.language = language.detect(" ".join(line.text for line in lines if line.words >= 8)[:3000])
    foreign: dict[int, str] = {}
    if result.language:
        common = language.frequent_words(line.text for line in lines)
        for line in lines:
            if line.words >= 3 and line.number not in dropped:
                other = language.differs(line.text, result.language, common)
                if other:
                    foreign[line.number] = other

    # 3. Repetition: a headline-shaped line that appears twice is a teaser link; an exact
    #    repeat of an earlier paragraph is a scraping duplicate.
    live = [line for line in lines if line.number not in dropped]
    title_line = _find_title(live, foreign)
    counts = Counter(_norm(line.text) for line in live)
    first_seen: dict[str, int] = {}
    for line in live:
        key = _norm(line.text)
        if title_line and line.number != title_line.number and key == _norm(title_line.text):
            drop(line, f"repeats the title (line {title_line.number})")
        elif counts[key] > 1 and is_heading_shaped(line) and line is not title_line:
            drop(line, "teaser link to another article (headline repeated)")
        elif key in first_seen:
            drop(line, f"duplicate of line {first_seen[key]}")
        first_seen.setdefault(key, line.number)

    live = [line for line in lines if line.number not in dropped]

    # 4. Title, byline, standfirst.
    if title_line is not None and title_line.number in dropped:
        title_line = None
    if title_line is not None:
        result.title = title_line.text
        # Chrome that precedes the title (menus, a site name) is not the article.
        for line in live:
            if line.number >= title_line.number:
                break
            if line.words <= SHORT_WORDS and not is_prose(line):
                drop(line, "site chrome before the title")
        live = [line for line in live if line.number > title_line.number or line.number not in dropped]
    else:
        result.title = fallback_title
        result.warnings.append("no title line found; the file name is used as the title")
    body = [line for line in live if line is not title_line and line.number not in dropped]

    byline = _find_byline(body)
    if byline is not None:
        result.byline = byline.text
        body = [line for line in body if line is not byline]
        author = BYLINE.match(byline.text).group("name").split(",")[0].strip()
    else:
        author = ""

    if body and title_line is not None:
        first = body[0]
        index = lines.index(first)
        next_raw = lines[index + 1] if index + 1 < len(lines) else None
        echoed = any(
            reason.startswith("truncated copy of line " + str(first.number) + " ") for reason in dropped.values()
        )
        before_byline = byline is not None and first.number < byline.number
        before_noise = next_raw is not None and next_raw.number in dropped
        if (
            ends_sentence(first.text)
            and first.words <= STANDFIRST_MAX_WORDS
            and first.number not in foreign
            and (echoed or before_byline or before_noise)
        ):
            result.standfirst = first.text
            body = body[1:]

    # 5. Author bio: a closing paragraph that introduces the byline's author.
    if author:
        surname = author.split()[-1]
        for line in reversed(body[-4:]):
            rest = line.text
            for name in (author, surname):
                if rest.startswith(name) and BIO_VERB.match(rest[len(name) :]):
                    result.bio = line.text
                    body = [b for b in body if b is not line]
                    break
            if result.bio:
                break

    # 6. Position: after the article's last prose line, short lines and other-language blocks
    #    are page chrome; other-language lines inside the article are kept with a warning.
    prose = [i for i, line in enumerate(body) if is_prose(line) and line.number not in foreign]
    last_prose = prose[-1] if prose else len(body) - 1
    first_prose = prose[0] if prose else 0
    kept: list[Line] = []
    for i, line in enumerate(body):
        if line.number in kept_lines:
            kept.append(line)
            continue
        if line.number in foreign and (i > last_prose or i < first_prose):
            drop(line, f"interface strings in another language ({foreign[line.number]})")
        elif line.number in foreign:
            result.warnings.append(f"line {line.number} looks like {foreign[line.number]}, kept")
            kept.append(line)
        elif (
            i > last_prose
            and line.words <= SHORT_WORDS
            and not ends_sentence(line.text)
            and not FOOTNOTE.match(line.text)
            or i > last_prose
            and line.text.isupper()
            and line.words <= SHORT_WORDS
        ):
            drop(line, "site chrome after the end of the article")
        else:
            kept.append(line)

    # Lines a person restored come back at their place in the raw text.
    for number in sorted(kept_lines):
        line = next((ln for ln in lines if ln.number == number), None)
        if line and line not in kept and line is not title_line and line is not byline:
            kept.append(line)
    kept.sort(key=lambda ln: ln.number)

    result.paragraphs = [Paragraph(line.text, paragraph_kind(line), line.number) for line in kept]
    result.removed = [
        Removed(n, next(ln.text for ln in lines if ln.number == n), r) for n, r in sorted(dropped.items())
    ]

    last_text = [p for p in result.paragraphs if p.kind in ("paragraph", "list_item")]
    if last_text and not ends_sentence(last_text[-1].text):
        result.truncated = True
        result.warnings.append("truncated: the article ends mid-sentence")
    if len(lines) == 1 and len(lines[0].text) > 2000:
        result.warnings.append("the file has no line breaks; it is read as one paragraph")
    return result
