"""Annotated-corpus formats: W3C Web Annotation, JSONL, CSV, brat, CoNLL-2003, spaCy, UIMA CAS XMI,
Label Studio, doccano and a zip bundle of them all; Hypothesis is read too.

Pure modules (no Django): they take plain records and texts and write to streams, one
annotation (or one document) at a time, so memory stays flat however large the export.
"""

FORMAT_NAMES = {
    "w3c": "W3C Web Annotation (JSON-LD): Hypothesis, Recogito, Apache Annotator, any JSON-LD tool",
    "jsonl": "JSON Lines, one annotation a line: pandas, jq, scripts",
    "csv": "CSV spreadsheet: Excel, LibreOffice, pandas",
    "brat": "brat standoff (.txt + .ann, one folder per annotator): brat, many NLP readers",
    "conll": "CoNLL-2003 IOB2 tokens (one file per annotator): NLTK, spaCy convert, Hugging Face datasets",
    "spacy": "spaCy DocBin, one span group per annotator: spaCy",
    "xmi": "UIMA CAS XMI with its type system: INCEpTION, DKPro, cassis",
    "labelstudio": "Label Studio JSON tasks: Label Studio",
    "doccano": "doccano JSONL: doccano",
    "bundle": "Everything above in one zip, with the texts, alignment, agreement and a datasheet",
}
FORMATS = tuple(FORMAT_NAMES)
IMPORT_FORMATS = "W3C JSON-LD (ours, Hypothesis, Recogito), Hypothesis API or client export, our JSONL, Label Studio JSON, doccano JSONL, UIMA CAS XMI (.xmi or a zip with TypeSystem.xml)"
