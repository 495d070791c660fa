"""Import benchmark: a synthetic corpus of 1,000 articles (~1M words) built from seed paragraphs.

Run with `make bench` or `.venv/bin/python bench/import_bench.py [--articles N]`.
Prints words per second for cleaning + segmentation alone, and the wall time of a full
import (decode, clean, segment, write) into a fresh SQLite database in a temporary folder.
Targets on the 2-core reference machine: full import under 20 s; cleaning and
segmentation at 100,000 words/s or better.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(count: int, seed: int = 7, words: int = 1000) -> list[tuple[str, bytes]]:
    """Recombine the seed files' lines into `count` articles of about `words` words each."""
    from articles.text.cleaning import split_lines

    lines: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        lines.extend(ln.text for ln in split_lines(path.read_text(encoding="utf-8")))
    prose = [ln for ln in lines if len(ln.split()) >= 20]
    short = [ln for ln in lines if len(ln.split()) < 20]
    rnd = random.Random(seed)
    corpus = []
    for i in range(count):
        parts = [f"Synthetic article {i}: {rnd.choice(short)}", ""]
        written = 0
        while written < words:
            para = rnd.choice(prose) if rnd.random() > 0.1 else rnd.choice(short)
            parts.extend([para, ""])
            written += len(para.split())
        corpus.append((f"bench_{i:05d}.txt", "\n".join(parts).encode()))
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()

    corpus = build_corpus(args.articles)
    total_words = sum(len(data.split()) for _name, data in corpus)
    print(f"corpus: {len(corpus)} articles, {total_words:,} words, {sum(len(d) for _n, d in corpus) / 1e6:.1f} MB")

    from articles.text.cleaning import clean
    from articles.text.segmentation import segment

    clean("warm up the language model\n\nOne sentence here.")
    start = time.perf_counter()
    for _name, data in corpus:
        result = clean(data.decode())
        segment([(p.text, p.kind) for p in result.paragraphs], result.language)
    pure = time.perf_counter() - start
    print(f"cleaning + segmentation: {pure:.2f} s, {total_words / pure:,.0f} words/s (target >= 100,000)")

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SINORUS_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinorus.settings")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from articles.services.processing import ArticleImportError
        from articles.services.revisions import article_import

        refused: list[str] = []
        step = max(1, len(corpus) // 5)
        start = time.perf_counter()
        for done, (name, data) in enumerate(corpus, 1):
            try:
                article_import(source=name, data=data)
            except ArticleImportError as exc:  # a synthetic page cleaning keeps nothing of
                refused.append(str(exc))
            if done % step == 0 and done < len(corpus):
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"  {done:,} imported in {time.perf_counter() - start:.1f} s, peak RSS so far {rss:.0f} MiB")
        full = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(
            f"full import into SQLite: {full:.2f} s for {len(corpus)} articles (target < 20 s for 1,000), "
            f"{total_words / full:,.0f} words/s, peak RSS {peak:.0f} MiB (the corpus itself is held in memory); "
            f"{len(refused)} refused{': ' + refused[0] if refused else ''}"
        )
        start = time.perf_counter()
        for name, data in corpus[:200]:
            with contextlib.suppress(ArticleImportError):  # refused the first time too
                article_import(source=name, data=data)
        print(f"re-import of 200 unchanged files: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
