"""Cleaning of text that an HTML extractor already cut from its page.

trafilatura has removed the page's menus, footers and comments and read the page's metadata;
cutting its body again only loses article text (a trailing list of tour dates is the article's).
So this path takes the title and author from the metadata, sets apart the lines that repeat
them at the top of the body, drops lines made only of interface phrases, and keeps everything
else. (The page's description is no standfirst: most sites fill it with the first paragraph.)
"""

from __future__ import annotations

from articles.text import language
from articles.text.cleaning import metadata as meta
from articles.text.cleaning.article import CleanedArticle
from articles.text.cleaning.assemble import Decisions, finish
from articles.text.cleaning.lexicon import NAVIGATION, is_interface
from articles.text.cleaning.lines import Line, ends_sentence, norm
from articles.text.extraction import PageMetadata

HEAD_LINES = 4


def clean_extracted(
    lines: list[Line], page: PageMetadata, *, kept_lines: frozenset[int], fallback_title: str
) -> CleanedArticle:
    result = CleanedArticle(language=language.detect(" ".join(ln.text for ln in lines if ln.words >= 8)[:3000]))
    decisions = Decisions(kept_lines)
    body = list(lines)
    title = page.title or (
        lines[0].text if lines[0].words <= meta.TITLE_MAX_WORDS and not ends_sentence(lines[0].text) else ""
    )
    if title:
        result.title = title
        key = norm(title)
        if norm(body[0].text) in (key, norm(page.title)):
            body = body[1:]
        for line in body:
            if norm(line.text) in (key, norm(page.title)):
                decisions.drop(line, f"repeats the title (line {lines[0].number})")
    else:
        result.title = fallback_title
        result.warnings.append("no title line found; the file name is used as the title")
    body = decisions.live(body)
    result.byline, body = byline(body, page.author)
    for line in body:
        if line.words <= 12 and is_interface(line.text):
            decisions.drop(line, NAVIGATION)
    bio = meta.find_bio(decisions.live(body), meta.byline_author(result.byline) or page.author)
    if bio is not None:
        result.bio = bio.text
    kept = [line for line in decisions.live(body) if line is not bio]
    finish(result, lines, kept, decisions)
    if kept:
        result.main_block = (kept[0].number, kept[-1].number)
    return result


def byline(body: list[Line], author: str) -> tuple[str, list[Line]]:
    """The byline line among the first lines of the body (else the metadata's author), and the body without it."""
    found = meta.find_byline(body[:HEAD_LINES])
    if found is not None:
        taken = {line.number for line in found[0]}
        return found[1], [line for line in body if line.number not in taken]
    if author:
        for line in body[:HEAD_LINES]:
            if line.words <= 12 and norm(author) in norm(line.text) and not ends_sentence(line.text):
                return line.text, [ln for ln in body if ln is not line]
    return author, body


def without_site_name(title: str, sitename: str) -> str:
    """'Headline - Site' becomes 'Headline' when Site is the page's site name."""
    parts = meta.SITE_SUFFIX.split(title)
    if len(parts) > 1 and sitename and norm(parts[-1]) == norm(sitename):
        return title[: title.rfind(parts[-1])].rstrip(" -|–—:»·")
    return title
