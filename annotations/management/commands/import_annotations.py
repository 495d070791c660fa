from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.models import Activity, Tag
from annotations.services.imports import ImportFileError, annotations_import
from articles.access import article_by_reference


class Command(BaseCommand):
    help = (
        "Import annotations (W3C, Hypothesis, our JSONL, Label Studio, doccano, UIMA CAS XMI); "
        "unanchored ones become orphans, ones already here are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--article", help="put every annotation on this article (id or file name)")
        parser.add_argument("--activity", type=int, help="import into this exercise or session")
        parser.add_argument("--default-tag", help="tag (slug) for annotations with no tag of the tag set")

    def handle(
        self, *args, files: list[Path], article: str | None, activity: int | None, default_tag: str | None, **options
    ) -> None:
        target = None
        if article:
            target = article_by_reference(article)
            if target is None:
                raise CommandError(f"no article {article!r}")
        chosen = Activity.objects.filter(pk=activity).first() if activity else None
        if activity and chosen is None:
            raise CommandError(f"no activity {activity}")
        tag = None
        if default_tag:
            tag = (
                Tag.objects.filter(slug=default_tag.lower()).first()
                or Tag.objects.filter(name__iexact=default_tag).first()
            )
            if tag is None:
                known = ", ".join(Tag.objects.values_list("slug", flat=True))
                raise CommandError(f"no tag {default_tag!r} (known: {known})")
        failed = 0
        for path in files:
            try:
                report = annotations_import(
                    data=path.read_bytes(), filename=path.name, article=target, activity=chosen, default_tag=tag
                )
            except (ImportFileError, OSError) as exc:
                failed += 1
                self.stderr.write(
                    str(exc) if isinstance(exc, ImportFileError) else f"{path}: cannot be read ({exc.strerror})"
                )
                continue
            self.stdout.write(f"{path}: {report.summary()}")
            for name, account in report.authors.items():
                self.stdout.write(f"  author {name!r} imported as {account!r} (cannot sign in)")
            for line in report.orphans[:20]:
                self.stdout.write(f"  orphan: {line}")
            if len(report.orphans) > 20:
                self.stdout.write(f"  ... and {len(report.orphans) - 20} more orphans (see /orphans/)")
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported", returncode=1)
