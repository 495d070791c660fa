"""Alignment benchmark: the five seeds, the 1,000-article synthetic corpus, the aligned view.

    .venv/bin/python bench/align_bench.py [--articles 1000]
    .venv/bin/python bench/align_bench.py --sizes 1000,2000,5000,10000 --add-one  # growth, one added
    .venv/bin/python bench/align_bench.py --view-words 10000           # the aligned view, 5 long articles
    .venv/bin/python bench/align_bench.py --stored 1000                # import, align, add one (service)

Targets on the 2-core reference machine: seeds under 2 s; 1,000 articles under 60 s and
under 2 GiB; the aligned view of five articles served in under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def documents_from(named_texts):
    from articles.alignment import Document
    from articles.text.cleaning import clean
    from articles.text.segmentation import segment

    docs = []
    for n, (name, text) in enumerate(named_texts):
        result = clean(text)
        seg = segment([(p.text, p.kind) for p in result.paragraphs], result.language)
        docs.append(Document(n, name, seg.text, seg.sentences))
    return docs


def corpus_alignment(count: int, add_one: bool = False) -> None:
    """Align `count` synthetic articles; print the time and the process's peak RSS.

    add_one: then add article `count + 1` alone (incremental.py), timing what the task worker
    does besides its database queries: read the corpus index from its file, align the article
    against its partners, write the index back.
    """
    from import_bench import build_corpus

    from articles.alignment import align

    corpus = build_corpus(count + 1 if add_one else count)
    docs = documents_from([(name, data.decode()) for name, data in corpus])
    del corpus
    extra = docs.pop() if add_one else None
    sentences = sum(len(d.sentences) for d in docs)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = align(docs, keep_index=add_one)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(docs)} articles, {sentences:,} sentences: {len(result.groups):,} groups in {elapsed:.1f} s "
        f"(target < 60 s), peak RSS {peak:,.0f} MiB (target < 2,048 MiB; {before:,.0f} MiB before aligning)",
        flush=True,
    )
    if add_one:
        add_article(result, docs, extra)


def add_article(result, docs, document) -> None:
    """Time the incremental alignment of `document` into the aligned `docs`."""
    import numpy as np

    from articles.alignment.incremental import Increment, stored_from
    from articles.alignment.index import CorpusIndex

    stored = stored_from(result)
    by_id = {d.id: d for d in docs}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.npz"
        np.savez(path, **result.index.arrays())
        size = path.stat().st_size / 2**20
        start = time.perf_counter()
        with np.load(path, allow_pickle=False) as data:
            index = CorpusIndex({name: data[name] for name in data.files})
        loaded = time.perf_counter()
        increment = Increment(index, document)
        partners = [by_id[a] for a in increment.partner_articles()]
        addition = increment.place(partners, stored)
        placed = time.perf_counter()
        np.savez(path, **index.arrays())
        done = time.perf_counter()
    grouped = sum(len(ps) for ps in addition.joins.values()) + sum(len(g.passages) for g in addition.groups)
    print(
        f"one article added ({addition.units} sentences, {len(partners)} partner articles): {done - start:.2f} s "
        f"(index of {size:.0f} MiB read {loaded - start:.2f} s, aligned {placed - loaded:.2f} s, "
        f"written {done - placed:.2f} s; {len(addition.joins)} groups joined, {len(addition.groups)} new, "
        f"{grouped} passages; target < 10 s)"
    )


def stored_add_one(count: int) -> None:
    """`count` synthetic articles imported into a fresh database and aligned by the task worker's
    service; then one more imported and aligned alone (`alignment_update`), timed from the
    worker's side: every query, the index file read and written, the short write transaction."""
    from import_bench import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SINORUS_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="sinorus.settings", HTTPS="0")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        from articles.models import AlignmentPassage, AlignmentRun
        from articles.services.alignment import alignment_compute
        from articles.services.alignment_increments import alignment_update
        from articles.services.revisions import article_import

        call_command("migrate", verbosity=0)
        corpus = build_corpus(count + 1)
        start = time.perf_counter()
        for name, data in corpus[:count]:
            try:
                article_import(source=name, data=data)
            except Exception as exc:  # the synthetic corpus has a few pages with no article text
                print(exc)
        print(f"{count:,} articles imported in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        groups = alignment_compute()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"full alignment stored: {groups:,} groups, {AlignmentPassage.objects.count():,} passages in "
            f"{time.perf_counter() - start:.0f} s, peak RSS {peak:,.0f} MiB",
            flush=True,
        )
        name, data = corpus[count]
        article_import(source=name, data=data)
        start = time.perf_counter()
        alignment_update()
        elapsed = time.perf_counter() - start
        run = AlignmentRun.objects.first()
        added = AlignmentPassage.objects.filter(article__source=name).count()
        print(
            f"one more article imported, then aligned alone ({run.kind} run): {elapsed:.2f} s, "
            f"{added} passages (target < 10 s)"
        )


