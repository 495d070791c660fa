from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.alignment import scoring, training
from articles.services.alignment import alignment_documents_from_files


class Command(BaseCommand):
    help = (
        "Learn the alignment pair models from annotated sub-topics (the ECB+ development layout: "
        "texts/<subtopic>/*.txt and gold/<subtopic>.json) and write their weights."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("eval_dir", nargs="?", default="../shared/eval/ecbplus_dev")
        parser.add_argument("--out", default=str(scoring.WEIGHTS))
        parser.add_argument("--l2", type=float, default=1.0)

    def handle(self, *args, **options) -> None:
        root = Path(options["eval_dir"])
        examples: list[training.Example] = []
        golds = sorted((root / "gold").glob("*.json"))
        for gold_path in golds:
            examples.extend(training.examples(*self._corpus(root, [gold_path])))
        # Two sub-topics of one topic (two earthquakes, two rehab stays) imported together: their
        # sentences share words but never an event, which is what keeps events apart.
        by_topic: dict[str, list[Path]] = {}
        for gold_path in golds:
            by_topic.setdefault(gold_path.stem.split("_")[0], []).append(gold_path)
        for paths in by_topic.values():
            if len(paths) > 1:
                examples.extend(training.examples(*self._corpus(root, paths)))
        models = {}
        for name in ("event", "point"):
            labelled = [(e.features, getattr(e, name)) for e in examples if getattr(e, name) is not None]
            model = training.fit_logistic([x for x, _y in labelled], [y for _x, y in labelled], l2=options["l2"])
            models[name] = {"weights": [round(w, 4) for w in model.weights], "bias": round(model.bias, 4)}
            positives = sum(1 for _x, y in labelled if y)
            self.stdout.write(f"{name}: {len(labelled)} pairs, {positives} linked")
        data = {"features": list(scoring.FEATURES), "trained_on": root.name, "models": models}
        Path(options["out"]).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"wrote {options['out']}")

    def _corpus(self, root: Path, gold_paths: list[Path]):
        """The sub-topics' files as one corpus, as a reader would import them, with their gold."""
        paths, sentences, strict = [], [], set()
        for gold_path in gold_paths:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            paths.extend(sorted((root / "texts" / gold["subtopic"]).glob("*.txt")))
            sentences.extend(gold["sentences"])
            strict.update(gold["strict_instances"])
        raws = {p.name: p.read_text(encoding="utf-8") for p in paths}
        return alignment_documents_from_files(paths), raws, sentences, strict
