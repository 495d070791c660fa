"""Separate a scraped article from the page around it: the steps, in order.

Input is the decoded text of a scraped page, one paragraph per line; output is the article's
title, standfirst, byline, author bio and body paragraphs, plus every line that was dropped with
the reason it was dropped. Nothing is dropped silently, and a line the rules are unsure about is
kept. The article's main block is found first (`scoring`, `mainblock`); lines are then judged
relative to it: outside it, chrome goes; inside it, only a line whose own wording is interface
text, or a headline printed twice in a row, is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.text import language
from articles.text.cleaning import metadata, repetition
from articles.text.cleaning.article import CleanedArticle
from articles.text.cleaning.assemble import Decisions, finish
from articles.text.cleaning.extracted import clean_extracted
from articles.text.cleaning.lexicon import boilerplate_reason, interface_reason, opens_comments
from articles.text.cleaning.lines import FOOTNOTE, Line, ends_sentence, is_prose, split_lines
from articles.text.cleaning.mainblock import (
    BOX_LINES,
    Edges,
    anchored_run,
    before_comments,
    earlier_start,
    heaviest_run,
    widen,
)
from articles.text.cleaning.scoring import BAD, GOOD, Judged, judge, weight
from articles.text.cleaning.stopwords import stop_words
from articles.text.extraction import PageMetadata

BEFORE_TITLE = "site chrome before the title"
BEFORE_ARTICLE = "page chrome between the title and the article"
LEAD_HEADLINES = 2  # a kicker and a headline, or a headline and a subhead
AFTER_ARTICLE = "site chrome after the end of the article"
RELATED_BOX = "box of links to related articles inside the article"
FOREIGN_BLOCK_WORDS = 8
LINK_WORDS = 4  # a line this short with no sentence end reads like a link
LINK_COST = 0.4  # five of them in a row are a menu; fewer may be a list or subheads in the article
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0 "  # a line of these shows nothing


@dataclass
class Page:
    """A page's lines with what the steps found out about them."""

    lines: list[Line]
    judged: list[Judged]
    own: dict[int, str]  # lines that are chrome by their own wording
    decisions: Decisions
    index: dict[int, int] = field(default_factory=dict)  # line number -> position in `lines`

    def __post_init__(self) -> None:
        self.index = {line.number: i for i, line in enumerate(self.lines)}

    def chrome(self, line: Line) -> str | None:
        return self.judged[self.index[line.number]].chrome_reason

    def drop(self, line: Line, default: str) -> None:
        self.decisions.drop(line, self.chrome(line) or default)


def clean(
    text: str,
    *,
    kept_lines: frozenset[int] = frozenset(),
    fallback_title: str = "",
    metadata: PageMetadata | None = None,
) -> CleanedArticle:
    """Return the article found in `text`; `kept_lines` are line numbers a person chose to keep.

    `metadata` comes with text that an HTML extractor already cut from its page: then its title,
    author and description are used and the body is not cut again.
    """
    lines = split_lines(text)
    if not lines:
        return CleanedArticle()
    if metadata is not None:
        return clean_extracted(lines, metadata, kept_lines=kept_lines, fallback_title=fallback_title)
    result = CleanedArticle()
    result.language = language.detect(" ".join(line.text for line in lines if line.words >= 8)[:3000])
    own = own_reasons(lines)
    chrome = {line.number: reason for line in lines if (reason := boilerplate_reason(line))} | own
    words = stop_words(result.language) or language.frequent_words(line.text for line in lines)
    page = Page(lines, judge(lines, words, chrome), own, Decisions(kept_lines))
    title, start, end = main_block(page)
    body = read_head(result, page, title, start, fallback_title)
    body = [line for line in body if page.index[line.number] <= end]
    common = language.frequent_words(line.text for line in lines[start : end + 1])
    drop_after(result, page, end, common)
    kept = read_body(result, body, page, common)
    finish(result, lines, kept, page.decisions)
    result.main_block = (lines[start].number, lines[end].number)
    return result


