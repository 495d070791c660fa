"""JSONL and CSV: one annotation per line or row."""

from __future__ import annotations

import csv
import io
import json

FIELDS = [
    "id",
    "article_id",
    "article",
    "revision",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "tag",
    "note",
    "annotator",
    "layer",
    "activity_id",
    "created",
    "modified",
    "version",
    "labels",
]
# A spreadsheet names each article by its title too (JSON readers map article_id to it themselves).
CSV_FIELDS = FIELDS[:3] + ["title"] + FIELDS[3:]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record_dict(record) -> dict:
    data = {name: getattr(record, name) for name in FIELDS}
    data["created"] = record.created.isoformat(timespec="seconds")
    data["modified"] = record.modified.isoformat(timespec="seconds")
    data["labels"] = list(record.labels)
    return data


def iter_jsonl(records, dumps=None):
    dumps = dumps or (lambda obj: json.dumps(obj, ensure_ascii=False))
    for record in records:
        yield dumps(record_dict(record)) + "\n"


def write_jsonl(records, out, dumps=None) -> int:
    count = 0
    for line in iter_jsonl(records, dumps):
        out.write(line)
        count += 1
    return count


BOM = "\ufeff"


def spreadsheet_safe(value):
    """Keep a spreadsheet from running a cell as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def iter_csv(records):
    """Yield the CSV a row at a time (header first).

    It starts with a UTF-8 byte-order mark: without one, Excel reads the file as the local
    code page and garbles every accent, quote mark and CJK character.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(CSV_FIELDS)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for record in records:
        data = record_dict(record)
        data["labels"] = "; ".join(data["labels"])
        data["title"] = record.title
        writer.writerow([spreadsheet_safe(data[name]) for name in CSV_FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write_csv(records, out) -> int:
    count = -1
    for row in iter_csv(records):
        out.write(row)
        count += 1
    return max(count, 0)


def read_jsonl(lines):
    """Yield (line number, dict or error message) for each non-blank line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"line {number}: not JSON ({exc.msg})"
            continue
        yield number, data if isinstance(data, dict) else f"line {number}: not a JSON object"
