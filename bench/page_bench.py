"""One article with 100,000 annotations: the API page by page, and the reader page.

Builds a fresh SQLite database (as `make run` configures it) with the seeds and one synthetic
article of about 10,000 words, adds N public annotations to it (random word-boundary spans of
20-200 characters by 20 annotators, bulk-inserted), then times through the WSGI handler (every
middleware, no network):

- GET /api/articles/<id>/annotations (the collection with its first page embedded) and
  ?page=K for the first, a middle and the last page (median of --reps each; target < 100 ms);
- GET /articles/<id>/ (the reader page: text with every highlight, sidebar of 50; target < 300 ms);
- GET /articles/<id>/?at=K as the reader's script asks for it (htmx, the sidebar's list alone):
  the first 50 of the annotations covering the middle of the text, what a click on a highlight shows.

    .venv/bin/python bench/page_bench.py [-n 100000] [--reps 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TAGS = ["claim", "opinion", "quote", "unsupported"]


def environ_for(path: str, query: str, headers: dict) -> dict:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    env.update(headers)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--profile-reader", action="store_true", help="print where the reader page's time goes")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sinorus-pages-")
    os.environ.update(
        SINORUS_VAR_DIR=tmp, DEBUG="0", HTTPS="0", DJANGO_SETTINGS_MODULE="sinorus.settings", SINORUS_PLAIN_STATIC="1"
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import transaction
    from import_bench import build_corpus

    from annotations.models import Annotation, Tag
    from annotations.services.annotations import anchored_fields
    from annotations.services.tokens import token_issue
    from articles.services.revisions import article_import

    call_command("migrate", verbosity=0)
    name, data = build_corpus(1, seed=11, words=args.words)[0]
    article = article_import(source=name, data=data).article
    revision = article.current
    text = revision.text
    users = [User.objects.create_user(f"annotator{i}") for i in range(20)]
    token = token_issue(user=users[0])
    tags = {t.slug: t for t in Tag.objects.filter(slug__in=TAGS)}
    starts = [m.start() for m in re.finditer(r"\b\w", text)]
    ends = [m.end() for m in re.finditer(r"\w\b", text)]
    rnd = random.Random(3)
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for _ in range(args.n):
            start = rnd.choice(starts)
            low = next((e for e in ends if e - start >= 20), None)
            if low is None:
                continue
            end = rnd.choice([e for e in ends[ends.index(low) : ends.index(low) + 30] if e - start <= 200] or [low])
            batch.append(
                Annotation(
                    revision=revision,
                    annotator=rnd.choice(users),
                    tag=tags[rnd.choice(TAGS)],
                    **anchored_fields(text, start, end),
                )
            )
            if len(batch) == 5000:
                Annotation.objects.bulk_create(batch)
                batch = []
        Annotation.objects.bulk_create(batch)
    total = Annotation.objects.filter(revision=revision).count()
    print(
        f"article of {revision.word_count:,} words, {len(text):,} characters, {total:,} annotations "
        f"(inserted in {time.perf_counter() - started:.1f} s); load average {os.getloadavg()[0]:.1f}"
    )

    app = get_wsgi_application()

    def get(path: str, query: str = "", headers: dict | None = None) -> tuple[float, bytes]:
        status = []
        start = time.perf_counter()
        body = b"".join(app(environ_for(path, query, headers or {}), lambda s, h, *a: status.append(s)))
        elapsed = (time.perf_counter() - start) * 1000
        if not status[0].startswith("200"):
            raise SystemExit(f"GET {path}?{query}: {status[0]}")
        return elapsed, body

    def timed(label: str, path: str, query: str = "", headers: dict | None = None, target: str = "") -> bytes:
        get(path, query, headers)  # warm
        times, body = [], b""
        for _ in range(args.reps):
            elapsed, body = get(path, query, headers)
            times.append(elapsed)
        print(
            f"{label}: median {statistics.median(times):.1f} ms (min {min(times):.1f}), {len(body) / 1e6:.2f} MB{target}"
        )
        return body

    api = f"/api/articles/{article.pk}/annotations"
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    collection = json.loads(timed("API collection (first page embedded)", api, "", auth, "; target < 100 ms"))
    first = collection["first"]
    print(
        f"  total {collection['total']:,}, {len(first['items']):,} items a page, "
        f"last = {collection.get('last', first['id'])}"
    )
    pages = max(1, -(-collection["total"] // max(1, len(first["items"]))))
    for page in sorted({0, pages // 2, pages - 1}):
        body = json.loads(timed(f"API ?page={page}", api, f"page={page}", auth, "; target < 100 ms"))
        assert body["type"] == "AnnotationPage" and body["items"], body.get("type")
    timed("reader page (signed out)", f"/articles/{article.pk}/", target="; target < 300 ms")
    spot = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "listing"}
    listing = timed("annotations on one spot (?at=, htmx)", f"/articles/{article.pk}/", f"at={len(text) // 2}", spot)
    print(f"  {re.search(rb'([0-9,]+) annotations? covers? this spot', listing).group(1).decode()} cover it")
    if args.profile_reader:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(get, f"/articles/{article.pk}/")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