def own_reasons(lines: list[Line]) -> dict[int, str]:
    """Lines that are chrome by their own wording, or truncated copies of other lines."""
    reasons = {line.number: reason for line in lines if (reason := interface_reason(line))}
    for number, reason in repetition.truncated_copies(lines).items():
        reasons.setdefault(number, reason)
    return reasons


def main_block(page: Page) -> tuple[int | None, int, int]:
    """The title's index if it anchors the article, and the first and last index of the main block.

    The block is the heaviest run after a headline that matches the page's <title>, or, with no
    such headline, the heaviest run of the page; the footnotes that directly follow it join it.
    """
    weights = [weight(j) for j in page.judged]
    anchored = anchored_run(weights, metadata.title_anchors(page.judged))
    if anchored is not None:
        title, start, end, _sum = anchored
    else:
        title = None
        start, end, total = heaviest_run(weights) or (0, len(page.lines) - 1, 0.0)
        start = earlier_start(weights, 0, start, total)
    headings = ["comments" if opens_comments(j.line) else "related" if j.barrier else "" for j in page.judged]
    low = title + 1 if title is not None else 0
    start, end = before_comments(weights, [h == "comments" for h in headings], (start, end), low)
    prose = [j.first_klass == GOOD and ends_sentence(j.line.text) and not j.chrome_reason for j in page.judged]
    edges = Edges([chrome_cost(j) for j in page.judged], headings, prose)
    start, end = widen(edges, (start, end), (low, len(page.lines) - 1))
    while end + 1 < len(page.lines) and FOOTNOTE.match(page.lines[end + 1].text):
        end += 1
    return title, start, end


def chrome_cost(judged: Judged) -> float | None:
    """How much a line looks like chrome when the main block grows over it (see `mainblock.widen`)."""
    line = judged.line
    if not line.text.strip(INVISIBLE):
        return None
    if judged.chrome_reason is not None or (judged.first_klass == BAD and not ends_sentence(line.text)):
        return 1.0
    if line.words <= LINK_WORDS and not ends_sentence(line.text):
        return LINK_COST
    return 0.0


def drop_after(result: CleanedArticle, page: Page, end: int, common: frozenset[str]) -> None:
    """Drop every line after the main block, saying which long ones are interface strings in another language."""
    for line in page.lines[end + 1 :]:
        reason = page.chrome(line)
        if reason is None and result.language and line.words >= FOREIGN_BLOCK_WORDS:
            other = language.differs(line.text, result.language, common)
            reason = f"interface strings in another language ({other})" if other else None
        page.decisions.drop(line, reason or AFTER_ARTICLE)


def read_head(result: CleanedArticle, page: Page, title_index: int | None, start: int, fallback: str) -> list[Line]:
    """Find title, byline and standfirst before the main block; drop the rest before it; return the body lines."""
    lines = page.lines
    if title_index is None:
        title_index = metadata.find_title(page.judged, start)
    if title_index is None:
        result.title = fallback
        result.warnings.append("no title line found; the file name is used as the title")
        head_from = 0
    else:
        title = lines[title_index]
        result.title = metadata.without_site_suffix(title.text) if title_index == 0 else title.text
        for line in lines[:title_index]:
            page.drop(line, BEFORE_TITLE)
        for number, reason in repetition.title_echoes(lines, title).items():
            page.decisions.drop(lines[page.index[number]], reason)
        head_from = title_index + 1
    head = page.decisions.live(lines[head_from:start])
    body = lines[max(start, head_from) :]
    byline = metadata.find_byline([ln for ln in head if ln.number not in page.own] + page.decisions.live(body)[:4])
    if byline is not None:
        result.byline = byline[1]
        taken = {line.number for line in byline[0]}
        head = [line for line in head if line.number not in taken]
        body = [line for line in body if line.number not in taken]
    lead = lead_in(page, head)
    standfirst = next((ln for ln in head if page.chrome(ln) is None and metadata.is_standfirst(ln)), None)
    if standfirst is None and title_index is not None:
        live = [line for line in page.decisions.live(body) if line.number not in page.own]
        standfirst = leading_standfirst(page, live, byline[0][0] if byline else None)
        body = [line for line in body if line is not standfirst]
    if standfirst is not None:
        result.standfirst = standfirst.text
    for line in head:
        if line is not standfirst and line not in lead:
            page.drop(line, BEFORE_ARTICLE)
    return [*lead, *body]


