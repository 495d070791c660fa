"""Shared by the export, import and correction tests: a tricky article and export helpers."""

from __future__ import annotations

import io
import zipfile

from annotations.services.exports import BINARY_FORMATS, ExportFilter, write_export

TEXT = (
    "Emoji 😀 and 漢字 headline test\n\n"
    "The 😀 grin, 北京 meets “curly quotes”, commas, and more.\n\n"
    "A second paragraph with the figure $245 billion here.\n"
)
TRICKY = "Emoji 😀 and 漢字 headline test\n\nThe 😀 grin, 北京 meets “curly quotes”, commas, and more.\n\nA second paragraph with the figure $245 billion here.\n"


def export_text(fmt: str, flt: ExportFilter | None = None) -> str:
    out = io.StringIO()
    write_export(fmt, None, flt or ExportFilter(), out)
    return out.getvalue()


def export(fmt: str, flt=None, user=None) -> str | bytes:
    out = io.BytesIO() if fmt in BINARY_FORMATS else io.StringIO()
    write_export(fmt, user, flt or ExportFilter(), out)
    return out.getvalue()


def export_zip(fmt: str, flt=None) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export(fmt, flt)))


def hypothesis_row(**extra) -> dict:
    """An annotation as Hypothesis's API gives it (its client's export holds such rows)."""
    row = {
        "id": "hyp-1",
        "created": "2024-03-01T10:00:00+00:00",
        "updated": "2024-03-02T11:00:00+00:00",
        "user": "acct:hana@hypothes.is",
        "uri": "https://example.org/a",
        "text": "**Strong** point",
        "tags": ["Magnesium", "CLAIM"],
        "target": [
            {
                "source": "https://example.org/a",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "“curly quotes”", "prefix": "meets ", "suffix": ", commas"}
                ],
            }
        ],
    }
    row.update(extra)
    return row
