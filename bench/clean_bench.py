"""Cleaning benchmark: real scraped pages scored against hand-made article bodies.

Run with `.venv/bin/python bench/clean_bench.py [EVAL_DIR]`; EVAL_DIR defaults to
`../shared/eval/aeb_dev` beside the repository (pages of the article-extraction benchmark in three
forms: `txt_a/`, `txt_b/` text dumps and `html/*.html.gz`, with `ground-truth.json` and the
benchmark's scorer `score.py`, which is imported from there, never copied).

Prints, per input form, F1/precision/recall of the cleaned text (the article body the reader
shows), the pages under recall 0.9 and under precision 0.8, trafilatura alone on the same HTML
pages for comparison, and cleaning speed in words per CPU second (target >= 100,000 for text; CPU time, so that
other work on a shared machine does not count; the one-time loading of the language models is left out).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECALL_FLOOR = 0.9
PRECISION_FLOOR = 0.8


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("aeb_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_texts(folder: Path) -> tuple[dict[str, dict], int, float]:
    """Clean every text dump in `folder`; return predictions, input words and seconds spent cleaning."""
    from articles.text.cleaning import clean

    predictions, words, seconds = {}, 0, 0.0
    paths = sorted(folder.glob("*.txt"))
    if paths:  # load the language and stop-word models once, untimed, as a running importer has them loaded
        clean(paths[0].read_text(encoding="utf-8"))
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        words += len(raw.split())
        start = time.process_time()
        result = clean(raw)
        seconds += time.process_time() - start
        predictions[path.stem] = {"articleBody": result.text}
    return predictions, words, seconds


def clean_html(folder: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """Return predictions of the HTML import path and of trafilatura alone (its defaults, no cleaning)."""
    import trafilatura

    from articles.text.cleaning import clean
    from articles.text.extraction import decode, extract

    ours, alone = {}, {}
    for path in sorted(folder.glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        data = gzip.decompress(path.read_bytes())
        extracted = extract(f"{key}.html", data, max_bytes=len(data) + 1)
        result = clean(extracted.text, metadata=extracted.metadata)
        ours[key] = {"articleBody": result.text}
        alone[key] = {"articleBody": trafilatura.extract(decode(data)[0]) or ""}
    return ours, alone


def report(name: str, scorer, truth: dict, predictions: dict) -> dict:
    result = scorer.evaluate(truth, predictions, n_boot=0)
    pages = result["per_page"]
    low_recall = [p for p in pages if p["recall"] is not None and p["recall"] < RECALL_FLOOR]
    low_precision = [p for p in pages if p["precision"] is not None and p["precision"] < PRECISION_FLOOR]
    print(
        f"{name:<22} F1 {result['f1']:.3f}  P {result['precision']:.3f}  R {result['recall']:.3f}  "
        f"(pages: {len(pages)}, recall < {RECALL_FLOOR}: {len(low_recall)}, precision < {PRECISION_FLOOR}: "
        f"{len(low_precision)})"
    )
    for label, rows in (("recall", low_recall), ("precision", low_precision)):
        for row in rows:
            print(f"    low {label:<9} {row['hash'][:12]}  P {row['precision'] or 0:.2f}  R {row['recall'] or 0:.2f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "aeb_dev")
    parser.add_argument("--forms", default="txt_a,txt_b,html", help="comma-separated subset of txt_a,txt_b,html")
    parser.add_argument("--dump", type=Path, help="write each form's predictions as JSON into this folder")
    args = parser.parse_args()

    scorer = load_scorer(args.eval_dir)
    truth = json.loads((args.eval_dir / "ground-truth.json").read_text(encoding="utf-8"))
    forms = args.forms.split(",")
    words, seconds = 0, 0.0
    outputs: dict[str, dict] = {}
    for form in ("txt_a", "txt_b"):
        if form in forms:
            outputs[form], form_words, form_seconds = clean_texts(args.eval_dir / form)
            words, seconds = words + form_words, seconds + form_seconds
            report(form, scorer, truth, outputs[form])
    if "html" in forms:
        outputs["html"], outputs["trafilatura"] = clean_html(args.eval_dir / "html")
        report("html", scorer, truth, outputs["html"])
        report("trafilatura alone", scorer, truth, outputs["trafilatura"])
    if seconds:
        print(
            f"text cleaning speed: {words:,} words in {seconds:.2f} s, {words / seconds:,.0f} words/s (target >= 100,000)"
        )
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for form, predictions in outputs.items():
            (args.dump / f"{form}.json").write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
