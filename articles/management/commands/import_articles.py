from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.services.alignment_increments import alignment_update
from articles.services.processing import ArticleImportError
from articles.services.revisions import article_import, article_import_paths


class Command(BaseCommand):
    help = "Import scraped articles (.txt or .html files, or folders of them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--quiet", action="store_true", help="print failures and the summary only")
        parser.add_argument("--no-align", action="store_true", help="do not recompute the alignment afterwards")
        parser.add_argument(
            "--replace-corrected",
            action="store_true",
            help="import a changed file even over a text an editor corrected by hand (else it fails, saying so)",
        )

    def handle(self, *args, paths: list[Path], quiet: bool, no_align: bool, replace_corrected: bool, **options) -> None:
        missing = [p for p in paths if not p.exists()]
        for path in missing:
            self.stderr.write(f"{path}: no such file or folder")
        files = article_import_paths([p for p in paths if p.exists()])
        counts = {"created": 0, "revised": 0, "unchanged": 0, "failed": len(missing)}
        show_bar = sys.stderr.isatty() and len(files) > 20
        for path in tqdm(files, unit="file", disable=not show_bar, file=sys.stderr):
            try:
                outcome = article_import(source=path.name, data=path.read_bytes(), over_correction=replace_corrected)
            except ArticleImportError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}: {exc.reason}")
                continue
            except OSError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}: cannot be read ({exc.strerror})")
                continue
            counts[outcome.status] += 1
            if not quiet and not show_bar:
                note = f" ({'; '.join(outcome.warnings)})" if outcome.warnings else ""
                self.stdout.write(f"{path}: {outcome.status} r{outcome.revision.number}{note}")
        self.stdout.write(
            "imported: {created} new, {revised} revised, {unchanged} unchanged, {failed} failed".format(**counts)
        )
        if (counts["created"] or counts["revised"]) and not no_align:
            self.stdout.write(f"aligned: {alignment_update()} groups")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) failed to import", returncode=1)