def scale(sizes: list[int], add_one: bool = False) -> None:
    """Each size in a fresh process, so that each peak RSS is its own."""
    import subprocess

    print(f"load average {os.getloadavg()[0]:.1f}")
    for count in sizes:
        command = [sys.executable, __file__, "--corpus-only", "--articles", str(count)]
        command += ["--add-one"] if add_one and count == max(sizes) else []
        print(subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip(), flush=True)


def aligned_view(words: int) -> None:
    """Five synthetic articles of `words` words, aligned and stored; the aligned view timed."""
    from import_bench import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SINORUS_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="sinorus.settings", HTTPS="0")
        os.environ.update(SINORUS_PLAIN_STATIC="1")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from articles.services.alignment import alignment_compute
        from articles.services.revisions import article_import

        call_command("migrate", verbosity=0)
        for name, data in build_corpus(5, seed=5, words=words):
            article_import(source=name, data=data)
        start = time.perf_counter()
        groups = alignment_compute()
        print(f"five articles of ~{words:,} words: {groups} groups aligned in {time.perf_counter() - start:.1f} s")
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/compare/")
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get("/compare/")
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        print(
            f"aligned view of five articles of ~{words:,} words: median {statistics.median(times):.0f} ms, "
            f"{len(response.content) / 1e6:.1f} MB (target < 500 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--sizes", help="comma-separated corpus sizes, each aligned in its own process")
    parser.add_argument("--corpus-only", action="store_true", help="only align --articles synthetic articles")
    parser.add_argument("--view-words", type=int, help="time the aligned view of five articles this long")
    parser.add_argument("--add-one", action="store_true", help="then add one article alone (the largest size)")
    parser.add_argument("--stored", type=int, help="import this many articles, align, then add one through the service")
    args = parser.parse_args()
    if args.sizes:
        return scale([int(n) for n in args.sizes.split(",")], args.add_one)
    if args.view_words:
        return aligned_view(args.view_words)
    if args.stored:
        return stored_add_one(args.stored)
    if args.corpus_only:
        return corpus_alignment(args.articles, args.add_one)
    from articles.alignment import align

    seeds = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs = documents_from(seeds)
    align(docs)  # warm up imports
    start = time.perf_counter()
    result = align(docs)
    print(f"seeds: {len(result.groups)} groups in {time.perf_counter() - start:.2f} s (target < 2 s)")

    # How the thresholds trade precision for recall on the hand-labelled pairs.
    import json
    from dataclasses import replace

    from articles.alignment import Params
    from articles.alignment.evaluation import score_pairs

    gold = json.loads((ROOT / "tests/articles/data/alignment_gold.json").read_text(encoding="utf-8"))["pairs"]
    by_prefix = {d.name[:3]: d for d in docs}
    base = Params()
    variants = {
        "default thresholds": base,
        "stricter points (0.5)": replace(base, point_threshold=0.5),
        "looser points (0.2)": replace(base, point_threshold=0.2),
        "stricter events (0.4)": replace(base, event_threshold=0.4),
    }
    for name, params in variants.items():
        s = score_pairs(align(docs, params), by_prefix, gold)
        print(f"  {name:<30} precision {s.precision:.2f} recall {s.recall:.2f} F1 {s.f1:.2f}")

    corpus_alignment(args.articles)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SINORUS_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="sinorus.settings", HTTPS="0")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("import_articles", str(ROOT / "seeds"), quiet=True)
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/compare/")
        times = []
        for _ in range(10):
            start = time.perf_counter()
            response = client.get("/compare/")
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        print(f"aligned view of five articles: median {statistics.median(times):.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
