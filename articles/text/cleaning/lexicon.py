"""Generic web interface phrases and boilerplate sentences, matched within lines.

A line made only of interface phrases ("* Home", "Leave a Reply Cancel reply", "Facebook") is
navigation, whatever the site. Boilerplate sentences (cookie banners, newsletter boxes, comment
forms) read as prose, so they are recognised by their wording. The lists hold the phrases of the
languages news sites are most often in; matching is on normalized text, so case, bullets and
punctuation around a phrase do not matter.
"""

from __future__ import annotations

import re
from pathlib import Path

from articles.text.cleaning.lines import WORD, Line, ends_sentence, norm


def _listed(name: str) -> frozenset[str]:
    """One phrase per line of a data file beside this module; `#` lines are section headings."""
    lines = (Path(__file__).with_name(name).read_text(encoding="utf-8")).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


INTERFACE_PHRASES = _listed("interface_phrases.txt")  # by language, as the file's headings say
INTERFACE_WORDS = _listed("interface_words.txt")
LANGUAGE_NAMES = _listed("language_names.txt")

_PHRASES = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(INTERFACE_PHRASES, key=len, reverse=True)) + r")(?!\w)"
)

# Sentences that every site prints around its articles: cookies, newsletters, comment forms, paywalls.
BOILERPLATE = re.compile(
    r"\bcookies?\b|\bnewsletters?\b|\bsubscri(?:be|ption)\b|\bsign(?:ed)? (?:up|in)\b|\blog ?in\b"
    r"|\bprivacy (?:policy|notice|statement)\b|\bterms (?:of (?:use|service)|and conditions)\b"
    r"|\bemail address\b|\brequired fields\b|\bcomment(?:s|ing)? (?:policy|guidelines|section)\b"
    # Words news reports use too ("browser", "notification") count only in the phrases sites print.
    r"|\bjavascript\b|\bad ?blocker\b|\b(?:your|(?:a )?(?:newer|modern|supported|different)) (?:web )?browser\b"
    r"|\bupdate (?:your )?browser\b|\ball rights reserved\b|\bfollow us\b|\bdownload (?:our|the) app\b"
    r"|\bclick here\b|\bdelivered to your inbox\b|\b(?:turn on|enable|allow|push) notifications?\b"
    r"|\bunlimited (?:digital )?access\b|\bcontains? affiliate\b|\bmay earn (?:a )?(?:small )?commission\b"
    r"|\bpermission\b.*\breproduc|\breproduc\w+ without\b|\bregistered trademark\b",
    re.I,
)
# Each number run is tried once and never backtracked into: linear on "1,1,1,..." (as DOMAIN below).
COUNTER = re.compile(
    r"(?<![\w,.])\d[\d,.]*+\s*k?\s*(?:views?|comments?|shares?|likes?|reads?|min(?:ute)?s?\s+read|replies|votes?|points?)\b"
    r"|\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
    re.I,
)
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
# A line that is only a date (and perhaps a time): post metadata, printed with every teaser.
DATE_LINE = re.compile(
    rf"^(?:(?:updated|published|posted|last updated)?:?\s*)?(?:{WEEKDAY}\s+)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+{MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$",
    re.I,
)
URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
# Starts only where a name can start and never backtracks into it: linear on "a-a-a-..." runs.
DOMAIN = re.compile(r"(?<![\w-])[\w-]++\.(?:com|net|org|info|news|io|co|tv|ru|cn|de|fr|uk|tr|in)\b", re.I)
TWEET = re.compile(r"\bt\.co/|\bpic\.twitter\.com/|@\w+|\btwitter\.com/", re.I)
RELATED = re.compile(
    r"^(?:read|see|more|also read|related|recommended|watch|listen|read more|more on this)"
    r"(?:\s+(?:also|more|next|on the subject|on this topic|on this|here))?\s*[:–—-]\s*\S",
    re.I,
)
TRANSLATION_NOTE = re.compile(
    r"^(?i:translated|translation|machine[- ]translated)?\s*(?i:from|by)\s+(?P<lang>[A-Z][a-z]+)\.?$"
)
COPYRIGHT = re.compile(r"(?:©|\(c\)\s*\d{4}|\bcopyright\b.*\d{4}|all rights reserved)", re.I)

