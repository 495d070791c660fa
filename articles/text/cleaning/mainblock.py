"""Find the article's main block: the run of lines that holds the most prose net of chrome.

Body-text extraction in the manner of Finn, Kushmerick and Smyth's BTE: each line weighs plus
its prose or minus its chrome, and the main block is the contiguous run with the largest sum
(Kadane's maximum subarray). A page's menus, footers and teaser lists sit around the article and
weigh against any run that would include them; a subhead or an advertisement label inside the
article costs less than the paragraphs after it bring, so the block spans it.
"""

from __future__ import annotations


def heaviest_run(weights: list[float]) -> tuple[int, int] | None:
    """Return (first, last) indices of the contiguous run with the largest sum, or None if none is positive."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = w, i
        else:
            total += w
        if total > best:
            best, best_span = total, (start, i)
    return best_span
