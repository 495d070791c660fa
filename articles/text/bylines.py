"""The names a byline gives, from what a page's metadata says of its author.

Pure module. A page's author field mixes the people who wrote the piece with its publisher
("Condé Nast; Molly Wood"), the site's desks ("Jill Disis; CNN Business"), a bio ("Phil Helsel
is a reporter"), the date that followed the name ("Carrie Arnold November") and content-system
accounts ("Admin"). The byline keeps the people: the page's structured data names them when it
can (its authors typed Person), and the rules below take the rest away.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

SCRIPT_OPEN = re.compile(r"<script", re.I)
SCRIPT_CLOSE = re.compile(r"</script", re.I)
MAX_NAMES = 12  # a byline names at most this many people (a page may list thousands)
PREFIX = re.compile(r"^(?:(?:analysis|opinion|commentary|text|текст)\s+)?(?:by\s+)", re.I)
ROLE_PREFIX = re.compile(r"^(?:text|текст)\s+(?=\S+\s+\S)", re.I)
BIO = re.compile(r"\s+(?:is|was)\s+(?:a|an|the|our)\b.*$", re.I)
CALENDAR = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
    "july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE_TAIL = re.compile(rf"\s+(?:{CALENDAR})\b\.?(?:[\s,]+\d.*)?$", re.I)
DATE_ONLY = re.compile(rf"^(?:{CALENDAR})\b\.?(?:[\s,]+\d.*)?$", re.I)
ACCOUNT = re.compile(r"^(?:\w*admin|administrator|webmaster|editor|staff)$", re.I)
MAX_LD = 200_000  # characters of one structured-data block read at most


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def page_people(html: str) -> list[str]:
    """The names of the page's structured-data authors typed Person, in page order."""
    out: list[str] = []
    for block in _structured_data(html):
        if len(block) > MAX_LD:
            continue
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than a parser goes
            continue
        _people_in(data, out, depth=0)
    seen, names = set(), []
    for name in out:
        if _key(name) and _key(name) not in seen and len(names) < MAX_NAMES:
            seen.add(_key(name))
            names.append(name[:100])
    return names


def _structured_data(html: str):
    """The text of each <script type="application/ld+json"> of the page, in one pass over it: each
    search starts where the last ended, and a script left open ends the search (a page of
    thousands of open script tags costs what its length does)."""
    at = 0
    while (opened := SCRIPT_OPEN.search(html, at)) is not None:
        tag_end = html.find(">", opened.end())
        closed = SCRIPT_CLOSE.search(html, tag_end) if tag_end >= 0 else None
        if closed is None:
            return
        if "application/ld+json" in html[opened.end() : tag_end].lower():
            yield html[tag_end + 1 : closed.start()]
        at = closed.end()


def _people_in(data, out: list[str], depth: int) -> None:
    if depth > 12:
        return
    if isinstance(data, list):
        for item in data:
            _people_in(item, out, depth + 1)
    elif isinstance(data, dict):
        for name, value in data.items():
            if name in ("author", "creator"):
                for person in value if isinstance(value, list) else [value]:
                    if _is_person(person) and isinstance(person.get("name"), str):
                        out.append(" ".join(person["name"].split()))
            if isinstance(value, dict | list):
                _people_in(value, out, depth + 1)


def _is_person(item) -> bool:
    if not isinstance(item, dict):
        return False
    kinds = item.get("@type", "")
    return any(str(kind).lower() == "person" for kind in (kinds if isinstance(kinds, list) else [kinds]))


