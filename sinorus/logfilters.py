"""Logging filters for the server log."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """Keep a refused request (403) to its one-line warning: it is expected, not a fault to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
