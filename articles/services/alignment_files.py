"""Article files read for the alignment's benchmarks and training, as the importer would read
them, with nothing stored: the engine's plain Documents and the labelled pairs of annotated sub-topics."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from articles.services.processing import cleaned_fields, segment_blocks
from articles.text import extraction


def alignment_documents_from_files(paths: list[Path], *, cleaned: bool = True) -> list:
    """Article files as the engine's plain Documents, for benchmarks and training (nothing is stored).

    cleaned: cleaned and segmented as the importer does. Otherwise every paragraph after the first
    line is kept, as when an editor restores the whole text: the engine is then measured on the
    text itself, whatever the cleaning keeps.
    """
    from articles.alignment import Document

    documents = []
    for n, path in enumerate(paths):
        extracted = extraction.extract(path.name, path.read_bytes(), max_bytes=settings.ARTICLE_MAX_BYTES)
        if cleaned:
            fields = cleaned_fields(extracted.text, source=path.name, kept_lines=frozenset())
            text, sentences = fields["text"], fields["sentences"]
        else:
            seg = segment_blocks(extracted.text.replace("\r\n", "\n").split("\n", 1)[-1], "en")
            text, sentences = seg.text, seg.sentences
        documents.append(Document(n, path.name, text, [tuple(s) for s in sentences]))
    return documents


def alignment_training_examples(root: Path) -> dict[str, list]:
    """Labelled candidate pairs of the annotated sub-topics under `root` (texts/<subtopic>/*.txt and
    gold/<subtopic>.json), by topic: each sub-topic alone, and the sub-topics of one topic imported
    together (two earthquakes, two rehab stays), whose sentences share words but never an event."""
    import json

    from articles.alignment import training

    golds = sorted((root / "gold").glob("*.json"))
    by_topic: dict[str, list[Path]] = {}
    for gold_path in golds:
        by_topic.setdefault(gold_path.stem.split("_")[0], []).append(gold_path)

    def corpus(gold_paths: list[Path]):
        paths, sentences, strict = [], [], set()
        for gold_path in gold_paths:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            paths.extend(sorted((root / "texts" / gold["subtopic"]).glob("*.txt")))
            sentences.extend(gold["sentences"])
            strict.update(gold["strict_instances"])
        raws = {p.name: p.read_text(encoding="utf-8") for p in paths}
        return training.examples(alignment_documents_from_files(paths), raws, sentences, strict)

    out: dict[str, list] = {}
    for topic, paths in by_topic.items():
        out[topic] = [e for path in paths for e in corpus([path])]
        if len(paths) > 1:
            out[topic].extend(corpus(paths))
    return out
