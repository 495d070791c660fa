"""Read an annotation file of any supported format into plain incoming annotations. Pure module.

`read_file` tells the format by the content (and the name): a zip of XMI files, one XMI file, a
JSON document (W3C, Hypothesis, Label Studio) or JSON lines (ours, doccano, W3C). It returns
incoming dicts (see `records.incoming`) and, for items that are no annotation, a str saying so;
it raises FileFormatError when the file as a whole cannot be read.
"""

from __future__ import annotations

import io
import json
import lzma
import re
import zipfile
import zlib

from annotations.formats import doccano, hypothesis, labelstudio, w3c_read, xmi
from annotations.formats.records import incoming


class FileFormatError(ValueError):
    """The file cannot be read at all."""


ANNOTATION_KEYS = {"target", "body", "start", "exact", "tags", "text", "label", "entities", "selector", "tag"}


XMI_NAMESPACE = "http://www.omg.org/XMI"
XMI_ROOT = re.compile(r"<(?:[\w.-]+:)?XMI[\s>/]")  # a CAS is an <xmi:XMI> document
LABEL_SEPARATOR = re.compile(r"\s*[,;]\s*")
MAX_UNZIPPED = 40 * 2**20  # 194 MB of XMI in a 0.5 MB zip took a minute and 1.2 GB to read


