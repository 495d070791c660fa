"""Corpus exports: the filter, the query, and one pipeline that writes every format."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone

from annotations.access import can_export
from annotations.formats import nlp, tabular, w3c
from annotations.formats.records import Pseudonyms, Record
from annotations.models import Activity, Annotation, Tag
from annotations.text import agreement
from articles.models import AlignmentGroup, Article, Revision
from sinorus.security import private_opener

BASE = "https://sinorus.invalid"  # IRIs in files made off-line; the web download uses the request's host


def _dumps(obj) -> str:
    return orjson.dumps(obj, option=orjson.OPT_OMIT_MICROSECONDS).decode()


@dataclass
class ExportFilter:
    article_ids: list[int] = field(default_factory=list)
    activity: Activity | None = None
    annotator: str = ""
    tag: str = ""
    layer: str = ""
    names: bool = False  # real usernames in classroom exports; pseudonyms by default
    all_revisions: bool = False  # by default each article's current revision only: each annotation once


def export_queryset(user, flt: ExportFilter):
    """The annotations an export holds: only what `user` may see (None: an operator, everything)."""
    if user is None:
        rows = Annotation.objects.alive()
        if flt.activity is not None:
            rows = rows.filter(activity=flt.activity)
    else:
        if not can_export(user):
            raise PermissionDenied("Only instructors and editors export corpora.")
        rows = Annotation.objects.visible_to(user, flt.activity)
    if not flt.all_revisions:
        rows = rows.filter(revision_id=F("revision__article__current_id"))
    if flt.article_ids:
        rows = rows.filter(revision__article_id__in=flt.article_ids)
    if flt.annotator:
        rows = rows.filter(annotator__username=flt.annotator)
    if flt.tag:
        rows = rows.filter(tag__slug=flt.tag)
    if flt.layer:
        rows = rows.filter(layer=flt.layer)
    return rows.order_by("revision__article__source", "start", "-end", "pk")


def export_records(user, flt: ExportFilter):
    """Stream Records, a chunk of rows at a time; classroom annotators become pseudonyms."""
    rows = export_queryset(user, flt).values_list(
        "pk", "revision__article_id", "revision__article__source", "revision__number", "start", "end", "exact",
        "prefix", "suffix", "tag__slug", "note", "annotator__username", "layer", "activity_id", "activity__kind",
        "created_at", "modified_at", "version",
    )  # fmt: skip
    pseudonym = Pseudonyms()
    for row in rows.iterator(chunk_size=2000):
        (pk, article_id, source, number, start, end, exact, prefix, suffix, tag, note, who, layer, activity_id,
         kind, created, modified, version) = row  # fmt: skip
        if kind == Activity.Kind.EXERCISE and not flt.names:
            who = pseudonym(who)
        yield Record(pk, article_id, source, number, start, end, exact, prefix, suffix, tag, note, who, layer,
                     activity_id, created, modified, version)  # fmt: skip


def _articles_in(user, flt: ExportFilter) -> list[Article]:
    ids = export_queryset(user, flt).values_list("revision__article_id", flat=True).distinct()
    chosen = (
        Article.objects.filter(pk__in=ids) if not flt.article_ids else Article.objects.filter(pk__in=flt.article_ids)
    )
    return list(chosen.select_related("current").order_by("source"))


def _revisions_of(records: list[Record]) -> dict[tuple[int, int], Revision]:
    keys = {(r.article_id, r.revision) for r in records}
    query = Q()
    for article_id, number in keys:
        query |= Q(article_id=article_id, number=number)
    return {(r.article_id, r.number): r for r in Revision.objects.filter(query)} if keys else {}


def write_export(fmt: str, user, flt: ExportFilter, out, *, base: str = BASE) -> int:
    """Write one format to `out` (text stream for w3c/jsonl/csv; binary for brat/conll/bundle)."""
    if fmt == "w3c":
        return w3c.write_collection(
            export_records(user, flt), out, base=base, label="Sinorus annotations", dumps=_dumps
        )
    if fmt == "jsonl":
        return tabular.write_jsonl(export_records(user, flt), out, dumps=_dumps)
    if fmt == "csv":
        return tabular.write_csv(export_records(user, flt), out)
    if fmt in ZIP_FORMATS:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            return _write_zip(fmt, user, flt, archive, base)
    raise ValueError(f"unknown format {fmt!r}")


ZIP_FORMATS = ("brat", "conll", "bundle")


def export_to_file(fmt: str, user, flt: ExportFilter, path: Path, *, base: str = BASE, wrap=None) -> int:
    """Write an export to `path` atomically: into `path.partial`, synced, then renamed.

    On any error (a full disk) the partial file is removed and the error re-raised, so no file
    that looks complete is ever left. `wrap` may wrap a text stream (a progress bar).
    """
    binary = fmt in ZIP_FORMATS
    partial = path.with_name(path.name + ".partial")
    try:
        text = {} if binary else {"encoding": "utf-8", "newline": ""}
        with open(partial, "wb" if binary else "w", opener=private_opener, **text) as handle:  # 0600: owner only
            count = write_export(fmt, user, flt, wrap(handle) if wrap and not binary else handle, base=base)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _per_article(user, flt: ExportFilter):
    """(article, revision, records) per article, one article's records in memory at a time."""
    for article in _articles_in(user, flt):
        sub = ExportFilter(article_ids=[article.pk], activity=flt.activity, annotator=flt.annotator, tag=flt.tag,
                           layer=flt.layer, names=flt.names)  # fmt: skip
        records = list(export_records(user, sub))
        by_revision: dict[int, list[Record]] = {}
        for record in records:
            by_revision.setdefault(record.revision, []).append(record)
        revisions = _revisions_of(records)
        if not by_revision:
            by_revision[article.current.number] = []
            revisions[(article.pk, article.current.number)] = article.current
        for number, recs in sorted(by_revision.items()):
            yield article, revisions[(article.pk, number)], recs