def lead_in(page: Page, head: list[Line]) -> list[Line]:
    """Headlines right before the main block belong to the article: the kicker, the headline, a subhead.

    Walking back from the block, date and interface lines are skipped (they stay dropped); the
    headline-shaped lines met before anything else are kept, at most LEAD_HEADLINES of them.
    """
    kept: list[Line] = []
    for line in reversed(head):
        if page.chrome(line) is not None or metadata.is_standfirst(line):
            continue
        if not metadata.headline_shaped(page.judged[page.index[line.number]]) or len(kept) == LEAD_HEADLINES:
            break
        kept.append(line)
    return kept[::-1]


def leading_standfirst(page: Page, body: list[Line], byline: Line | None) -> Line | None:
    """The body's first line is a standfirst when it is a short sentence set apart by a byline or chrome."""
    if not body:
        return None
    first = body[0]
    index = page.index[first.number]
    following = page.lines[index + 1] if index + 1 < len(page.lines) else None
    echoed = any(r.startswith(f"truncated copy of line {first.number} ") for r in page.own.values())
    set_apart = (byline is not None and first.number < byline.number) or (
        following is not None and (following.number in page.decisions.dropped or following.number in page.own)
    )
    if metadata.is_standfirst(first) and (echoed or set_apart):
        return first
    return None


def read_body(result: CleanedArticle, body: list[Line], page: Page, common: frozenset[str]) -> list[Line]:
    """Drop what is chrome by its own wording inside the main block; return the lines kept."""
    decisions = page.decisions
    for line in body:
        if line.number in page.own:
            decisions.drop(line, page.own[line.number])
    drop_boxes(page, body)
    for number, reason in repetition.adjacent_repeats(decisions.live(body)).items():
        decisions.drop(next(ln for ln in body if ln.number == number), reason)
    live = decisions.live(body)
    bio = metadata.find_bio(live, metadata.byline_author(result.byline))
    if bio is not None:
        result.bio = bio.text
        live = [line for line in live if line is not bio]
    return judge_languages(result, live, decisions, common)


def drop_boxes(page: Page, body: list[Line]) -> None:
    """Drop a related-articles box set inside the article: its heading and the links under it, up to the next sentence."""
    box = 0
    for line in body:
        judged = page.judged[page.index[line.number]]
        if judged.barrier:
            box = BOX_LINES
            page.drop(line, RELATED_BOX)
        elif box and line.words and not ends_sentence(line.text):
            box -= 1
            page.drop(line, RELATED_BOX)
        elif line.words:
            box = 0


def judge_languages(
    result: CleanedArticle, body: list[Line], decisions: Decisions, common: frozenset[str]
) -> list[Line]:
    """Other-language lines at the edges of the body are interface blocks; inside it they are kept."""
    if not result.language:
        return body
    foreign = {}
    for line in body:
        if line.words >= 3 and (other := language.differs(line.text, result.language, common)):
            foreign[line.number] = other
    prose = [i for i, line in enumerate(body) if is_prose(line) and line.number not in foreign]
    first, last = (prose[0], prose[-1]) if prose else (0, len(body) - 1)
    kept = []
    for i, line in enumerate(body):
        if line.number in foreign and (i < first or i > last):
            decisions.drop(line, f"interface strings in another language ({foreign[line.number]})")
        else:
            if line.number in foreign:
                result.warnings.append(f"line {line.number} looks like {foreign[line.number]}, kept")
            kept.append(line)
    return kept
