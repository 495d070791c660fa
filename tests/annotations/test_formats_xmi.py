"""UIMA CAS XMI (for INCEpTION), read back with dkpro-cassis, and imported again."""

from __future__ import annotations

import io
import zipfile

from cassis import load_cas_from_xmi, load_typesystem

from annotations.models import Annotation
from annotations.services.imports import annotations_import
from tests.annotations.helpers import export


def test_xmi_export_has_one_cas_per_revision_and_annotator_and_a_type_system(doc):
    archive = zipfile.ZipFile(io.BytesIO(export("xmi")))
    assert {"alice/doc.r1.xmi", "bob/doc.r1.xmi", "alice/TypeSystem.xml", "bob/TypeSystem.xml"} <= set(
        archive.namelist()
    )
    ts = load_typesystem(archive.read("alice/TypeSystem.xml").decode())
    cas = load_cas_from_xmi(archive.read("alice/doc.r1.xmi").decode(), typesystem=ts)
    assert cas.sofa_string == doc.current.text
    spans = {(a.get_covered_text(), a.tag) for a in cas.select("webanno.custom.Sinorus")}
    assert spans == {("😀 grin", "claim"), ("figure $245 billion", "claim")}  # cassis converts UTF-16 offsets


def test_xmi_round_trip_keeps_every_span_tag_and_author(doc):
    data = export("xmi")
    before = sorted(Annotation.objects.values_list("start", "end", "tag__slug", "annotator__username"))
    Annotation.objects.all().delete()
    report = annotations_import(data=data, filename="corpus.zip")
    assert report.created == 4 and not report.orphans
    after = sorted(
        (s, e, t, u.removeprefix("import:"))
        for s, e, t, u in Annotation.objects.values_list("start", "end", "tag__slug", "annotator__username")
    )
    assert after == before


def test_a_single_xmi_file_imports_with_the_built_in_type_system(doc):
    archive = zipfile.ZipFile(io.BytesIO(export("xmi")))
    Annotation.objects.all().delete()
    report = annotations_import(data=archive.read("bob/doc.r1.xmi"), filename="doc.xmi")
    assert report.created == 2
