"""Text corrections that re-anchor every annotation, and the orphans they (or imports) leave."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.access import can_correct_text
from annotations.models import Annotation, Orphan, Tag
from annotations.services.annotations import anchored_fields, audit
from annotations.text.anchoring import anchor
from articles.models import Article, Revision
from articles.services.revisions import revision_from_corrected_text


@transaction.atomic
def article_text_correct(*, editor, article: Article, text: str) -> tuple[Revision, int, int]:
    """Save an editor's corrected text as a new revision; every live annotation follows it.

    Returns (revision, re-anchored, orphans); see `annotations.services.revisions`.
    """
    if not can_correct_text(editor):
        raise PermissionDenied("Only editors correct an article's text.")
    revision = revision_from_corrected_text(article=article, text=text)
    moved, orphaned = revision.followed.moved, revision.followed.orphaned
    detail = {"article": article.source, "revision": revision.number, "moved": moved, "orphaned": orphaned}
    audit(editor, None, "corrected text", detail=detail)
    return revision, moved, orphaned


@transaction.atomic
def orphan_reattach(*, user, orphan: Orphan, exact: str, article: Article | None = None) -> Annotation:
    """Anchor an orphan on the current text by the passage a person chose; raise ValueError if not found.

    `article` chooses the article for an orphan whose file named none (or the wrong one).
    """
    article = article or orphan.article
    if article is None:
        raise ValueError("this orphan has no article: choose one")
    found = anchor(article.current.text, exact.strip(), orphan.prefix, orphan.suffix)
    if found is None:
        raise ValueError("that passage is not in the current text")
    tag = Tag.objects.filter(slug=orphan.tag).first()
    if tag is None:
        raise ValueError(f"unknown tag {orphan.tag!r}")
    fields = anchored_fields(article.current.text, found.start, found.end)
    stranded = orphan.source_annotation
    if stranded is not None and stranded.deleted_at is None:
        # The annotation itself moves, with its replies, decision and history.
        for name, value in fields.items():
            setattr(stranded, name, value)
        stranded.revision = article.current
        stranded.save(update_fields=["revision", *fields])
        annotation = stranded
    else:
        annotation = Annotation.objects.create(
            revision=article.current,
            annotator_id=orphan.annotator_id or user.pk,
            tag=tag,
            note=orphan.note,
            activity=orphan.activity,
            layer=orphan.layer,
            **fields,
        )
    orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.REATTACHED
    orphan.save(update_fields=["resolved_at", "resolution"])
    return annotation


def orphan_dismiss(*, orphan: Orphan) -> None:
    orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.DISMISSED
    orphan.save(update_fields=["resolved_at", "resolution"])
