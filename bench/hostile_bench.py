"""Hostile-input benchmark: inputs built to make a regex or a parser go quadratic, against a normal file.

    .venv/bin/python bench/hostile_bench.py [--repeat 3]

Each input goes through what an upload does (extract, clean, segment) and then the alignment with
the five seeds, timed in CPU seconds. A normal article of the same size is timed the same way; the
goal is every hostile input within 3x of it, and none taking more than a few seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinorus.settings")

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _prose(size: int) -> str:
    """A normal article of about `size` bytes, built from the seeds' own paragraphs."""
    paragraphs = [p for path in SEEDS for p in path.read_text(encoding="utf-8").split("\n") if len(p) > 80]
    out, n = [], 0
    while sum(len(p) + 1 for p in out) < size:
        out.append(paragraphs[n % len(paragraphs)].replace("Putin", f"Putin{n}"))
        n += 1
    return "\n".join(out)


def inputs() -> list[tuple[str, str, bytes]]:
    """(label, file name, bytes): each hostile input and a normal file of the same size after it."""
    cases = [
        ("domain-like run on one line", "dashes.txt", ("Headline here\n\n" + "a-" * 25000 + "\n").encode()),
        (
            "money-like run in a sentence",
            "money.txt",
            ("Headline here\n\nThe deal was worth " + "1," * 12000 + " dollars in all.\n").encode(),
        ),
        (
            "10,000 truncated-teaser lines",
            "teasers.txt",
            (
                "Headline here\n\n"
                + "".join(f"Teaser number {i} about the summit continues..." + "\n" for i in range(10000))
            ).encode(),
        ),
        (
            "an element with 100,000 attributes",
            "attrs.html",
            (
                "<html><head><title>T</title></head><body><div "
                + " ".join(f"a{i}=x" for i in range(100000))
                + "><p>"
                + _prose(2000)
                + "</p></div></body></html>"
            ).encode(),
        ),
        (
            "one 200,000-character line of words",
            "longline.txt",
            ("Headline here\n\n" + "word " * 40000 + "\n").encode(),
        ),
    ]
    out = []
    for label, name, data in cases:
        out.append((label, name, data))
        suffix = Path(name).suffix
        normal = _prose(len(data))
        if suffix == ".html":
            normal = (
                "<html><head><title>T</title></head><body>"
                + "".join(f"<p>{p}</p>" for p in normal.split("\n"))
                + "</body></html>"
            )
        out.append((f"  normal file of the same size ({len(data):,} bytes)", "normal" + suffix, normal.encode()))
    return out


def run(name: str, data: bytes, seeds: list) -> float:
    from articles.alignment import Document, align
    from articles.services.processing import cleaned_fields
    from articles.text import extraction

    start = time.process_time()
    extracted = extraction.extract(name, data, max_bytes=10**9)
    fields = cleaned_fields(extracted.text, source=name, kept_lines=frozenset(), metadata=extracted.metadata)
    document = Document(len(seeds), name, fields["text"], [tuple(s) for s in fields["sentences"]])
    align([*seeds, document])
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from articles.services.alignment_files import alignment_documents_from_files

    seeds = alignment_documents_from_files(SEEDS)
    print(f"{'input':<45} {'bytes':>10} {'CPU s':>8} {'normal CPU s':>13} {'ratio':>6}")
    rows = inputs()
    for (label, name, data), (_normal_label, normal_name, normal_data) in zip(rows[::2], rows[1::2], strict=True):
        hostile = min(run(name, data, seeds) for _ in range(args.repeat))
        normal = min(run(normal_name, normal_data, seeds) for _ in range(args.repeat))
        print(f"{label:<45} {len(data):>10,} {hostile:>8.2f} {normal:>13.2f} {hostile / max(normal, 1e-3):>5.1f}x")


if __name__ == "__main__":
    main()
