"""The bundle's README.md: what is in the zip, how each file was made, and what its limits are."""

from __future__ import annotations

from django.utils import timezone

from annotations.formats.nlp import brat_label
from annotations.models import Tag


def datasheet(flt, stats: list[dict], count: int, articles) -> str:
    tags = list(Tag.objects.all())
    tag_lines = "\n".join(
        f"- **{t.name}** (`{t.slug}`, brat and CoNLL label `{brat_label(t.slug)}`): {t.definition}" for t in tags
    )
    rows = "\n".join(
        f"| {s['article']} | r{s['revision']} | {s['annotations']} | {s['annotators']} | "
        + ", ".join(f"{k} {v}" for k, v in s["tags"].most_common())
        + " | "
        + ", ".join(f"{k} {v}" for k, v in s["by"].most_common())
        + " |"
        for s in stats
    )
    sources = "\n".join(
        f"- `{a.source}`: {a.current.title}" + (f" ({a.current.byline})" if a.current.byline else "")
        for a in articles
        if a.current
    )
    scope = f"activity {flt.activity.pk} ({flt.activity.title})" if flt.activity else "the public layer"
    return f"""# Sinorus annotated corpus

Exported {timezone.now().isoformat(timespec="seconds")} from {scope}{f", layer {flt.layer}" if flt.layer else ""}.
{count} annotations on {len(stats)} article revisions. Annotators are
{"named" if flt.names else "pseudonymous in classroom exercises (annotator-1, annotator-2, ...)"}; one
pseudonym map serves the whole bundle, so annotator-2 is the same person in every file. Annotations
imported from other tools carry the author name their file gave (Sinorus keeps them as import
identities, never as accounts that can sign in).

## Files
- `articles/*.raw.txt`: each article file exactly as imported; `articles/*.clean.txt`: the cleaned text.
  All offsets are Unicode code points into the cleaned text (the same text Sinorus serves at
  `/articles/<id>/revisions/<n>.txt`, which W3C targets name as their source).
- `annotations.w3c.jsonld` (W3C Web Annotation collection), `annotations.jsonl`, `annotations.csv`
  (read with any CSV reader; cells that a spreadsheet would run as formulas start with an apostrophe).
- `brat/<annotator>/`: `.txt` + `.ann` per article, one folder per annotator (readers fail on two
  annotators' identical spans in one `.ann`). A span is cut into fragments wherever the text has a
  line break as Python's `splitlines()` sees one, since brat cannot show a span across lines.
  Notes are `AnnotatorNotes`, on one line.
- `conll/<annotator>.conll`: CoNLL-2003 (`-DOCSTART- -X- -X- O`, then `token _ _ label`, a blank
  line between sentences), strict IOB2. Limits: one label per token, so where one annotator's spans
  overlap or nest the shortest span wins its tokens; a span is widened to whole tokens; a span
  across a sentence boundary becomes two entities; notes are not carried.
- `corpus.spacy`: a spaCy `DocBin`, one Doc per article revision, `doc.spans[annotator]` per
  annotator (overlaps kept); exact offsets, notes and labels in `doc.user_data["sinorus"]`.
- `xmi/<annotator>/`: UIMA CAS XMI with `TypeSystem.xml`, one CAS per article revision and annotator
  (layer `webanno.custom.Sinorus`, features tag, labels, note, annotator): INCEpTION imports it as
  "UIMA CAS XMI (XML 1.0)".
- `labelstudio.json` (tasks) with `labelstudio-config.xml` (the labelling configuration to paste
  into a Label Studio project); `doccano.jsonl` (one line per article and annotator; notes and
  free labels are not carried).
- `alignment.json`: groups of passages that report the same event or make the same point; each
  passage names its text file in `articles/`.
- `agreement.csv`: agreement per article revision over the tokens of the cleaned text.

## Notes
Notes are HTML, sanitized by one allow-list (bold, italic, links, lists; no scripts, styles or
event attributes); notes imported as Markdown (Hypothesis) were rendered to HTML first.
Free labels (tags from other tools that are not in the tag set) are extra tagging bodies in W3C,
`labels` in JSONL and CSV, extra labels in Label Studio and XMI.

## Tags
{tag_lines}

## Agreement
Each token of the cleaned text gets, from each annotator, the tag of the shortest of their spans
covering it, or "none" (itself a category). Krippendorff's alpha (nominal, from the
`krippendorff` package) and Fleiss' kappa (written in Sinorus and checked against Fleiss's
published example) are computed over that table, every annotator of the article revision
rating every token. Only the individual layer counts (not answer keys or consensus). An empty
cell means the figure is undefined (fewer than two annotators, or no variation).

## Who annotated what
| Article | Revision | Annotations | Annotators | Tags | By |
| --- | --- | --- | --- | --- | --- |
{rows}

## Sources and licence
{sources}

The articles remain under their publishers' copyright and terms; Sinorus records no licence for
them. Share the texts only as those terms and your exceptions for research and teaching allow;
the annotations are the annotators' work, to be shared as your project agreed with them.

## How the text was cleaned
Each scraped line is a paragraph. Site chrome was dropped by general rules (line shape, repetition of
teaser headlines, truncated page descriptions, other-language interface blocks, position after the
article's end, a lexicon of web interface phrases); every dropped line is recorded with its reason
in the application's import report. Sentences were segmented with sentencex.
"""
