"""What the orphans page shows of each orphan beside its own fields."""

from __future__ import annotations

from annotations.models import Annotation, Link, Orphan, Tag


def with_tag_choices(orphans: list[Orphan], user=None) -> list[Orphan]:
    """Each orphan with the tags it may take (its activity's set, or the public one), whether its
    own tag is one of them, whether its note is over the limit (to be shortened), and whether
    `user` may edit the note (its writer may; anyone only shortens one over the limit)."""
    public: list[Tag] | None = None
    by_activity: dict[int, list[Tag]] = {}
    for o in orphans:
        if o.activity_id:
            if o.activity_id not in by_activity:
                by_activity[o.activity_id] = list(o.activity.tags.all())
            o.tag_choices = by_activity[o.activity_id]
        else:
            public = public if public is not None else list(Tag.objects.public())
            o.tag_choices = public
        o.link_kind = ""  # an orphaned link: its kind stands where a highlight's tag does
        if o.payload.get("link") is True and o.payload.get("kind") in Link.Kind.values:
            o.link_kind = Link.Kind(o.payload["kind"]).label
        o.tag_known = bool(o.link_kind) or any(t.slug == o.tag for t in o.tag_choices)
        o.note_too_long = len(o.note) > Annotation.MAX_NOTE
        o.note_editable = o.note_too_long or (user is not None and o.annotator_id in (None, user.pk))
    return orphans
