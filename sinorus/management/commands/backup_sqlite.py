from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Take a consistent copy of the running SQLite database (sqlite3 online backup API)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("the database is not SQLite; for PostgreSQL use pg_dump (see README)")
        partial = destination.with_name(destination.name + ".partial")
        try:
            source = sqlite3.connect(f"file:{db['NAME']}?mode=ro", uri=True, timeout=30)
            target = sqlite3.connect(partial)
            with target:
                source.backup(target, pages=1024)  # copies in steps; writers keep working meanwhile
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.close()
            source.close()
            if check != "ok":
                raise CommandError(f"the copy failed its integrity check: {check}")
            os.replace(partial, destination)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"backup failed, nothing written: {exc}") from exc
        self.stdout.write(
            f"backed up {db['NAME']} to {destination} ({destination.stat().st_size:,} bytes, integrity ok)"
        )
