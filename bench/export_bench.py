"""Export/import benchmark: 100,000 generated annotations on the seed articles.

    .venv/bin/python bench/export_bench.py [--annotations 100000]

Each export runs as `manage.py export_corpus` in its own process, so its wall time and peak
memory are its own. Targets on the 2-core reference machine: JSONL under 5 s, W3C JSON-LD
under 10 s, peak memory under 300 MiB for either; importing the W3C file into an empty
database (the same articles) under 30 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(env: dict, *args: str) -> tuple[float, float, str]:
    """Run manage.py in a child; return (seconds, peak RSS MiB, stdout)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    out = child.stdout.read()
    if status != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed: {child.stderr.read()}")
    return elapsed, usage.ru_maxrss / 1024, out


def populate(env: dict, count: int) -> None:
    script = f"""
import random, re
from django.contrib.auth.models import User
from annotations.models import Annotation, Tag
from articles.models import Article
rnd = random.Random(11)
users = User.objects.bulk_create([User(username=f"bench{{n:02d}}") for n in range(40)])
tags = list(Tag.objects.all())
articles = list(Article.objects.select_related("current"))
rows = []
for n in range({count}):
    article = articles[n % len(articles)]
    text = article.current.text
    start, end = rnd.choice(article.current.sentences)
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\\S+", text[start:end])]
    i = rnd.randrange(len(words)); j = min(len(words) - 1, i + rnd.randrange(2, 20))
    s, e = words[i][0], words[j][1]
    note = rnd.choice(["", "", "needs a source", "=SUM(A1)", "“quoted”, with comma\\nand newline"])
    rows.append(Annotation(revision=article.current, annotator=rnd.choice(users), tag=rnd.choice(tags), start=s, end=e,
                           exact=text[s:e], prefix=text[max(0, s - 32):s], suffix=text[e:e + 32], note=note))
    if len(rows) == 5000:
        Annotation.objects.bulk_create(rows); rows = []
Annotation.objects.bulk_create(rows)
print(Annotation.objects.count())
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_a, tempfile.TemporaryDirectory() as tmp_b:
        env_a = {**os.environ, "SINORUS_VAR_DIR": tmp_a, "DJANGO_SETTINGS_MODULE": "sinorus.settings", "HTTPS": "0"}
        env_a.pop("DATABASE_URL", None)
        env_b = {**env_a, "SINORUS_VAR_DIR": tmp_b}
        for env in (env_a, env_b):
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            subprocess.run(
                [sys.executable, "manage.py", "import_articles", "seeds/", "--quiet", "--no-align"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        populate(env_a, args.annotations)
        print(f"{args.annotations:,} annotations on 5 articles")
        results = {}
        for fmt, target_s in (("jsonl", 5), ("w3c", 10), ("csv", None)):
            out = Path(tmp_a) / f"export.{fmt}"
            seconds, rss, _ = run(env_a, "export_corpus", "--format", fmt, "--out", str(out))
            results[fmt] = out
            target = f" (target < {target_s} s, < 300 MiB)" if target_s else ""
            print(f"export {fmt}: {seconds:.2f} s, peak RSS {rss:.0f} MiB, {out.stat().st_size / 1e6:.0f} MB{target}")
        seconds, rss, out = run(env_b, "import_annotations", str(results["w3c"]))
        print(
            f"import the W3C file into an empty database: {seconds:.1f} s, peak RSS {rss:.0f} MiB (target < 30 s); {out.strip()}"
        )
        check = subprocess.run(
            [sys.executable, str(ROOT.parent / "shared" / "tools" / "check_w3c_annotations.py"), str(results["w3c"])],
            capture_output=True,
            text=True,
        )
        if check.returncode == 0 or check.stdout:
            print("W3C test suite: " + (check.stdout.strip().splitlines() or ["(not run)"])[-1])


if __name__ == "__main__":
    main()
