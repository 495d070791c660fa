"""Corpus exports and imports, and re-anchoring after a text correction."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotations import agreement
from annotations.anchoring import anchor
from annotations.exports import Pseudonyms, Record, nlp, tabular, w3c
from annotations.models import Activity, Annotation, Orphan, Tag
from annotations.sanitize import sanitize_note
from annotations.services import audit
from annotations.services.activities import can_create_activities
from articles.models import AlignmentGroup, Article, Revision
from articles.services import revision_from_corrected_text
from sinorus.security import private_opener

BASE = "https://sinorus.invalid"  # IRIs in files made off-line; the web download uses the request's host


def _dumps(obj) -> str:
    return orjson.dumps(obj, option=orjson.OPT_OMIT_MICROSECONDS).decode()


# ---------------------------------------------------------------- exports


@dataclass
class ExportFilter:
    article_ids: list[int] = field(default_factory=list)
    activity: Activity | None = None
    annotator: str = ""
    tag: str = ""
    layer: str = ""
    names: bool = False  # real usernames in classroom exports; pseudonyms by default


def can_export(user) -> bool:
    return user.is_authenticated and (user.is_staff or can_create_activities(user))


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


class ImportFileError(ValueError):
    """The file cannot be read at all; nothing was imported."""


@dataclass
class ImportReport:
    created: int = 0
    methods: Counter = field(default_factory=Counter)
    orphans: list[str] = field(default_factory=list)

    def summary(self) -> str:
        how = ", ".join(f"{n} by {m}" for m, n in sorted(self.methods.items()))
        return f"{self.created} annotations imported ({how or 'none'}), {len(self.orphans)} kept as orphans"


ARTICLE_IRI = re.compile(r"/articles/(\d+)/")


def _parse(data: bytes, filename: str) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{filename}: not UTF-8 text") from exc
    if not text.strip():
        raise ImportFileError(f"{filename}: is empty")
    stripped = text.lstrip()
    if filename.endswith(".jsonl") or (
        stripped.startswith("{") and "\n{" in stripped and not stripped.rstrip().endswith("]}")
    ):
        rows, errors = [], []
        for _number, item in tabular.read_jsonl(text.splitlines()):
            (errors if isinstance(item, str) else rows).append(item)
        if errors and not rows:
            try:
                return list(w3c.iter_annotations(json.loads(text)))
            except json.JSONDecodeError:
                pass
        if errors:
            raise ImportFileError(f"{filename}: " + "; ".join(errors[:5]) + ("; ..." if len(errors) > 5 else ""))
        return rows
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{filename}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    return list(w3c.iter_annotations(doc))


def _fields(item: dict) -> dict:
    """Our JSONL row, or a W3C/Hypothesis annotation, as plain fields."""
    if "target" not in item and "body" not in item:
        return {
            "article": item.get("article"), "article_id": item.get("article_id"), "revision": item.get("revision"),
            "start": item.get("start"), "end": item.get("end"), "exact": item.get("exact") or "",
            "prefix": item.get("prefix") or "", "suffix": item.get("suffix") or "", "tag": item.get("tag"),
            "note": item.get("note") or "", "annotator": item.get("annotator"), "layer": item.get("layer") or "individual",
            "created": item.get("created"), "modified": item.get("modified"),
        }  # fmt: skip
    parsed = w3c.parse(item)
    target = item.get("target")
    target = target[0] if isinstance(target, list) and target else target
    source = target.get("source", "") if isinstance(target, dict) else (target if isinstance(target, str) else "")
    match = ARTICLE_IRI.search(source or "")
    revision = re.search(r"revision=(\d+)", source or "")
    creator = item.get("creator") or item.get("user") or ""
    if isinstance(creator, dict):
        creator = creator.get("nickname") or creator.get("name") or creator.get("id", "")
    creator = str(creator).removeprefix("acct:").split("@")[0].rstrip("/").rsplit("/", 1)[-1]
    tag = parsed.get("tag")
    if tag is None and item.get("tags"):  # Hypothesis keeps tags in a list
        tag = item["tags"][0]
    note = parsed.get("note") or item.get("text") or ""
    return {
        "article": target.get("schema:name") if isinstance(target, dict) else None,
        "article_id": int(match.group(1)) if match else None, "revision": int(revision.group(1)) if revision else None,
        "start": parsed.get("start"), "end": parsed.get("end"), "exact": parsed.get("exact") or "",
        "prefix": parsed.get("prefix") or "", "suffix": parsed.get("suffix") or "", "tag": tag, "note": note,
        "annotator": creator, "layer": item.get("schema:additionalType") or "individual",
        "created": item.get("created"), "modified": item.get("modified"),
    }  # fmt: skip


@transaction.atomic
def annotations_import(*, data: bytes, filename: str, importer=None, article: Article | None = None,
                       activity: Activity | None = None) -> ImportReport:  # fmt: skip
    """Import a W3C (ours or Hypothesis-style) or JSONL file: anchor each annotation or keep it as an orphan.

    The whole file is one transaction; a file that cannot be parsed imports nothing.
    """
    if importer is not None and not can_export(importer):
        raise PermissionDenied("Only instructors and editors import corpora.")
    items = _parse(data, filename)
    report = ImportReport()
    tags = {t.slug: t for t in Tag.objects.all()}
    tags.update({t.name.lower(): t for t in tags.values()})
    articles = {a.source: a for a in Article.objects.select_related("current")}
    by_id = {a.pk: a for a in articles.values()}
    users: dict[str, object] = {}
    User = get_user_model()
    rows: list[Annotation] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            report.orphans.append(f"item {number}: not an annotation object")
            Orphan.objects.create(
                origin=Orphan.Origin.IMPORT, reason="not an annotation object", payload={"value": str(item)[:1000]}
            )
            continue
        try:
            f = _fields(item)
        except (w3c.FormatError, AttributeError, TypeError, ValueError) as exc:
            f, problem = {}, f"unreadable annotation ({exc})"
        else:
            problem = ""
        target_article = article or articles.get(f.get("article") or "") or by_id.get(f.get("article_id") or -1)
        tag = tags.get(str(f.get("tag") or "").strip().lower())
        name = str(f.get("annotator") or "imported")[:150] or "imported"
        if name not in users:
            user, created = User.objects.get_or_create(username=name)
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            users[name] = user
        found = None
        if not problem:
            if target_article is None:
                problem = "no matching article (give --article to choose one)"
            elif tag is None:
                problem = f"unknown tag {f.get('tag')!r}"
            else:
                same_revision = f.get("revision") in (None, target_article.current.number)
                found = anchor(
                    target_article.current.text, f["exact"], f["prefix"], f["suffix"],
                    f["start"] if same_revision else None, f["end"] if same_revision else None,
                )  # fmt: skip
                if found is None:
                    problem = "the quoted text was not found in the article"
        if problem:
            Orphan.objects.create(
                origin=Orphan.Origin.IMPORT, article=target_article, annotator=users[name], activity=activity,
                tag=str(f.get("tag") or "")[:60], note=str(f.get("note") or ""), exact=str(f.get("exact") or ""),
                prefix=str(f.get("prefix") or "")[:64], suffix=str(f.get("suffix") or "")[:64], reason=problem,
                payload=item,
            )  # fmt: skip
            report.orphans.append(f"item {number}: {problem}")
            continue
        text = target_article.current.text
        layer = (
            f["layer"]
            if activity is not None and f["layer"] in Annotation.Layer.values
            else Annotation.Layer.INDIVIDUAL
        )
        rows.append(
            Annotation(
                revision=target_article.current,
                annotator=users[name],
                tag=tag,
                note=sanitize_note(str(f["note"] or "")),
                start=found.start,
                end=found.end,
                exact=text[found.start : found.end],
                prefix=text[max(0, found.start - 32) : found.start],
                suffix=text[found.end : found.end + 32],
                activity=activity,
                layer=layer,
            )  # fmt: skip
        )
        created_at = parse_datetime(f["created"]) if isinstance(f.get("created"), str) else None
        modified_at = parse_datetime(f["modified"]) if isinstance(f.get("modified"), str) else None
        if created_at:
            rows[-1].created_at = created_at
        if modified_at or created_at:
            rows[-1].modified_at = modified_at or created_at
        report.methods[found.method] += 1
    created = Annotation.objects.bulk_create(rows, batch_size=2000)
    report.created = len(created)
    return report


# ---------------------------------------------------------------- corrections


def can_correct_text(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.groups.filter(name="Editors").exists())


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
