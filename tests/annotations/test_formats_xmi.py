"""UIMA CAS XMI (for INCEpTION), read back with dkpro-cassis, and imported again."""

from __future__ import annotations

import io
import zipfile

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from annotations.models import Annotation
from annotations.services.imports import ImportFileError, annotations_import
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


def test_xmi_files_of_one_folder_share_one_type_system_and_a_broken_one_is_named(doc):
    exported = zipfile.ZipFile(io.BytesIO(export("xmi")))
    shared = io.BytesIO()
    with zipfile.ZipFile(shared, "w") as archive:  # both annotators' files beside one type system
        archive.writestr("TypeSystem.xml", exported.read("alice/TypeSystem.xml"))
        for name in ("alice/doc.r1.xmi", "bob/doc.r1.xmi"):
            archive.writestr(name.replace("/", "_"), exported.read(name))
    Annotation.objects.all().delete()
    assert annotations_import(data=shared.getvalue(), filename="shared.zip").created == 4
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("TypeSystem.xml", "<typeSystemDescription><types><typeDescription>")
        archive.writestr("doc.xmi", exported.read("alice/doc.r1.xmi"))
    with pytest.raises(ImportFileError, match="broken.zip:TypeSystem.xml: not a UIMA type system"):
        annotations_import(data=broken.getvalue(), filename="broken.zip")


def test_a_small_zip_that_unpacks_to_more_than_an_import_reads_is_refused_before_reading(doc):
    import io
    import zipfile

    from annotations.formats.readers import MAX_UNZIPPED
    from annotations.services.imports import ImportFileError, annotations_import

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xmi", b" " * (MAX_UNZIPPED + 1))
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(ImportFileError, match="over the 40 MB an import reads at once"):
        annotations_import(data=buffer.getvalue(), filename="big.zip")


def test_a_zip_whose_member_holds_more_than_it_declares_is_refused_and_read_in_bounded_pieces(doc):
    import io
    import struct
    import zipfile

    from annotations.services.imports import ImportFileError, annotations_import

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xmi", b" " * (8 * 2**20))
    data = bytearray(buffer.getvalue())
    struct.pack_into("<I", data, 22, 1000)  # the entry declares 1,000 bytes (local header)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, 1000)  # and in the directory
    with pytest.raises(ImportFileError):
        annotations_import(data=bytes(data), filename="bomb.zip")
    with pytest.raises(ImportFileError, match="a zip must hold .xmi files"):
        annotations_import(data=b"PK\x05\x06" + b"\x00" * 18, filename="empty.zip")  # an empty zip: not "not JSON"


@pytest.mark.parametrize("damage", ["encrypted", "unknown method", "bad deflate", "bad lzma", "bad bzip2"])
def test_a_zip_this_import_cannot_unpack_is_one_clear_error(doc, damage):
    import io
    import struct
    import zipfile

    from annotations.services.imports import ImportFileError, annotations_import

    method = {"bad lzma": zipfile.ZIP_LZMA, "bad bzip2": zipfile.ZIP_BZIP2}.get(damage, zipfile.ZIP_DEFLATED)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("a.xmi", b"<xmi:XMI/>" * 200)
    data = bytearray(buffer.getvalue())
    directory = data.find(b"PK\x01\x02")
    if damage == "encrypted":  # the flag bit says a password is needed, in both headers
        struct.pack_into("<H", data, 6, struct.unpack_from("<H", data, 6)[0] | 1)
        struct.pack_into("<H", data, directory + 8, struct.unpack_from("<H", data, directory + 8)[0] | 1)
    elif damage == "unknown method":
        struct.pack_into("<H", data, 8, 99)
        struct.pack_into("<H", data, directory + 10, 99)
    else:  # scramble the compressed bytes
        name_length, extra_length = struct.unpack_from("<HH", data, 26)
        begin = 30 + name_length + extra_length
        for i in range(begin, min(begin + 24, directory)):
            data[i] ^= 0xA5
    with pytest.raises(ImportFileError):
        annotations_import(data=bytes(data), filename="damaged.zip")
