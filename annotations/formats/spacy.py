"""spaCy `DocBin`: one Doc per article revision, one span group per annotator (`doc.spans["alice"]`).

Pure module (spaCy, no model: a blank tokenizer). Span groups keep overlapping and nested
spans. A span that does not fall on token boundaries is widened to the tokens it touches, so
each Doc also carries the exact character offsets, tags, notes and labels in
`doc.user_data["sinorus"]`: nothing is lost.
"""

from __future__ import annotations


def write_docbin(documents, out, *, lang: str = "xx") -> int:
    """Write a DocBin of `documents` to the binary stream `out`; return the number of spans."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(lang)
    docbin = DocBin(store_user_data=True)
    count = 0
    for document in documents:
        doc = nlp.make_doc(document.text)
        kept = []
        for record in document.records:
            span = doc.char_span(record.start, record.end, label=record.tag, alignment_mode="expand")
            if span is not None and len(span):
                doc.spans.setdefault(record.annotator, [])
                doc.spans[record.annotator].append(span)
            kept.append(
                {
                    "annotator": record.annotator,
                    "start": record.start,
                    "end": record.end,
                    "tag": record.tag,
                    "note": record.note,
                    "labels": list(record.labels),
                    "layer": record.layer,
                }
            )
            count += 1
        doc.user_data["sinorus"] = {"article": document.name, "revision": document.revision, "annotations": kept}
        docbin.add(doc)
    out.write(docbin.to_bytes())
    return count
