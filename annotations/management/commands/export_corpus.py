from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.access import can_export
from annotations.formats import FORMATS
from annotations.models import Activity, Annotation
from annotations.services.exports import ExportFilter, export_queryset, export_to_file
from articles.access import article_by_reference


class Command(BaseCommand):
    help = (
        "Export annotations: w3c, jsonl, csv, brat, conll, spacy, xmi, labelstudio, doccano or a bundle zip. "
        "Written atomically to --out."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--article", action="append", default=[], help="article id or file name (repeatable)")
        parser.add_argument("--activity", type=int, help="an exercise or review session id")
        parser.add_argument("--annotator", default="")
        parser.add_argument("--tag", default="")
        parser.add_argument("--layer", default="", choices=["", *Annotation.Layer.values])
        parser.add_argument("--label", default="", help="only annotations carrying this free label")
        parser.add_argument("--names", action="store_true", help="real usernames in classroom exports")
        parser.add_argument("--utf16", action="store_true", help="offsets in UTF-16 units (w3c, jsonl, csv)")
        parser.add_argument("--as-user", default="", help="export only what this user may see")

    def handle(self, *args, **o) -> None:
        article_ids = []
        for ref in o["article"]:
            article = article_by_reference(ref)
            if article is None:
                raise CommandError(f"no article {ref!r}")
            article_ids.append(article.pk)
        activity = None
        if o["activity"]:
            activity = Activity.objects.filter(pk=o["activity"]).first()
            if activity is None:
                raise CommandError(f"no activity {o['activity']}")
        user = None
        if o["as_user"]:
            user = get_user_model().objects.filter(username=o["as_user"]).first()
            if user is None:
                raise CommandError(f"no user {o['as_user']!r}")
            if not can_export(user):
                raise CommandError(f"{user.username} may not export corpora (only staff, instructors and editors)")
        flt = ExportFilter(
            article_ids, activity, o["annotator"], o["tag"], o["layer"], o["names"], label=o["label"], utf16=o["utf16"]
        )
        out: Path = o["out"]
        bar = tqdm(
            total=export_queryset(user, flt).count(),
            unit="ann",
            desc=o["format"],
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        )
        try:
            count = export_to_file(o["format"], user, flt, out, wrap=lambda handle: _Progress(handle, bar))
        except OSError as exc:
            raise CommandError(f"{out}: export failed, nothing written ({exc.strerror or exc})") from exc
        finally:
            bar.close()
        self.stdout.write(f"exported {count} annotation{'' if count == 1 else 's'} as {o['format']} to {out}")


class _Progress:
    """A text stream that advances a progress bar once per annotation written."""

    def __init__(self, handle, bar) -> None:
        self.handle, self.bar = handle, bar

    def write(self, text: str) -> int:
        # One "motivation" per W3C annotation; one line per JSONL/CSV record.
        self.bar.update(text.count('"motivation"') if '"motivation"' in text else text.count("\n"))
        return self.handle.write(text)
