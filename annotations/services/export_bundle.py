"""The zip exports: brat, CoNLL-2003, UIMA CAS XMI, and the bundle of every format with the texts,
the alignment, agreement figures and a datasheet.

One pseudonym map serves the whole zip (an annotator is the same annotator-N in every file), and
every entry name is unique (x.txt and x.html do not share a stem).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from annotations.formats import nlp, tabular, xmi
from annotations.formats.labelstudio import config as labelstudio_config
from annotations.formats.records import Document, Pseudonyms, by_annotator
from annotations.models import Annotation
from annotations.services.datasheet import datasheet
from annotations.services.exports import ExportFilter, export_documents, write_export
from annotations.text import agreement
from articles.models import AlignmentGroup, Article, Revision


class UniqueNames:
    """File-name stems, safe for any file system and different for different keys."""

    def __init__(self) -> None:
        self.given: dict[object, str] = {}
        self.used: set[str] = set()

    def __call__(self, key, wanted: str) -> str:
        if key not in self.given:
            stem = re.sub(r"[^\w.-]+", "_", wanted).strip("._") or "file"
            name, n = stem, 1
            while name.lower() in self.used:
                n += 1
                name = f"{stem}-{n}"
            self.used.add(name.lower())
            self.given[key] = name
        return self.given[key]


def write_zip(fmt: str, user, flt: ExportFilter, archive: zipfile.ZipFile, base: str) -> int:
    pseudonym, stems, people = Pseudonyms(), UniqueNames(), UniqueNames()
    bundle = fmt == "bundle"
    count, stats, files = 0, [], {}
    conll: dict[str, io.StringIO] = defaultdict(io.StringIO)
    ts = xmi.type_system() if fmt in ("xmi", "bundle") else None
    documents = []
    for doc in export_documents(user, flt, pseudonym):
        stem = f"{stems(doc.article_id, Path(doc.name).stem)}.r{doc.revision}"
        files[(doc.article_id, doc.revision)] = f"articles/{stem}.clean.txt"
        groups = by_annotator(doc.records)
        for annotator, records in groups.items():
            person = people(annotator, annotator)
            if fmt in ("brat", "bundle"):
                folder = f"brat/{person}/" if bundle else f"{person}/"
                ann = io.StringIO()
                nlp.write_brat_ann(doc.text, records, ann)
                archive.writestr(f"{folder}{stem}.txt", doc.text)
                archive.writestr(f"{folder}{stem}.ann", ann.getvalue())
            if fmt in ("conll", "bundle"):
                sentences = _sentences(doc)
                nlp.write_conll(doc.text, sentences, records, conll[person])
            if ts is not None:
                folder = f"xmi/{person}/" if bundle else f"{person}/"
                archive.writestr(f"{folder}{stem}.xmi", xmi.cas_xmi(ts, doc, annotator, records))
                if f"{folder}TypeSystem.xml" not in archive.namelist():
                    archive.writestr(f"{folder}TypeSystem.xml", ts.to_xml())
        if bundle:
            archive.writestr(f"articles/{stem}.raw.txt", bytes(_revision(doc).raw))
            archive.writestr(files[(doc.article_id, doc.revision)], doc.text)
            stats.append(_agreement_row(doc))
            documents.append(doc)
        count += len(doc.records)
    for person, text in sorted(conll.items()):
        archive.writestr(f"{'conll/' if bundle else ''}{person}.conll", text.getvalue())
    if bundle:
        _write_bundle_files(user, flt, archive, base, pseudonym, stems, files, stats, count)
    return count


def _write_bundle_files(user, flt, archive, base, pseudonym, stems, files, stats, count) -> None:
    for name, fmt_name in (
        ("annotations.w3c.jsonld", "w3c"),
        ("annotations.jsonl", "jsonl"),
        ("annotations.csv", "csv"),
        ("labelstudio.json", "labelstudio"),
        ("doccano.jsonl", "doccano"),
    ):
        with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            write_export(fmt_name, user, flt, text, base=base, pseudonym=pseudonym)
    with archive.open("corpus.spacy", "w") as raw:
        write_export("spacy", user, flt, raw, base=base, pseudonym=pseudonym)
    archive.writestr("labelstudio-config.xml", labelstudio_config(list(flt.tag_set().values_list("slug", flat=True))))
    archive.writestr("alignment.json", json.dumps(_alignment_json(archive, stems, files), ensure_ascii=False, indent=1))
    archive.writestr("agreement.csv", agreement_csv(stats))
    archive.writestr("README.md", datasheet(flt, stats, count, _articles_of(files)))


def _sentences(doc: Document) -> list[tuple[int, int]]:
    return [tuple(s) for s in _revision(doc).sentences] or [(0, len(doc.text))]


def _revision(doc: Document):
    return Revision.objects.get(article_id=doc.article_id, number=doc.revision)


def _articles_of(files: dict) -> list[Article]:
    return list(Article.objects.filter(pk__in={a for a, _ in files}).select_related("current").order_by("source"))


def _agreement_row(doc: Document) -> dict:
    individual = [r for r in doc.records if r.layer == Annotation.Layer.INDIVIDUAL]
    annotators = sorted({r.annotator for r in individual})
    spans = [agreement.Span(r.annotator, r.start, r.end, r.tag) for r in individual]
    labels = agreement.token_labels(agreement.tokens(doc.text), spans, annotators)
    return {
        "article": doc.name,
        "revision": doc.revision,
        "annotations": len(doc.records),
        "annotators": len(annotators),
        "alpha": agreement.krippendorff_alpha(labels),
        "fleiss": agreement.fleiss_from_labels(labels),
        "tags": Counter(r.tag for r in doc.records),
        "by": Counter(r.annotator for r in doc.records),
    }


def agreement_csv(stats: list[dict]) -> str:
    """agreement.csv through the csv module, every cell spreadsheet-safe (a file named "=x,y" stays one cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["article", "revision", "annotations", "annotators", "krippendorff_alpha", "fleiss_kappa"])
    for s in stats:
        figures = ["" if v is None else f"{v:.4f}" for v in (s["alpha"], s["fleiss"])]
        row = [s["article"], s["revision"], s["annotations"], s["annotators"], *figures]
        writer.writerow([tabular.spreadsheet_safe(v) for v in row])
    return out.getvalue()


def _alignment_json(archive: zipfile.ZipFile, stems: UniqueNames, files: dict) -> dict:
    """The alignment groups; each passage names the text file it points into, which the zip holds."""
    groups = list(AlignmentGroup.objects.prefetch_related("passages__article", "passages__revision"))
    for group in groups:
        for passage in group.passages.all():
            key = (passage.article_id, passage.revision.number)
            if key not in files:
                stem = f"{stems(passage.article_id, Path(passage.article.source).stem)}.r{key[1]}"
                files[key] = f"articles/{stem}.clean.txt"
                archive.writestr(files[key], passage.revision.text)
    return {
        "groups": [
            {
                "id": g.pk,
                "label": g.label,
                "level": g.level,
                "discrepancy": g.discrepancy,
                "passages": [
                    {
                        "article": p.article.source,
                        "revision": p.revision.number,
                        "start": p.start,
                        "end": p.end,
                        "file": files[(p.article_id, p.revision.number)],
                    }
                    for p in g.passages.all()
                ],
            }
            for g in groups
        ]
    }
