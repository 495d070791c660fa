"""Model fields that enforce a rule on every write, whichever code path does the write."""

from __future__ import annotations

from django.db import models

from annotations.text.sanitize import sanitize_note


class SanitizedHTMLField(models.TextField):
    """User-written HTML that is sanitized on its way into the database.

    Services sanitize (and validate) notes themselves; this is the guarantee behind them: a
    `save()`, `bulk_create()`, `update()` or `bulk_update()` from any path (an import, an orphan's
    re-attachment, a copy made by a correction or an adjudication) stores only what the one
    sanitizer lets through, so the field is safe to render with `|safe`.
    """

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize_note(value.replace("\x00", ""))  # NUL: no database text column holds it
        return super().get_db_prep_save(value, connection)
