"""Text corrections that re-anchor every annotation, and the orphans they (or imports) leave."""

from __future__ import annotations

import orjson
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.access import can_correct_text
from annotations.models import Annotation, Orphan, Tag
from annotations.services.annotations import audit
from annotations.text.anchoring import anchor
from articles.models import Article, Revision
from articles.services import revision_from_corrected_text

BASE = "https://sinorus.invalid"  # IRIs in files made off-line; the web download uses the request's host


def _dumps(obj) -> str:
    return orjson.dumps(obj, option=orjson.OPT_OMIT_MICROSECONDS).decode()


@transaction.atomic
def article_text_correct(*, editor, article: Article, text: str) -> tuple[Revision, int, int]:
    """Save an editor's corrected text as a new revision and re-anchor every live annotation on it.

    Annotations move to the new revision as copies (the old revision keeps its own); those that
    cannot be anchored become orphans. Returns (revision, re-anchored, orphans).
    """
    if not can_correct_text(editor):
        raise PermissionDenied("Only editors correct an article's text.")
    previous = article.current
    revision = revision_from_corrected_text(article=article, text=text)
    moved, orphaned = 0, 0
    copies = []
    for old in Annotation.objects.alive().filter(revision=previous).select_related("tag", "activity"):
        found = anchor(revision.text, old.exact, old.prefix, old.suffix, old.start, old.end)
        if found is None:
            Orphan.objects.create(
                origin=Orphan.Origin.CORRECTION, article=article, source_annotation=old, annotator_id=old.annotator_id,
                activity=old.activity, layer=old.layer, tag=old.tag.slug, note=old.note, exact=old.exact,
                prefix=old.prefix, suffix=old.suffix, reason=f"not found after the correction to revision {revision.number}",
            )  # fmt: skip
            orphaned += 1
            continue
        copies.append(
            Annotation(
                revision=revision,
                annotator_id=old.annotator_id,
                tag_id=old.tag_id,
                note=old.note,
                start=found.start,
                end=found.end,
                exact=revision.text[found.start : found.end],
                prefix=revision.text[max(0, found.start - 32) : found.start],
                suffix=revision.text[found.end : found.end + 32],
                activity=old.activity,
                layer=old.layer,
                source=old,
            )  # fmt: skip
        )
        moved += 1
    Annotation.objects.bulk_create(copies)
    audit(
        editor,
        None,
        "corrected text",
        detail={"article": article.source, "revision": revision.number, "moved": moved, "orphaned": orphaned},
    )
    return revision, moved, orphaned


@transaction.atomic
def orphan_reattach(*, user, orphan: Orphan, exact: str) -> Annotation:
    """Anchor an orphan on the current text by the passage a person chose; raise ValueError if not found."""
    article = orphan.article
    if article is None:
        raise ValueError("this orphan has no article")
    found = anchor(article.current.text, exact.strip(), orphan.prefix, orphan.suffix)
    if found is None:
        raise ValueError("that passage is not in the current text")
    tag = Tag.objects.filter(slug=orphan.tag).first()
    if tag is None:
        raise ValueError(f"unknown tag {orphan.tag!r}")
    text = article.current.text
    annotation = Annotation.objects.create(
        revision=article.current, annotator_id=orphan.annotator_id or user.pk, tag=tag, note=orphan.note,
        start=found.start, end=found.end, exact=text[found.start : found.end],
        prefix=text[max(0, found.start - 32) : found.start], suffix=text[found.end : found.end + 32],
        activity=orphan.activity, layer=orphan.layer, source=orphan.source_annotation,
    )  # fmt: skip
    orphan.resolved_at, orphan.resolution = timezone.now(), "reattached"
    orphan.save(update_fields=["resolved_at", "resolution"])
    return annotation


def orphan_dismiss(*, orphan: Orphan) -> None:
    orphan.resolved_at, orphan.resolution = timezone.now(), "dismissed"
    orphan.save(update_fields=["resolved_at", "resolution"])
