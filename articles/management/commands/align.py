from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.services.alignment import alignment_compute


class Command(BaseCommand):
    help = "Recompute the cross-article alignment of the current revisions (editors' corrections are kept)."

    def handle(self, *args, **options) -> None:
        with tqdm(total=4, unit="step", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:

            def progress(step: int, total: int, message: str) -> None:
                bar.set_description(message)
                bar.n = step
                bar.refresh()

            count = alignment_compute(progress=progress)
        self.stdout.write(f"aligned: {count} groups")
