"""Text corrections that re-anchor every annotation, and the orphans they (or imports) leave."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.access import can_correct_text
from annotations.models import Annotation, Link, Orphan, Tag
from annotations.services.annotations import anchored_fields, audit
from annotations.services.links import Passage as LinkPassage
from annotations.services.links import link_create
from annotations.text.anchoring import anchor
from annotations.text.sanitize import sanitize_note
from annotations.text.spans import SpanError
from articles.models import Article, Revision
from articles.services.revisions import StaleCorrection, revision_from_corrected_text
from articles.text.leftout import page_blocks, with_block


@transaction.atomic
def article_text_correct(*, editor, article: Article, text: str, base: int | None = None) -> tuple[Revision, int, int]:
    """Save an editor's corrected text as a new revision; every live annotation follows it.

    `base`: the revision the editor corrected (a newer one refuses the save, StaleCorrection).
    Returns (revision, re-anchored, orphans); see `annotations.services.revisions`.
    """
    if not can_correct_text(editor):
        raise PermissionDenied("Only editors correct an article's text.")
    revision = revision_from_corrected_text(article=article, text=text, base=base)
    moved, orphaned = revision.followed.moved, revision.followed.orphaned
    detail = {"article": article.source, "revision": revision.number, "moved": moved, "orphaned": orphaned}
    audit(editor, None, "corrected text", detail=detail)
    return revision, moved, orphaned


def article_block_add(*, editor, article: Article, position: int, base: int) -> tuple[Revision, int, int]:
    """Add the `position`-th block the extractor left out of the HTML page (as the import report
    lists them for revision `base`) to the article, where the page has it, as a correction.

    Returns what article_text_correct returns; raises StaleCorrection if a revision came since
    `base` (the list was another one), ValueError if there is no such block."""
    if not can_correct_text(editor):
        raise PermissionDenied("Only editors correct an article's text.")
    current = article.current
    if base != current.number:
        raise StaleCorrection(
            f"revision {current.number} was saved since you opened revision {base}: the blocks left out "
            "of the page may have changed. Here is the current list; add the block again."
        )
    left = current.left_out_of_page(cut=False)
    if not 0 <= position < len(left):
        raise ValueError("that block is not among those left out of the page")
    text = with_block(current.text, current.paragraphs, page_blocks(current.raw_text), left[position])
    return article_text_correct(editor=editor, article=article, text=text, base=base)


@transaction.atomic
def orphan_reattach(
    *, user, orphan: Orphan, exact: str, article: Article | None = None, tag: str = "", note: str | None = None
) -> Annotation | Link:
    """Anchor an orphan on the current text by the passage a person chose; raise ValueError naming
    what to change if it cannot be.

    `article` chooses the article for an orphan whose file named none (or the wrong one); `tag` (a
    slug) a tag for one whose tag is not in the tag set; `note` replaces its note (one over the
    limit must be shortened). An orphaned link becomes a link again (see _reattach_link).
    """
    if orphan.activity_id and orphan.activity.revealed:  # feedback and grades are scored on the work as revealed
        raise ValueError(f"the work of “{orphan.activity.title}” was revealed and is locked: dismiss this orphan")
    if orphan.activity_id is None and orphan.layer != Annotation.Layer.INDIVIDUAL:  # a class would read its answers
        what = "an answer key's" if orphan.layer == Annotation.Layer.KEY else "a consensus's"
        raise ValueError(f"it is {what}: import its file into its exercise or session instead, and dismiss this orphan")
    if orphan.payload.get("link") is True:
        return _reattach_link(user=user, orphan=orphan, exact=exact, article=article, note=note)
    problems = []  # every one named at once: each retry is typed again
    article = article or orphan.article
    found = anchor(article.current.text, exact.strip(), orphan.prefix, orphan.suffix) if article else None
    if article is None:
        problems.append("this orphan has no article: choose one")
    elif orphan.activity_id and not orphan.activity.articles.filter(pk=article.pk).exists():
        problems.append(f"{article.source} is not one of the articles of “{orphan.activity.title}”: choose one of them")
    elif found is None:
        problems.append("that passage is not in the current text")
    tags = orphan.activity.tags.all() if orphan.activity_id else Tag.objects.public()
    chosen, given = tag or orphan.tag, {"tag": bool(tag), "note": note is not None}
    tag = tags.filter(slug=chosen).first() if chosen else None
    if tag is None:
        problems.append(f"the tag {chosen!r} is not in the tag set: choose one" if chosen else "choose a tag")
    note = _note_for(user, orphan, note, Annotation.MAX_NOTE, problems)
    if problems:
        raise ValueError("; ".join(problems))
    fields = anchored_fields(article.current.text, found.start, found.end)
    stranded = orphan.source_annotation
    if stranded is not None and stranded.deleted_at is None:
        # The annotation itself moves, with its replies, decision and history.
        for name, value in fields.items():
            setattr(stranded, name, value)
        stranded.revision = article.current
        changed = [name for name in ("tag", "note") if given[name]]  # what the person re-attaching changed
        for name in changed:
            setattr(stranded, name, tag if name == "tag" else note)
        stranded.save(update_fields=["revision", *changed, *fields])
        annotation = stranded
    else:
        annotation = Annotation.objects.create(
            revision=article.current,
            annotator_id=orphan.annotator_id or user.pk,
            tag=tag,
            note=note,
            activity=orphan.activity,
            layer=orphan.layer,
            **fields,
        )
    orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.REATTACHED
    orphan.save(update_fields=["resolved_at", "resolution"])
    return annotation


def _note_for(user, orphan: Orphan, note: str | None, limit: int, problems: list[str]) -> str:
    """The note a re-attached orphan keeps: its own, or the one typed if its writer typed it (or
    it was over `limit`, which anyone may shorten); a problem is added if it cannot be."""
    rewritten = note is not None and note.replace("\r\n", "\n") != orphan.note
    if rewritten and len(orphan.note) <= limit and orphan.annotator_id not in (None, user.pk):
        problems.append(f"only {orphan.annotator} changes the note they wrote: re-attach it as it is")
    note = orphan.note if note is None else sanitize_note(note)
    if len(note) > limit:
        problems.append(f"its note is {len(note):,} characters, over the {limit:,} limit: shorten it")
    return note


def _linked_article(end: dict) -> Article | None:
    """The article a link end of an imported file names, by file name, else by id."""
    found = Article.objects.filter(source=end.get("article") or "", current__isnull=False).first()
    article_id = end.get("article_id")
    if found is None and isinstance(article_id, int) and not isinstance(article_id, bool):
        found = Article.objects.filter(pk=article_id, current__isnull=False).first()
    return found


def _reattach_link(*, user, orphan: Orphan, exact: str, article: Article | None, note: str | None) -> Link:
    """An orphaned link made a link again, by its author, kind and note: the passage chosen stands
    for its end in the chosen article, and its other end is found as the import finds one."""
    payload = orphan.payload
    ends = [e for e in payload.get("ends") or [] if isinstance(e, dict)]
    if len(ends) != 2 or payload.get("kind") not in Link.Kind.values:
        raise ValueError(
            "this is not a link of two passages and one kind: dismiss it, mend the file and import it again"
        )
    articles = [_linked_article(e) for e in ends]
    article = article or orphan.article
    if article is None or all(a is None or a.pk != article.pk for a in articles):
        names = " or ".join(a.source for a in articles if a is not None) or "one that is here"
        raise ValueError(f"choose a passage of one of the link's articles: {names}")
    mine = next(n for n, a in enumerate(articles) if a is not None and a.pk == article.pk)
    other_end, other_article = ends[1 - mine], articles[1 - mine]
    problems = []
    found = anchor(article.current.text, exact.strip(), orphan.prefix, orphan.suffix)
    if found is None:
        problems.append("that passage is not in the current text")
    other = None
    if other_article is not None and other_article.pk != article.pk:
        at = [other_end.get(k) for k in ("start", "end")]
        placed = all(isinstance(v, int) and not isinstance(v, bool) for v in at)
        same = other_end.get("revision") in (None, other_article.current.number) and placed
        quote = [other_end.get(k) if isinstance(other_end.get(k), str) else "" for k in ("exact", "prefix", "suffix")]
        other = anchor(other_article.current.text, *quote, *(at if same else (None, None)))
    if other_article is not None and other_article.pk == article.pk:
        problems.append("both its passages are in one article, and a link joins two: dismiss it")
    elif other is None:
        where = f"in {other_article.source} " if other_article is not None else ""
        problems.append(f"its other passage {where}is not found either: dismiss it, mend the file and import it again")
    if orphan.activity_id and not all(
        orphan.activity.articles.filter(pk=a.pk).exists() for a in (article, other_article) if a is not None
    ):
        problems.append(f"its articles are not both among those of “{orphan.activity.title}”")
    note = _note_for(user, orphan, note, Link.MAX_NOTE, problems)
    if problems:
        raise ValueError("; ".join(problems))
    passages = [None, None]
    passages[mine] = LinkPassage(article.current, found.start, found.end)
    passages[1 - mine] = LinkPassage(other_article.current, other.start, other.end)
    try:
        link = link_create(
            user=orphan.annotator or user,
            first=passages[0],
            second=passages[1],
            kind=payload["kind"],
            note=note,
            activity=orphan.activity,
            layer=orphan.layer,
        )
    except SpanError as exc:
        raise ValueError(exc.message) from exc
    orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.REATTACHED
    orphan.save(update_fields=["resolved_at", "resolution"])
    return link


def orphan_dismiss(*, orphan: Orphan) -> None:
    orphan.resolved_at, orphan.resolution = timezone.now(), Orphan.Resolution.DISMISSED
    orphan.save(update_fields=["resolved_at", "resolution"])
