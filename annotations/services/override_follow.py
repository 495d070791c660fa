"""Editors' corrections of the aligned view follow an article to its new revision.

A correction names passages by offsets into the article's text (alignment/overrides.py). When a
re-import, a restored line or a text correction makes a new revision, each offset is moved to
where its sentence now is, found as an annotation is (by its words and their context); a
correction whose passage is gone names nothing any more and is marked lost, never replayed onto
whatever sentence now sits at its old offset.
"""

from __future__ import annotations

from annotations.text.anchoring import anchor
from articles.models import AlignmentOverride, Revision

CONTEXT = 32  # characters of context either side a sentence is found again by


def _moved(offset, previous: Revision, revision: Revision) -> int | None:
    """Where the sentence holding `offset` in `previous` is in `revision` (the same place in it), or None."""
    if not isinstance(offset, int):
        return None
    span = next(((s, e) for s, e in previous.sentences if s <= offset < e), None)
    if span is None:
        return None
    start, end = span
    old = previous.text
    found = anchor(
        revision.text, old[start:end], old[max(0, start - CONTEXT) : start], old[end : end + CONTEXT], start, end
    )
    if found is None:
        return None
    return min(found.start + (offset - start), found.end - 1)


def overrides_follow(*, article, previous: Revision, revision: Revision) -> int:
    """Move every correction naming `article` onto `revision`; return how many were lost."""
    lost = 0
    for override in AlignmentOverride.objects.filter(lost=False):  # members may name the article too
        changed = False
        if override.article_id == article.pk:
            override.start, changed = _moved(override.start, previous, revision), True
        if override.target_article_id == article.pk:
            override.target_start, changed = _moved(override.target_start, previous, revision), True
        for field in ("members", "target_members"):
            points = getattr(override, field) or []
            if any(a == article.pk for a, _x in points):
                moved = [[a, x if a != article.pk else _moved(x, previous, revision)] for a, x in points]
                setattr(override, field, [p for p in moved if p[1] is not None])
                changed = True
        if not changed:
            continue
        if override.start is None or (override.target_article_id and override.target_start is None):
            override.lost, lost = True, lost + 1
            override.start = override.start if override.start is not None else 0  # kept, never read
        override.save(update_fields=["start", "target_start", "members", "target_members", "lost"])
    return lost


def on_revision_created(sender, *, article, previous, revision, cause: str, **kwargs):
    """Signal receiver: the corrections follow; its result counts nothing the reports show."""
    overrides_follow(article=article, previous=previous, revision=revision)
