from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.alignment import scoring, training
from articles.services.alignment_files import alignment_training_examples


class Command(BaseCommand):
    help = (
        "Learn the alignment pair models from annotated sub-topics (the ECB+ development layout: "
        "texts/<subtopic>/*.txt and gold/<subtopic>.json) and write their weights."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("eval_dir", nargs="?", default="../shared/eval/ecbplus_dev")
        parser.add_argument("--out", default=str(scoring.WEIGHTS))
        parser.add_argument("--l2", type=float, default=training.L2)

    def handle(self, *args, **options) -> None:
        by_topic = alignment_training_examples(Path(options["eval_dir"]))
        examples = [e for topic in sorted(by_topic) for e in by_topic[topic]]
        models = training.fit_models(examples, l2=options["l2"])
        for name in models:
            labelled = [e for e in examples if getattr(e, name) is not None]
            positives = sum(1 for e in labelled if getattr(e, name))
            self.stdout.write(f"{name}: {len(labelled)} pairs, {positives} linked")
        data = {
            "features": list(scoring.FEATURES),
            "trained_on": Path(options["eval_dir"]).name,
            "models": {
                name: {"weights": [round(w, 4) for w in m.weights], "bias": round(m.bias, 4)}
                for name, m in models.items()
            },
        }
        Path(options["out"]).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"wrote {options['out']}")
