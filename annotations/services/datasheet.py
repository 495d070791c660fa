"""The bundle's README.md: what is in the zip, how each file was made, and what its limits are."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from annotations.formats.nlp import brat_label


def datasheet(flt, stats: list[dict], count: int, articles) -> str:
    tags = list(flt.tag_set())
    tag_lines = "\n".join(
        f"- **{t.name}** (`{t.slug}`, brat and CoNLL label `{brat_label(t.slug)}`): {t.definition}" for t in tags
    )
    rows = "\n".join(
        f"| {s['article']} | r{s['revision']} | {s['annotations']} | {s['annotators']} | "
        + ", ".join(f"{k} {v}" for k, v in s["tags"].most_common())
        + " | "
        + ", ".join(f"{k} {v}" for k, v in s["by"].most_common())
        + " |"
        for s in stats
    )
    sources = "\n".join(
        f"- `{a.source}`: {a.current.title}" + (f" ({a.current.byline})" if a.current.byline else "")
        for a in articles
        if a.current
    )
    scope = f"activity {flt.activity.pk} ({flt.activity.title})" if flt.activity else "the public layer"
    if flt.layer:
        scope += f", layer {flt.layer}"
    context = {
        "exported": timezone.now().isoformat(timespec="seconds"),
        "scope": scope,
        "count": count,
        "revisions": len(stats),
        "naming": "named" if flt.names else "pseudonymous in classroom exercises (annotator-1, annotator-2, ...)",
        "tag_lines": tag_lines,
        "rows": rows,
        "sources": sources,
    }
    return render_to_string("annotations/datasheet.md", context)
