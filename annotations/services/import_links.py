"""Links in a file of annotations, imported as links between passages of two articles."""

from __future__ import annotations

from annotations.formats.items import ItemError, number_value, storable
from annotations.models import Link
from annotations.services.links import Passage as LinkPassage
from annotations.services.links import link_create
from annotations.text.anchoring import anchor
from annotations.text.sanitize import sanitize_note
from annotations.text.spans import SpanError


def import_link(state, number: int, item: dict) -> None:
    """A link of the file being imported (`state`: the import's _Importer) between passages of two
    articles, each end found as an annotation is anchored; a link whose ends are not both found
    is kept as an orphan saying which (nothing half made)."""
    ends = [e for e in item.get("ends") or [] if isinstance(e, dict)]
    note = sanitize_note(storable(item["note"])) if isinstance(item.get("note"), str) else ""
    who = item.get("annotator") if isinstance(item.get("annotator"), str) else ""
    # what the orphans page shows of it; with no author, one (import:unknown) as a direct import gives
    said = {"annotator": who, "note": note, "layer": item.get("layer")}
    if state.keeps_out(number, item, state.owners_layer(item.get("layer"), who), said):
        return
    if len(ends) != 2 or item.get("kind") not in Link.Kind.values:
        state.orphan(number, "a link that is not two passages and one kind of link", item, said)
        return
    passages = []
    for end in ends:
        target = state.by_source.get(end["article"]) or state.by_id.get(end["article_id"])
        if target is None:
            state.orphan(
                number, f"a link whose article {end['article'] or end['article_id']!r} is not here", item, said
            )
            return
        if why := state.outside(target):
            state.orphan(number, f"a link whose article {why}", item, said)
            return
        quote = {k: storable(end[k]) if isinstance(end.get(k), str) else "" for k in ("exact", "prefix", "suffix")}
        unfound = {**said, **quote}  # the end to re-attach
        try:
            start, stop = number_value(end, "start"), number_value(end, "end")
        except ItemError as exc:
            reason = f"a link whose passage in {target.source} is not placed: {exc}"
            state.orphan(number, reason, item, unfound, article=target)
            return
        text, same = target.current.text, end["revision"] in (None, target.current.number)
        found = anchor(
            text, quote["exact"], quote["prefix"], quote["suffix"], *((start, stop) if same else (None, None))
        )
        if found is None:
            state.orphan(
                number, f"a link whose passage in {target.source} was not found", item, unfound, article=target
            )
            return
        passages.append(LinkPassage(target.current, found.start, found.end))
    if len(note) > Link.MAX_NOTE:  # cut, it would lose its end or, cut inside a tag, all of it
        state.orphan(number, f"a link whose note is over {Link.MAX_NOTE:,} characters ({len(note):,})", item, said)
        return
    author = state.author(who)
    layer = state.layer_of(state.owners_layer(item.get("layer"), who) or item.get("layer"))
    here = Link.objects.alive().filter(annotator=author, kind=item["kind"], activity=state.activity, layer=layer)
    for p in passages:
        here = here.filter(ends__revision=p.revision, ends__start=p.start, ends__end=p.end)
    if here.exists():
        state.report.skipped += 1
        return
    try:
        link_create(
            user=author,
            first=passages[0],
            second=passages[1],
            kind=item["kind"],
            note=note,
            activity=state.activity,
            layer=layer,
        )
    except SpanError as exc:
        state.orphan(number, f"a link refused: {exc.field}: {exc.message}", item, said)
        return
    state.report.links += 1
