"""Leave-one-topic-out cross-validation of the alignment on the ECB+ development sub-topics.

    .venv/bin/python bench/align_cv.py [EVAL_DIR] [--whole-text] [--grid name=v1,v2 ...]

For each topic (both its sub-topics), the pair models are fitted on the other topics only and the
held-out sub-topics are aligned with them and scored: the figures say how the engine does on
topics it was not trained on. With --grid, every combination of the listed Params values is
scored out of fold, and each topic is scored with the combination that did best on the other
topics (nested choice), so the reported figure includes the cost of choosing the settings.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def f1(counts: tuple[int, int, int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def total(results: list[dict], variant: str) -> tuple[int, int, int]:
    return tuple(sum(r[variant][k] for r in results) for k in ("tp", "fp", "fn"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "ecbplus_dev"))
    parser.add_argument("--whole-text", action="store_true")
    parser.add_argument("--grid", action="append", default=[], help="a Params field and its values: name=v1,v2")
    parser.add_argument("--l2", type=float, default=None)
    parser.add_argument("--drop", default="", help="features to leave out (comma-separated): their weights stay 0")
    parser.add_argument("--per-topic", action="store_true", help="print each sub-topic's held-out figures")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir).resolve()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinorus.settings")
    import django

    django.setup()
    from align_quality import export_of, load_scorer

    from articles.alignment import Params, align, scoring, training
    from articles.services.alignment_files import alignment_documents_from_files, alignment_training_examples

    started = time.perf_counter()
    scorer = load_scorer(eval_dir)
    by_topic = alignment_training_examples(eval_dir)
    dropped = [scoring.FEATURES.index(f) for f in args.drop.split(",") if f]
    for examples in by_topic.values():
        for e in examples:
            for k in dropped:
                e.features[k] = 0.0
    names = [g.split("=", 1)[0] for g in args.grid]
    values = [
        [type(getattr(Params(), n))(v) for v in g.split("=", 1)[1].split(",")]
        for n, g in zip(names, args.grid, strict=True)
    ]
    settings = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)] or [{}]
    # results[setting index][topic] -> (event-level results, point-level results)
    results: list[dict[str, tuple[list[dict], list[dict]]]] = [{} for _ in settings]
    l2 = training.L2 if args.l2 is None else args.l2
    for topic in sorted(by_topic):
        models = training.fit_models([e for t, ex in by_topic.items() if t != topic for e in ex], l2=l2)
        for gold_path in sorted((eval_dir / "gold").glob(f"{topic}_*.json")):
            gold = scorer.load_gold(gold_path)
            texts = eval_dir / "texts" / gold["subtopic"]
            documents = alignment_documents_from_files(sorted(texts.glob("*.txt")), cleaned=not args.whole_text)
            for s, setting in enumerate(settings):
                export = export_of(align(documents, Params(**setting), weights=models), documents)
                ev, pt = results[s].setdefault(topic, ([], []))
                ev.append(scorer.score(scorer.event_level(export), gold, texts))
                pt.append(scorer.score(export, gold, texts))

    def objective(s: int, topics) -> float:
        ev = [r for t in topics for r in results[s][t][0]]
        pt = [r for t in topics for r in results[s][t][1]]
        return f1(total(ev, "full")) + f1(total(pt, "lenient"))

    topics = sorted(by_topic)
    for s, setting in enumerate(settings):
        ev = [r for t in topics for r in results[s][t][0]]
        pt = [r for t in topics for r in results[s][t][1]]
        e, p = scorer.prf(*total(ev, "full")), scorer.prf(*total(pt, "lenient"))
        print(
            f"{setting or 'defaults'}: event P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}  "
            f"lenient P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}"
        )
    chosen_ev, chosen_pt = [], []
    for topic in topics:
        best = max(range(len(settings)), key=lambda s: objective(s, [t for t in topics if t != topic]))
        chosen_ev.extend(results[best][topic][0])
        chosen_pt.extend(results[best][topic][1])
        if len(settings) > 1:
            print(f"  {topic}: chose {settings[best]}")
    if args.per_topic:
        for ev, pt in zip(chosen_ev, chosen_pt, strict=True):
            print(
                f"  {ev['subtopic']:<13} event P {ev['full']['precision']:.3f} R {ev['full']['recall']:.3f} "
                f"F1 {ev['full']['f1']:.3f} | lenient F1 {pt['lenient']['f1']:.3f}"
            )
    print(f"\nleave-one-topic-out over {len(topics)} topics ({time.perf_counter() - started:.0f} s):")
    for name, rs, variant in (
        ("event level (full gold)", chosen_ev, "full"),
        ("point level, lenient", chosen_pt, "lenient"),
        ("point level, strict", chosen_pt, "strict"),
    ):
        p = scorer.prf(*total(rs, variant))
        print(f"{name:<28} P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")


if __name__ == "__main__":
    main()
