from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.services.alignment import alignment_compute
from articles.services.alignment_increments import alignment_update


class Command(BaseCommand):
    help = (
        "Bring the cross-article alignment up to date: the articles changed since the last run aligned "
        "alone when they are few, else the whole corpus (editors' corrections are kept)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute the whole corpus in any case")

    def handle(self, *args, **options) -> None:
        with tqdm(total=4, unit="step", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:

            def progress(step: int, total: int, message: str) -> None:
                bar.total = total
                bar.set_description(message)
                bar.n = step
                bar.refresh()

            compute = alignment_compute if options["full"] else alignment_update
            count = compute(progress=progress)
        self.stdout.write(f"aligned: {count} groups")
