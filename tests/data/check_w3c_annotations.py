#!/usr/bin/env python3
"""Validate Web Annotation JSON-LD against the W3C Web Annotation test suite's schemas.

Usage: check_w3c_annotations.py EXPORT.jsonld [--optional]

EXPORT may hold one Annotation, a list of them, an AnnotationCollection whose `first`
is an embedded AnnotationPage, or an AnnotationPage with `items`.
Every annotation is checked against all assertions in annotationMusts.test;
with --optional, the optional features each annotation uses are listed too.
Needs the `jsonschema` package (4.18 or newer). Exit status 0 only if every annotation passes.
"""

from __future__ import annotations

import glob
import json
import os
import sys

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "w3c-annotation-model")


def load(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def registry() -> Registry:
    defs = [load(p) for p in glob.glob(os.path.join(SUITE, "definitions", "*.json"))]
    return Registry().with_resources((d["id"], Resource(contents=d, specification=DRAFT4)) for d in defs)


def validators(test_file: str, reg: Registry):
    out = []
    for a in load(os.path.join(SUITE, "annotations", test_file))["assertions"]:
        path = a if isinstance(a, str) else a.get("assertionFile", "")
        schema = load(os.path.join(SUITE, path))
        out.append((schema.get("title", path), Draft4Validator(schema, registry=reg, format_checker=FormatChecker())))
    return out


def annotations_in(doc):
    if isinstance(doc, list):
        for d in doc:
            yield from annotations_in(d)
        return
    kind = doc.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "AnnotationCollection" in kinds:
        page = doc.get("first")
        while isinstance(page, dict):
            yield from annotations_in(page)
            page = page.get("next") if isinstance(page.get("next"), dict) else None
    elif "AnnotationPage" in kinds:
        yield from annotations_in(doc.get("items", []))
    else:
        yield doc


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    reg = registry()
    musts = validators("annotationMusts.test", reg)
    optional = validators("annotationOptionals.test", reg) if "--optional" in argv else []
    annos = list(annotations_in(load(argv[0])))
    failed = 0
    features: dict[str, int] = {}
    for i, anno in enumerate(annos):
        broken = [title for title, v in musts if not v.is_valid(anno)]
        if broken:
            failed += 1
            if failed <= 5:
                print(f"annotation {i} ({anno.get('id', '?')}) fails: " + "; ".join(broken))
        for title, v in optional:
            if v.is_valid(anno):
                features[title] = features.get(title, 0) + 1
    for title, n in sorted(features.items()):
        print(f"  optional feature present in {n}: {title}")
    print(f"{len(annos)} annotations checked, {len(annos) - failed} passed, {failed} failed")
    return 0 if annos and not failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
