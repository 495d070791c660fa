"""Corpus exports: the filter, the query, and one pipeline that writes every format."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

import orjson
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils.text import slugify

from annotations.access import can_export
from annotations.formats import doccano, labelstudio, spacy, tabular, w3c
from annotations.formats.records import Document, Pseudonyms, Record
from annotations.models import Activity, Annotation
from annotations.services.link_exports import export_link_queryset, export_links
from annotations.text.spans import utf16_length
from articles.models import Article, Revision
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
    label: str = ""  # only annotations carrying this free label
    utf16: bool = False  # offsets in UTF-16 units (for Recogito, dom-anchor) instead of code points

    def tag_set(self):
        """The tags an export of this scope names (a bundle's README, its Label Studio config):
        the public ones, and the exported activity's own, never another instructor's."""
        from annotations.models import Tag

        public = Tag.objects.public()
        return (self.activity.tags.all() | public).distinct() if self.activity else public

    def as_params(self) -> dict:
        """Plain JSON for a background job's parameters; `from_params` reads it back."""
        return {
            "articles": self.article_ids,
            "activity": self.activity.pk if self.activity else None,
            "annotator": self.annotator,
            "tag": self.tag,
            "layer": self.layer,
            "names": self.names,
            "all_revisions": self.all_revisions,
            "label": self.label,
            "utf16": self.utf16,
        }

    def file_name(self, extension: str) -> str:
        """The name a download of this export gets: what it holds, so two downloads differ
        ("sinorus-annotations-article-3-tag-claim.jsonl")."""
        parts = ["sinorus-annotations"]
        if self.activity is not None:
            parts.append(f"activity-{self.activity.pk}")
        if 0 < len(self.article_ids) <= 3:
            parts.append(
                ("article-" if len(self.article_ids) == 1 else "articles-")
                + "-".join(map(str, sorted(self.article_ids)))
            )
        if self.tag:
            parts.append(f"tag-{slugify(self.tag)}")
        return "-".join(parts) + f".{extension}"

    @classmethod
    def from_params(cls, params: dict) -> ExportFilter:
        activity = Activity.objects.filter(pk=params["activity"]).first() if params.get("activity") else None
        return cls(
            list(params.get("articles", [])),
            activity,
            params.get("annotator", ""),
            params.get("tag", ""),
            params.get("layer", ""),
            bool(params.get("names")),
            bool(params.get("all_revisions")),
            params.get("label", ""),
            bool(params.get("utf16")),
        )


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


# Record field -> the column it is read from, in one query for the whole export.
RECORD_COLUMNS = {
    "id": "pk",
    "article_id": "revision__article_id",
    "article": "revision__article__source",
    "revision": "revision__number",
    "start": "start",
    "end": "end",
    "exact": "exact",
    "prefix": "prefix",
    "suffix": "suffix",
    "tag": "tag__slug",
    "note": "note",
    "annotator": "annotator__username",
    "layer": "layer",
    "activity_id": "activity_id",
    "created": "created_at",
    "modified": "modified_at",
    "version": "version",
    "labels": "labels",
}


def export_records(user, flt: ExportFilter, pseudonym: Pseudonyms | None = None, *, titles: bool = False):
    """Stream Records, a chunk of rows at a time; classroom annotators become pseudonyms.

    Pass one `pseudonym` to every call of one export, so that an annotator has the same
    pseudonym in every file. Import identities appear under the name their file gave them.
    """
    extra = ["activity__kind"] + (["revision__text"] if flt.utf16 else []) + (["revision__title"] if titles else [])
    rows = export_queryset(user, flt).values(*RECORD_COLUMNS.values(), *extra)
    pseudonym = pseudonym or Pseudonyms()
    for row in rows.iterator(chunk_size=2000):
        fields = {name: row[column] for name, column in RECORD_COLUMNS.items()}
        hidden = row["activity__kind"] == Activity.Kind.EXERCISE and not flt.names
        fields["annotator"], fields["account"] = pseudonym.author(fields["annotator"], fields["layer"], hidden=hidden)
        if flt.utf16:
            text = row["revision__text"]
            fields["start"], fields["end"] = utf16_length(text[: fields["start"]]), utf16_length(text[: fields["end"]])
        labels = fields["labels"]
        fields["labels"] = tuple(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else ()
        if flt.label and flt.label.lower() not in (x.lower() for x in fields["labels"]):
            continue
        yield Record(**fields, title=row["revision__title"] if titles else "")


def export_holds_nothing(user, flt: ExportFilter) -> bool:
    """Whether an export with these choices would be empty: no annotation and no link `user` may
    see matches them, and no article was chosen (a chosen article's text is exported alone)."""
    if flt.article_ids:
        return False
    if export_link_queryset(user, flt).exists():
        return False
    if flt.label:  # free labels are matched as the records are read: read up to the first that has it
        return next(iter(export_records(user, flt)), None) is None
    return not export_queryset(user, flt).exists()


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


def write_export(fmt: str, user, flt: ExportFilter, out, *, base: str = BASE, pseudonym=None) -> int:
    """Write one format to `out` (binary for the zip formats and spaCy; text for the others)."""
    pseudonym = pseudonym or Pseudonyms()
    if fmt == "w3c":
        records = chain(export_records(user, flt, pseudonym), export_links(user, flt, pseudonym))
        return w3c.write_collection(records, out, base=base, label="Sinorus annotations", dumps=_dumps)
    if fmt == "jsonl":
        return tabular.write_jsonl(export_records(user, flt, pseudonym), out, dumps=_dumps)
    if fmt == "csv":
        return tabular.write_csv(export_records(user, flt, pseudonym, titles=True), out)
    if fmt == "labelstudio":
        return labelstudio.write_tasks(export_documents(user, flt, pseudonym), out, dumps=_dumps)
    if fmt == "doccano":
        return doccano.write_jsonl(export_documents(user, flt, pseudonym), out, dumps=_dumps)
    if fmt == "spacy":
        return spacy.write_docbin(export_documents(user, flt, pseudonym), out)
    if fmt in ZIP_FORMATS:
        from annotations.services.export_bundle import write_zip  # the bundle builds on this module

        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            return write_zip(fmt, user, flt, archive, base)
    raise ValueError(f"unknown format {fmt!r}")


# Formats a web request streams as it writes them; the others are files the task worker builds.
STREAMED = {"w3c": "application/ld+json", "jsonl": "application/x-ndjson", "csv": "text/csv"}


def export_chunks(fmt: str, user, flt: ExportFilter, *, base: str):
    """A streamed format in pieces, so that a response starts at once and memory stays flat."""
    pseudonym = Pseudonyms()
    records = export_records(user, flt, pseudonym, titles=fmt == "csv")  # only a spreadsheet lists titles
    if fmt == "w3c":
        records = chain(records, export_links(user, flt, pseudonym))
        return w3c.iter_collection(records, base=base, label="Sinorus annotations", dumps=_dumps)
    if fmt == "jsonl":
        return tabular.iter_jsonl(records, dumps=_dumps)
    if fmt == "csv":
        return tabular.iter_csv(records)
    raise ValueError(f"{fmt!r} is not a streamed format")


ZIP_FORMATS = ("brat", "conll", "xmi", "bundle")
BINARY_FORMATS = (*ZIP_FORMATS, "spacy")
FILE_NAMES = {"w3c": "jsonld", "labelstudio": "labelstudio.json", "doccano": "doccano.jsonl", "spacy": "spacy"}


def export_to_file(fmt: str, user, flt: ExportFilter, path: Path, *, base: str = BASE, wrap=None) -> int:
    """Write an export to `path` atomically: into `path.partial`, synced, then renamed.

    On any error (a full disk) the partial file is removed and the error re-raised, so no file
    that looks complete is ever left. `wrap` may wrap a text stream (a progress bar).
    """
    binary = fmt in BINARY_FORMATS
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


def export_documents(user, flt: ExportFilter, pseudonym: Pseudonyms):
    """A Document per article revision that the export holds, one article's records in memory at a time."""
    for article in _articles_in(user, flt):
        sub = replace(flt, article_ids=[article.pk])
        records = list(export_records(user, replace(sub, utf16=False), pseudonym))
        by_revision: dict[int, list[Record]] = {}
        for record in records:
            by_revision.setdefault(record.revision, []).append(record)
        revisions = _revisions_of(records)
        if not by_revision:
            by_revision[article.current.number] = []
            revisions[(article.pk, article.current.number)] = article.current
        for number, recs in sorted(by_revision.items()):
            revision = revisions[(article.pk, number)]
            yield Document(article.source, article.pk, number, revision.text, recs)
