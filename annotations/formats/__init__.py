"""Annotated-corpus formats: W3C Web Annotation, JSONL, CSV, brat standoff, CoNLL, a zip bundle.

Pure modules (no Django): they take plain records and texts and write to streams, one
annotation at a time, so memory stays flat however large the export.
"""

FORMATS = ("w3c", "jsonl", "csv", "brat", "conll", "bundle")
