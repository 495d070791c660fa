"""Replies in a file of annotations (Hypothesis's `references`), each onto the annotation it answers."""

from __future__ import annotations

from annotations.models import Reply


def add_replies(state) -> None:
    """The file's replies (`state`: the import's _Importer), each onto the annotation it answers
    (here before, or in this file); one whose annotation is in neither is kept as an orphan, with
    the reply in its note."""
    for number, item, f in state.replies:
        # only an annotation of the layer this import writes to: another activity's is not the
        # importer's to add to (nor to learn of)
        parent = state.here.filter(import_key=f["reply_to"]).order_by("pk").first()
        if parent is None:
            state.orphan(number, f"a reply to {f['reply_to']}, an annotation neither here nor in the file", item, f)
            continue
        author = state.author(f["annotator"])
        same = Reply.objects.filter(annotation=parent, author=author, body=f["note"])
        if f["created"]:  # two replies of the same words at other times are two replies
            same = same.filter(created_at=f["created"])
        if same.exists():
            state.report.skipped += 1
            continue
        reply = Reply.objects.create(annotation=parent, author=author, body=f["note"])
        if f["created"]:
            Reply.objects.filter(pk=reply.pk).update(created_at=f["created"])
        state.report.replies += 1
