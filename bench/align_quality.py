"""Alignment quality on real news: the ECB+ development sub-topics, scored at both levels.

    .venv/bin/python bench/align_quality.py [EVAL_DIR] [--only t01_ecb,...] [--baselines]

Each sub-topic's files are cleaned as the importer cleans them and aligned as one corpus; the
result is exported in `manage.py export_alignments` shape and scored with the set's score.py:
event level (groups of one event merged; full gold) and point level (lenient and strict gold).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("ecb_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export_of(result, documents) -> dict:
    """The engine's result in export_alignments shape (offsets into the cleaned text)."""
    by_id = {d.id: d for d in documents}
    return {
        "events": [{"id": e.key, "label": e.label} for e in result.events],
        "groups": [
            {
                "id": g.key,
                "label": g.label,
                "event": g.event,
                "level": g.level,
                "passages": [
                    {
                        "article": by_id[p.doc_id].name,
                        "start": p.start,
                        "end": p.end,
                        "text": by_id[p.doc_id].text[p.start : p.end],
                    }
                    for p in g.passages
                ],
            }
            for g in result.groups
        ],
    }


def everything_one_group(documents) -> dict:
    """Baseline: every sentence of every article in one group (passages are single sentences)."""
    passages = [
        {"article": d.name, "start": s, "end": e, "text": d.text[s:e]} for d in documents for s, e in d.sentences
    ]
    return {"groups": [{"id": 1, "label": "all", "event": 1, "passages": passages}]}


def mixing(eval_dir: Path, params, cleaned: bool) -> str:
    """Two sub-topics of one topic (two earthquakes) imported together: the share of the unit pairs
    sharing an event that join sentences of different sub-topics (no gold link can join them)."""
    from collections import Counter, defaultdict

    from articles.alignment import align
    from articles.services.alignment_files import alignment_documents_from_files

    by_topic = defaultdict(list)
    for gold_path in sorted((eval_dir / "gold").glob("*.json")):
        by_topic[gold_path.stem.split("_")[0]].append(gold_path.stem)
    mixed = within = 0
    for subtopics in by_topic.values():
        if len(subtopics) < 2:
            continue
        paths = [p for st in subtopics for p in sorted((eval_dir / "texts" / st).glob("*.txt"))]
        documents = alignment_documents_from_files(paths, cleaned=cleaned)
        subtopic = [p.parent.name for p in paths]
        members = defaultdict(set)
        for g in align(documents, params).groups:
            members[g.event].update((p.doc_id, p.first_sentence) for p in g.passages)
        for units in members.values():
            sizes = list(Counter(subtopic[d] for d, _s in units).values())
            mixed += sum(a * b for k, a in enumerate(sizes) for b in sizes[k + 1 :])
            within += sum(n * (n - 1) // 2 for n in sizes)
    share = mixed / (mixed + within) if mixed + within else 0.0
    return f"sub-topics of one topic imported together: {share:.3f} of the unit pairs in one event mix them"


def micro(scorer, results: list[dict], variant: str) -> dict:
    tp, fp, fn = (sum(r[variant][k] for r in results) for k in ("tp", "fp", "fn"))
    return scorer.prf(tp, fp, fn)


def line(name: str, scores: dict) -> str:
    return f"{name:<28} P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "ecbplus_dev"))
    parser.add_argument("--only", default="", help="comma-separated sub-topics")
    parser.add_argument("--baselines", action="store_true", help="also score linking every pair")
    parser.add_argument("--json", help="write per-sub-topic results here")
    parser.add_argument(
        "--whole-text",
        action="store_true",
        help="align every paragraph of the files (as if an editor kept every line), not the cleaned text",
    )
    parser.add_argument("--param", action="append", default=[], help="override a Params field: name=value")
    parser.add_argument(
        "--together",
        action="store_true",
        help="also import the two sub-topics of each topic together and report how often one event mixes them",
    )
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir).resolve()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinorus.settings")
    import django

    django.setup()
    from articles.alignment import Params, align
    from articles.services.alignment_files import alignment_documents_from_files

    params = Params(**{k: type(getattr(Params(), k))(v) for k, v in (p.split("=", 1) for p in args.param)})
    scorer = load_scorer(eval_dir)
    wanted = {s for s in args.only.split(",") if s}
    systems = {"engine": []} | ({"every pair": []} if args.baselines else {})
    events: list[dict] = []
    started = time.perf_counter()
    for gold_path in sorted((eval_dir / "gold").glob("*.json")):
        gold = scorer.load_gold(gold_path)
        if wanted and gold["subtopic"] not in wanted:
            continue
        texts = eval_dir / "texts" / gold["subtopic"]
        documents = alignment_documents_from_files(sorted(texts.glob("*.txt")), cleaned=not args.whole_text)
        export = export_of(align(documents, params), documents)
        systems["engine"].append(scorer.score(export, gold, texts))
        events.append(scorer.score(scorer.event_level(export), gold, texts))
        if args.baselines:
            systems["every pair"].append(scorer.score(everything_one_group(documents), gold, texts))
    elapsed = time.perf_counter() - started
    print(
        f"{'sub-topic':<14} {'event F1':>8} {'P':>6} {'R':>6} | {'lenient F1':>10} {'P':>6} {'R':>6} | {'strict F1':>9}"
    )
    for ev, pt in zip(events, systems["engine"], strict=True):
        f, le, st = ev["full"], pt["lenient"], pt["strict"]
        print(
            f"{ev['subtopic']:<14} {f['f1']:8.3f} {f['precision']:6.3f} {f['recall']:6.3f} | "
            f"{le['f1']:10.3f} {le['precision']:6.3f} {le['recall']:6.3f} | {st['f1']:9.3f}"
        )
    print(f"\n{len(events)} sub-topics aligned and scored in {elapsed:.1f} s; micro-averaged:")
    print(line("event level (full gold)", micro(scorer, events, "full")))
    print(line("point level, lenient", micro(scorer, systems["engine"], "lenient")))
    print(line("point level, strict", micro(scorer, systems["engine"], "strict")))
    print(line("point level, full gold", micro(scorer, systems["engine"], "full")))
    for name, results in systems.items():
        if name != "engine":
            print(line(f"baseline {name}: full", micro(scorer, results, "full")))
            print(line(f"baseline {name}: lenient", micro(scorer, results, "lenient")))
    if args.together:
        print(mixing(eval_dir, params, cleaned=not args.whole_text))
    if args.json:
        Path(args.json).write_text(json.dumps({"event": events, "point": systems["engine"]}, indent=1))


if __name__ == "__main__":
    main()