def byline_names(author: str, sitename: str = "", people: Iterable[str] = ()) -> str:
    """The people `author` names, "; " between them; "" when it names none.

    `sitename`: the publication, never a byline's name; `people`: the page's authors typed
    Person, which pick the names out when the field also holds a publisher, and are the byline
    when the field names none of them (a publisher alone)."""
    site = _key(sitename)
    parts: list[str] = []
    for part in author.split(";")[:MAX_NAMES]:
        part = _tidy(part, site)
        if part and _key(part) not in {_key(p) for p in parts}:
            parts.append(part)
    named = [p for p in list(people)[:MAX_NAMES] if len(_key(p)) >= 5 and _key(p) != site]
    chosen = [p for p in parts if any(_key(n) in _key(p) for n in named)]
    return "; ".join(chosen or named or parts)


def _tidy(part: str, site: str) -> str:
    part = " ".join(part.split()).strip(" ,|-–—")
    part = PREFIX.sub("", part)
    part = ROLE_PREFIX.sub("", part)
    part = BIO.sub("", part)
    if DATE_ONLY.match(part):
        return ""
    part = DATE_TAIL.sub("", part).strip(" ,")
    key = _key(part)
    if not key or ACCOUNT.match(key) or key == site:
        return ""
    words = part.split()
    if site and any(_key(" ".join(words[:k])) == site for k in range(1, len(words) + 1)):
        return ""  # the site's desk or role: "CNN Business", "CNN Editor-at-large"
    for k in range(2, len(words)):  # the site's name after the writer's: "Finian Cunningham Sputnik International"
        head = _key(words[k])
        if site and len(head) >= 4 and site.startswith(head):
            return " ".join(words[:k])
    return part


# A byline line: "By Ana Ruiz and Li Wei, Reuters", "Posted on May 2, 2019 by Hanna Berg", "Von
# Moritz Bachmann publiziert am 25. September 2018". Its names start after the last word that says
# who wrote it, and stop where the date, the time or the section begins.
LINE_BY = re.compile(r"(?:^|\s)(?:written\s+|posted\s+|reported\s+)?by:?\s+|^(?:von|par|por|автор:?|текст:?)\s+", re.I)
LINE_END = re.compile(
    rf"\s+[|•·／/]\s*|\s+[-–—]\s+|\s+(?:on|am|le|el)\s+(?=\d|(?:{CALENDAR})\b)|\s+(?:publiziert|published|updated)\b"
    rf"|\s+\d|\s+(?:{CALENDAR})\b\.?\s+\d",
    re.I,
)
NAME_SEPARATOR = re.compile(r"\s*;\s*|\s*,\s*|\s+(?:and|und|et|y)\s+|\s*&\s*", re.I)
DESK = re.compile(
    r"\b(?:staff|business|news|press|politics|desk|writer|reporter|correspondent|contributor|editors?|"
    r"media|wire|online|magazine|times|post|daily|agency)$",
    re.I,
)


def line_names(line: str) -> str:
    """The people a byline line names, "; " between them, as byline_names() gives a page's author
    field: "By DANICA KIRKA and JILL LAWLESS" -> "Danica Kirka; Jill Lawless", "By Jill Disis, CNN
    Business" -> "Jill Disis", "By admin - 2018-09-16" -> "". A line that does not say "by" is
    given back as it is: it is already a name (a page's author field)."""
    line = " ".join(line.split())
    found = LINE_BY.search(line)
    if found is None:
        return line
    rest = line[found.end() :]
    rest = LINE_END.split(rest, maxsplit=1)[0]
    people, desks = [], []
    for part in NAME_SEPARATOR.split(rest)[:MAX_NAMES]:
        part = _tidy(part, "")
        if not part or not any(ch.isalpha() for ch in part) or LINE_BY.search(part):
            continue  # nothing, or another role's credit: "Editing by Bob Smith"
        words = part.split()
        half = len(words) // 2
        if len(words) % 2 == 0 and words[:half] == words[half:]:  # "Sean Martin Sean Martin"
            part = " ".join(words[:half])
        if part.isupper() and len(part) > 3:
            part = part.title()
        (desks if DESK.search(part) else people).append(part)
    chosen = people or desks[:1]
    return "; ".join(dict.fromkeys(chosen))