# Headings that open what follows an article: its comments, and lists of other articles.
SECTION_AFTER = re.compile(
    r"^(?:\d+\s+)?(?:top rated |reader |user |latest |show |view |all |load |\d+ )?(?:comments?|responses?|replies)"
    r"(?:\s*\(\d+\))?$|^(?:leave a (?:reply|comment)|post a comment|add a comment|join the (?:conversation|discussion)"
    r"|discussion|what do you think|comments are closed|related(?: articles| posts| stories| news| content| coverage)?"
    r"|more (?:from|stories|news|on this(?: story| topic)?|to explore|in \w+)|you (?:may|might) also like"
    r"|recommended(?: for you| stories| articles)?|most (?:popular|read|viewed|shared)|popular (?:posts|stories|now)"
    r"|trending(?: now| stories)?|read next|up next|elsewhere on .*|what to read next|around the web|from the web"
    r"|(?:sponsored|promoted) (?:stories|content|links)|other news|top stories|editor'?s picks|don'?t miss"
    r"|kommentare|комментарии|commentaires|comentarios|comentários|commenti|lesen sie auch|читайте также"
    r"|mehr zum thema|das könnte sie auch interessieren|lire aussi|à lire aussi|sur le même sujet|lee también"
    r"|leia também|leggi anche|czytaj także|похожие (?:статьи|новости)|read also|also read|see also)$",
    re.I,
)

NAVIGATION = "site navigation or interface text"


def is_interface(text: str) -> bool:
    """Return True if `text` is made only of interface phrases (and punctuation)."""
    normalized = norm(text)
    if not normalized or len(normalized) > 120:
        return False
    return not WORD.search(_PHRASES.sub(" ", normalized))


def interface_reason(line: Line) -> str | None:
    """Return why a line is site chrome judged on its own wording, or None."""
    text = line.text
    if line.words <= 12 and is_interface(text):
        return NAVIGATION
    if 2 <= line.words <= 10 and all(t in INTERFACE_WORDS for t in WORD.findall(text.lower())):
        return NAVIGATION
    if line.words <= 10 and (COUNTER.search(text) or DATE_LINE.match(text)):
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
    return None


def boilerplate_reason(line: Line) -> str | None:
    """Return why a prose-looking line is the site's boilerplate (cookies, newsletter, comment form), or None."""
    if line.words <= 45 and BOILERPLATE.search(line.text):
        return "site boilerplate (cookies, newsletter, sign-in or comment form)"
    text = line.text
    if DOMAIN.search(text) and not TWEET.search(text) and (line.words <= 12 or not ends_sentence(text)):
        return "promotion for the site"
    return None


# Headings of a page's comments: the article never goes on after them (a related-articles box may sit inside it).
COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:top rated |reader |user |latest |show |view |all |load |\d+ )?(?:comments?|responses?|replies)"
    r"(?:\s*\(\d+\))?$|^(?:leave a (?:reply|comment)|post a comment|add a comment|join the (?:conversation|discussion)"
    r"|comments are closed|kommentare|комментарии|commentaires|comentarios|comentários|commenti)$",
    re.I,
)
# "More Weather", "More Washington Examiner": a heading naming what a list of other pages is about.
MORE_HEADING = re.compile(r"^More(?:\s+[A-Z][\w'’&.-]*){1,3}$")


def opens_section_after(line: Line) -> bool:
    """Return True if `line` is the heading of comments or of a list of other articles."""
    return line.words <= 8 and bool(SECTION_AFTER.match(norm(line.text)) or MORE_HEADING.match(line.text))


def opens_comments(line: Line) -> bool:
    """Return True if `line` is the heading of the page's comments."""
    return line.words <= 8 and bool(COMMENTS_HEADING.match(norm(line.text)))
