"""Annotation imports: read W3C, Hypothesis and JSONL files, anchor each annotation or keep it as an orphan."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.dateparse import parse_datetime

from annotations.access import can_export
from annotations.formats import tabular, w3c
from annotations.models import Activity, Annotation, Orphan, Tag
from annotations.text.anchoring import anchor
from annotations.text.sanitize import sanitize_note
from articles.models import Article


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