def read_file(data: bytes, filename: str) -> list:
    """Incoming annotations (dicts) and per-item problems (str); FileFormatError if nothing is readable."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip, or an empty one
        return _read_zip(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{filename}: not UTF-8 text") from exc
    if not text.strip():
        raise FileFormatError(f"{filename}: is empty")
    if filename.lower().endswith((".csv", ".tsv")):
        raise FileFormatError(
            f"{filename}: a spreadsheet export is for reading, not for importing back; import the JSONL "
            "or W3C export of the same annotations instead"
        )
    if filename.lower().endswith(".xmi") or text.lstrip().startswith("<"):
        return _read_xmi(text, None, filename)
    items = _read_json(text, filename)
    if not any(isinstance(item, dict) for item in items):
        raise FileFormatError(
            f"{filename}: no annotations found (expected W3C, Hypothesis, JSONL, Label Studio, doccano or XMI)"
        )
    return items


def _loads(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, 5,000-digit integers, deep nesting
        raise FileFormatError(getattr(exc, "msg", None) or "too deeply nested or too large a number") from exc


def _read_json(text: str, filename: str) -> list:
    stripped = text.strip()
    lines = [line for line in stripped.splitlines() if line.strip()]
    if filename.lower().endswith(".jsonl") or (len(lines) > 1 and all(line.lstrip()[:1] == "{" for line in lines)):
        try:
            rows = [_loads(line) for line in lines]
        except FileFormatError:
            rows = None
        if rows is not None:
            return [x for row in rows for x in _dispatch(row)]
        if filename.lower().endswith(".jsonl"):
            problems = []
            for number, line in enumerate(lines, start=1):
                try:
                    _loads(line)
                except FileFormatError as exc:
                    problems.append(f"line {number}: not JSON ({exc})")
            raise FileFormatError(f"{filename}: " + "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else ""))
    try:
        doc = _loads(text)
    except FileFormatError as exc:
        raise FileFormatError(f"{filename}: not JSON ({exc})") from exc
    if labelstudio.looks_like_tasks(doc):
        try:
            return list(labelstudio.read_tasks(doc))
        except (TypeError, AttributeError, ValueError, KeyError) as exc:  # a shape no Label Studio writes
            raise FileFormatError(f"{filename}: not a Label Studio export this importer understands ({exc})") from exc
    return [x for item in w3c_read.iter_annotations(doc) for x in _dispatch(item)]


def _dispatch(item) -> list:
    """The reader for one item: doccano, our JSONL row, a Hypothesis row or a W3C annotation."""
    if isinstance(item, str):  # what the reader said of an item it could not read
        return [item]
    if not isinstance(item, dict) or not ANNOTATION_KEYS & set(item):
        return ["not an annotation"]
    try:
        if doccano.looks_like_doccano(item):
            return list(doccano.read_line(item))
        if labelstudio.looks_like_tasks(item):
            return list(labelstudio.read_tasks(item))
        if "target" not in item and "body" not in item and not hypothesis.is_row(item):
            return [_read_row(item)]
        if hypothesis.is_row(item):
            return [hypothesis.read_row(item)]
        if item.get("motivation") == "linking":
            return [w3c_read.read_link(item)]
        return [w3c_read.read_annotation(item)]
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        return [f"unreadable annotation ({type(exc).__name__})"]


def _read_row(row: dict) -> dict:
    """Our JSONL (and CSV-like) row."""
    tag, labels = row.get("tag"), row.get("labels") or []
    return incoming(
        article=row.get("article"),
        article_id=row.get("article_id"),
        revision=row.get("revision"),
        start=row.get("start"),
        end=row.get("end"),
        exact=row.get("exact") or "",
        prefix=row.get("prefix") or "",
        suffix=row.get("suffix") or "",
        # free labels as a list, or as text ("a, b"); anything else is the item's named error
        tags=[tag, *labels]
        if isinstance(labels, list)
        else [tag, *filter(None, LABEL_SEPARATOR.split(labels))]
        if isinstance(labels, str)
        else labels,
        note=row.get("note") or "",
        annotator=row.get("annotator"),
        layer=row.get("layer") or "individual",
        created=row.get("created"),
        modified=row.get("modified"),
        version=row.get("version"),
    )


def _read_xmi(text: str, typesystem: str | None, filename: str) -> list:
    head = text[:20_000]
    if XMI_NAMESPACE not in head or not XMI_ROOT.search(head):  # other XML would read as a CAS of nothing
        raise FileFormatError(
            f"{filename}: markup that is not a UIMA CAS XMI file (no {XMI_NAMESPACE} namespace); "
            "expected W3C, Hypothesis, JSONL, Label Studio, doccano or XMI"
        )
    try:
        return list(xmi.read_xmi(text, typesystem))
    except Exception as exc:  # cassis raises lxml, type-system and value errors alike  # noqa: BLE001
        raise FileFormatError(f"{filename}: not a UIMA CAS XMI file this type system reads ({exc})"[:300]) from exc


def _typesystem(xml: str, filename: str):
    from cassis import load_typesystem

    try:
        return load_typesystem(xml)
    except Exception as exc:  # cassis raises lxml, type-system and value errors alike  # noqa: BLE001
        raise FileFormatError(f"{filename}: not a UIMA type system ({exc})"[:300]) from exc


def _read_zip(data: bytes, filename: str) -> list:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in archive.namelist() if n.endswith(".xmi")]
        typesystems = {
            n.rsplit("/", 1)[0] if "/" in n else "": n for n in archive.namelist() if n.endswith("TypeSystem.xml")
        }
        if not names:
            raise FileFormatError(f"{filename}: a zip must hold .xmi files (and TypeSystem.xml)")
        unpacked = sum(i.file_size for i in archive.infolist())
        if unpacked > MAX_UNZIPPED:  # a CAS takes several times its XML in memory
            raise FileFormatError(
                f"{filename}: its files unpack to {unpacked / 2**20:,.0f} MB, over the {MAX_UNZIPPED // 2**20} MB "
                "an import reads at once; import it in several zips"
            )
        items, loaded = [], {}  # each TypeSystem.xml is read and parsed once, whatever the XMI files sharing it
        budget = [MAX_UNZIPPED]  # what is left to unpack: a member may hold more than its entry declares

        def read(member: str) -> str:
            with archive.open(member) as f:
                data = f.read(budget[0] + 1)  # bounded: read() of a whole member inflates it in one go
            budget[0] -= len(data)
            if budget[0] < 0:
                raise FileFormatError(
                    f"{filename}: its files unpack to more than the {MAX_UNZIPPED // 2**20} MB an import reads "
                    "at once; import it in several zips"
                )
            return data.decode("utf-8")

        for name in names:
            folder = name.rsplit("/", 1)[0] if "/" in name else ""
            ts_name = typesystems.get(folder) or typesystems.get("")
            if ts_name and ts_name not in loaded:
                loaded[ts_name] = _typesystem(read(ts_name), f"{filename}:{ts_name}")
            items.extend(_read_xmi(read(name), loaded.get(ts_name), f"{filename}:{name}"))
        return items
    # a damaged entry, a password, a compression zipfile cannot undo (lzma's "Invalid data
    # stream", zlib's error): each is a zip this import cannot read
    except (
        zipfile.BadZipFile,
        UnicodeDecodeError,
        KeyError,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
        zlib.error,
        lzma.LZMAError,
    ) as exc:
        raise FileFormatError(f"{filename}: not a readable zip of XMI files") from exc
