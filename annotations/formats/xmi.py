"""UIMA CAS XMI with its type system (dkpro-cassis): what INCEpTION imports as "UIMA CAS XMI (XML 1.0)".

Pure module. One CAS per article revision and annotator; each span is a `webanno.custom.Sinorus`
annotation (INCEpTION's custom span layer) with the features tag, labels, note and annotator,
and the CAS's `DocumentMetaData` names the article. cassis converts offsets between Python code
points and the UTF-16 units XMI counts.
"""

from __future__ import annotations

from annotations.formats.records import incoming

SPAN_TYPE = "webanno.custom.Sinorus"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
STRING = "uima.cas.String"


def type_system():
    from cassis import TypeSystem

    ts = TypeSystem()
    span = ts.create_type(name=SPAN_TYPE, supertypeName="uima.tcas.Annotation", description="A Sinorus highlight")
    for name in ("tag", "labels", "note", "annotator"):
        ts.create_feature(domainType=span, name=name, rangeType=STRING)
    meta = ts.create_type(name=METADATA_TYPE, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId"):
        ts.create_feature(domainType=meta, name=name, rangeType=STRING)
    return ts


def cas_xmi(ts, document, annotator: str, records) -> str:
    """The XMI of one annotator's records on one article revision."""
    from cassis import Cas

    cas = Cas(typesystem=ts)
    cas.sofa_string = document.text
    meta, span = ts.get_type(METADATA_TYPE), ts.get_type(SPAN_TYPE)
    cas.add(
        meta(
            begin=0,
            end=len(document.text),
            documentTitle=document.name,
            documentId=f"{document.name}#r{document.revision}",
            collectionId=annotator,
        )
    )
    for record in records:
        cas.add(
            span(
                begin=record.start,
                end=record.end,
                tag=record.tag,
                labels=",".join(record.labels),
                note=record.note,
                annotator=record.annotator,
            )
        )
    return cas.to_xmi()


def read_xmi(data: bytes | str, typesystem_xml=None):
    """Yield incoming annotations from one CAS (our type system unless another is given, as its
    XML or as a TypeSystem already loaded, which the files of one zip share)."""
    from cassis import TypeSystem, load_cas_from_xmi, load_typesystem

    if isinstance(typesystem_xml, TypeSystem):
        ts = typesystem_xml
    else:
        ts = load_typesystem(typesystem_xml) if typesystem_xml else type_system()
    cas = load_cas_from_xmi(data if isinstance(data, str) else data.decode("utf-8"), typesystem=ts, lenient=True)
    text = cas.sofa_string or ""
    title, who = None, ""
    if ts.contains_type(METADATA_TYPE):
        for meta in cas.select(METADATA_TYPE):
            title, who = meta.get("documentTitle"), meta.get("collectionId") or ""
    if not ts.contains_type(SPAN_TYPE):
        return
    for span in cas.select(SPAN_TYPE):
        labels = [x for x in (span.get("labels") or "").split(",") if x]
        yield incoming(
            article=title,
            start=span.begin,
            end=span.end,
            exact=text[span.begin : span.end],
            tags=[span.get("tag") or "", *labels],
            note=span.get("note") or "",
            annotator=span.get("annotator") or who,
            text=text,
        )