def _write_zip(fmt: str, user, flt: ExportFilter, archive: zipfile.ZipFile, base: str) -> int:
    count = 0
    stats: list[dict] = []
    for article, revision, records in _per_article(user, flt):
        stem = f"{Path(article.source).stem}.r{revision.number}"
        if fmt in ("brat", "bundle"):
            folder = "brat/" if fmt == "bundle" else ""
            archive.writestr(f"{folder}{stem}.txt", revision.text)
            ann = io.StringIO()
            nlp.write_brat_ann(revision.text, records, ann)
            archive.writestr(f"{folder}{stem}.ann", ann.getvalue())
        if fmt in ("conll", "bundle"):
            folder = "conll/" if fmt == "bundle" else ""
            conll = io.StringIO()
            nlp.write_conll(revision.text, [tuple(s) for s in revision.sentences], records, conll, doc_name=stem)
            archive.writestr(f"{folder}{stem}.conll", conll.getvalue())
        if fmt == "bundle":
            archive.writestr(f"articles/{stem}.raw.txt", bytes(revision.raw))
            archive.writestr(f"articles/{stem}.clean.txt", revision.text)
            stats.append(_agreement_row(article, revision, records))
        count += len(records)
    if fmt == "bundle":
        for name, fmt_name in (
            ("annotations.w3c.jsonld", "w3c"),
            ("annotations.jsonl", "jsonl"),
            ("annotations.csv", "csv"),
        ):
            with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                write_export(fmt_name, user, flt, text, base=base)
        archive.writestr("alignment.json", json.dumps(_alignment_json(), ensure_ascii=False, indent=1))
        archive.writestr("agreement.csv", _agreement_csv(stats))
        archive.writestr("README.md", _datasheet(user, flt, stats, count))
    return count


def _agreement_row(article: Article, revision: Revision, records: list[Record]) -> dict:
    annotators = sorted({r.annotator for r in records if r.layer == "individual"})
    spans = [agreement.Span(r.annotator, r.start, r.end, r.tag) for r in records if r.layer == "individual"]
    labels = agreement.token_labels(agreement.tokens(revision.text), spans, annotators)
    return {
        "article": article.source, "revision": revision.number, "annotations": len(records), "annotators": len(annotators),
        "alpha": agreement.krippendorff_alpha(labels), "fleiss": agreement.fleiss_from_labels(labels),
        "tags": Counter(r.tag for r in records), "by": Counter(r.annotator for r in records),
    }  # fmt: skip


def _agreement_csv(stats: list[dict]) -> str:
    out = io.StringIO()
    out.write("article,revision,annotations,annotators,krippendorff_alpha,fleiss_kappa\r\n")
    for s in stats:
        fmt = lambda v: "" if v is None else f"{v:.4f}"  # noqa: E731
        out.write(
            f"{s['article']},{s['revision']},{s['annotations']},{s['annotators']},{fmt(s['alpha'])},{fmt(s['fleiss'])}\r\n"
        )
    return out.getvalue()


def _alignment_json() -> dict:
    groups = AlignmentGroup.objects.prefetch_related("passages__article")
    return {
        "groups": [
            {"id": g.pk, "label": g.label, "level": g.level, "discrepancy": g.discrepancy,
             "passages": [{"article": p.article.source, "start": p.start, "end": p.end} for p in g.passages.all()]}
            for g in groups
        ]
    }  # fmt: skip


def _datasheet(user, flt: ExportFilter, stats: list[dict], count: int) -> str:
    tags = "\n".join(f"- **{t.name}** (`{t.slug}`): {t.definition}" for t in Tag.objects.all())
    rows = "\n".join(
        f"| {s['article']} | r{s['revision']} | {s['annotations']} | {s['annotators']} | "
        + ", ".join(f"{k} {v}" for k, v in s["tags"].most_common())
        + " | "
        + ", ".join(f"{k} {v}" for k, v in s["by"].most_common())
        + " |"
        for s in stats
    )
    scope = f"activity {flt.activity.pk} ({flt.activity.title})" if flt.activity else "the public layer"
    return f"""# Sinorus annotated corpus

Exported {timezone.now().isoformat(timespec="seconds")} from {scope}{f", layer {flt.layer}" if flt.layer else ""}.
{count} annotations on {len(stats)} article revisions. Annotators are
{"named" if flt.names else "pseudonymous in classroom exercises (annotator-1, annotator-2, ...)"}.

## Files
- `articles/*.raw.txt`: each article file exactly as imported; `articles/*.clean.txt`: the cleaned text.
  All offsets are Unicode code points into the cleaned text.
- `annotations.w3c.jsonld` (W3C Web Annotation collection), `annotations.jsonl`, `annotations.csv`
  (cells that a spreadsheet would run as formulas start with an apostrophe).
- `brat/` (`.txt` + `.ann` per article), `conll/` (token, offsets, one BIO column per annotator).
- `alignment.json`: groups of passages that report the same event or make the same point.
- `agreement.csv`: Krippendorff's alpha and Fleiss' kappa over tokens per article.

## Tags
{tags}

## Who annotated what
| Article | Revision | Annotations | Annotators | Tags | By |
| --- | --- | --- | --- | --- | --- |
{rows}

## How the text was cleaned
Each scraped line is a paragraph. Site chrome was dropped by general rules (line shape, repetition of
teaser headlines, truncated page descriptions, other-language interface blocks, position after the
article's end, a lexicon of web interface phrases); every dropped line is recorded with its reason
in the application's import report. Sentences were segmented with sentencex.
"""


# ---------------------------------------------------------------- imports
