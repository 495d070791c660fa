"""Find the article's main block: the run of lines that holds the most prose net of chrome.

Body-text extraction in the manner of Finn, Kushmerick and Smyth's BTE: each line weighs plus
its prose or minus its chrome, and the main block is the contiguous run with the largest sum
(Kadane's maximum subarray). A page's menus, footers and teaser lists sit around the article and
weigh against any run that would include them; a subhead or an advertisement label inside the
article costs less than the paragraphs after it bring, so the block spans it. The block then
grows outward over the lines nothing marks as chrome (`widen`): a list or a few short lines at the
article's edges weigh too little to join it on their own, and unsure lines are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

OUTWEIGHS = 2.0  # a run this many times heavier than the anchored one is the article instead
NEARER_SHARE = 0.4  # a run between the title and the heaviest run, this share as heavy, starts the article
NEARER_MIN = 20.0
ARTICLE_MIN = 15.0  # words of prose, net of chrome, before a comments heading for the article to end there


def heaviest_run(weights: list[float]) -> tuple[int, int, float] | None:
    """Return (first, last, sum) of the contiguous run with the largest sum, or None if no sum is positive."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = w, i
        else:
            total += w
        if total > best:
            best, best_span = total, (start, i, total)
    return best_span


def anchored_run(weights: list[float], anchors: list[tuple[int, bool]]) -> tuple[int, int, int, float] | None:
    """Return (anchor, first, last, sum) of the heaviest run after a title anchor.

    `anchors` are line indices, each with whether the line is the page title exactly. On ties the
    later anchor wins, being nearer the article. An anchor that is only part of the page title
    and has a much heavier run before it is a headline inside the article (a recipe card's), not
    the article's own; the page title itself is the article's, whatever teasers come before it.
    """
    best = None
    for anchor, exact in anchors:
        run = heaviest_run(weights[anchor + 1 :])
        if run is None or (best is not None and run[2] < best[3]):
            continue
        before = None if exact else heaviest_run(weights[:anchor])
        if before is None or before[2] <= OUTWEIGHS * run[2]:
            best = (anchor, anchor + 1 + run[0], anchor + 1 + run[1], run[2])
    if best is not None:
        anchor, first, last, total = best
        best = (anchor, earlier_start(weights, anchor + 1, first, total), last, total)
    return best


def earlier_start(weights: list[float], low: int, first: int, total: float) -> int:
    """Where the article starts: before the heaviest run when an almost as heavy run precedes it.

    A list-like article (a meal plan, patch notes) weighs little against the prose of the page's
    footer; the article's introduction before it is then the earlier heavy run.
    """
    nearer = heaviest_run(weights[low:first])
    if nearer is not None and nearer[2] >= max(NEARER_MIN, NEARER_SHARE * total):
        return low + nearer[0]
    return first


def before_comments(weights: list[float], comments: list[bool], span: tuple[int, int], low: int) -> tuple[int, int]:
    """The block without the page's comments, when an article precedes the first comments heading.

    Comments under a short article can outweigh it: the heaviest run then spans the article, the
    heading and the comments, or is the comments alone. The article is the heaviest run between
    `low` (after the title) and the first comments heading, if it has ARTICLE_MIN of prose.
    """
    start, end = span
    heading = next((i for i in range(low, end + 1) if comments[i]), None)
    if heading is None:
        return span
    run = heaviest_run(weights[low:heading])
    if run is None or run[2] < ARTICLE_MIN:
        return span
    return min(start, low + run[0]), heading - 1


@dataclass(frozen=True)
class Edges:
    """What the block needs to know of each line to grow (see `widen`)."""

    costs: list[float | None]  # how much a line looks like chrome: 0 text, 1 lexicon, None shows nothing
    headings: list[str]  # "" or "related" (a related-articles heading) or "comments" (a comments heading)
    prose: list[bool]  # solid prose: a full sentence among other prose


def widen(edges: Edges, span: tuple[int, int], limits: tuple[int, int]) -> tuple[int, int]:
    """Grow the block `span` outward over every line that is not clearly chrome.

    The block finder weighs prose against chrome, so a list, a run of subheads or a few short
    sentences at the article's edges can fall outside it although nothing says they are chrome.
    The block grows over text lines and over the chrome lines between them (an advertisement
    label); it stops where STOP_COST of chrome comes with no text between, at a comments heading,
    at a related-articles heading unless prose resumes within BOX_LINES after it (a box of links
    set inside the article), and at `limits` (the title line before, the end of the page after).
    """
    start, end = span
    low, high = limits
    return _grow(edges, start, low, -1), _grow(edges, end, high, 1)


STOP_COST = 2.0
BOX_LINES = 6


def _grow(edges: Edges, edge: int, limit: int, step: int) -> int:
    i, spent = edge + step, 0.0
    inside = (lambda k: k >= limit) if step < 0 else (lambda k: k <= limit)
    while inside(i):
        if edges.headings[i]:
            resume = _resumes(edges, i, limit, step) if edges.headings[i] == "related" else None
            if resume is None:
                break
            i, spent, edge = resume, 0.0, resume
        elif edges.costs[i] is None:
            pass
        elif edges.costs[i]:
            spent += edges.costs[i]
            if spent >= STOP_COST:
                break
        else:
            spent, edge = 0.0, i
        i += step
    return edge


def _resumes(edges: Edges, heading: int, limit: int, step: int) -> int | None:
    """The first solid prose line within BOX_LINES past a related-articles heading (backward: before it), if any."""
    for k in range(1, BOX_LINES + 1):
        j = heading + k * step
        if (j < limit) if step < 0 else (j > limit):
            return None
        if edges.headings[j]:
            return None
        if edges.prose[j]:
            return j
    return None
