"""Where one API create (or list) spends its time: the whole Django stack in one process, no network.

Builds a fresh SQLite database (as `make run` configures it: WAL, IMMEDIATE, CONN_MAX_AGE) with
the seeds and one token user, then sends N creates through the WSGI handler (every middleware,
token lookup, JSON parsing, the service and its SQL) and prints:

- wall time per create, and the share spent inside SQL (query count and time per query kind);
- the cProfile of the same creates, grouped into the layers a request crosses.

With `--list`, it first creates 4,000 annotations on the article, then does the same for N
lists of them in one page (the peer harness's list of 4,000).

    .venv/bin/python bench/api_profile.py [-n 1000] [--top 25]
    .venv/bin/python bench/api_profile.py --list [-n 20]

No HTTP server and no client: the figures bound what the server itself costs per request; the
harness (../shared/tools/peer_bench) adds the TCP connection, gunicorn and the client.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYERS = (  # (label, substring of the function's file path), first match wins
    ("sqlite3 (C calls)", "sqlite3"),
    ("django db backend + ORM", "django/db/"),
    ("django middleware", "django/middleware/"),
    ("django sessions/auth/messages", "django/contrib/"),
    ("django request/response/handlers", "django/http/"),
    ("django core handlers", "django/core/handlers"),
    ("django urls", "django/urls/"),
    ("django utils", "django/utils/"),
    ("whitenoise", "whitenoise"),
    ("django_htmx", "django_htmx"),
    ("sinorus API plumbing", "annotations/views/"),
    ("sinorus services + access", "annotations/services/"),
    ("sinorus text (spans, sanitize)", "annotations/text/"),
    ("sinorus formats", "annotations/formats/"),
)


def environ_for(method: str, path: str, body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats order of the listing: cumulative, tottime")
    parser.add_argument("--list", action="store_true", help="profile the list of 4,000 annotations instead")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sinorus-profile-")
    os.environ.update(SINORUS_VAR_DIR=tmp, DEBUG="0", HTTPS="0", DJANGO_SETTINGS_MODULE="sinorus.settings")
    os.environ.setdefault("API_PAGE_SIZE", "5000")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from annotations.services.tokens import token_issue
    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(ROOT / "seeds"), "--quiet")
    token = token_issue(user=User.objects.create_user("bench", password="bench-pass-123"))
    article = Article.objects.select_related("current").order_by("source").first()
    text = article.current.text
    path = f"/api/articles/{article.pk}/annotations"
    app = get_wsgi_application()

    rnd = random.Random(7)
    starts = [i for i in range(1, len(text)) if text[i - 1].isspace() and text[i].isalnum()]

    used: set[tuple[int, int]] = set()  # the same span and tag twice is refused (400)

    def body() -> bytes:
        while True:
            start = rnd.choice(starts)
            end = min(len(text), start + rnd.randint(20, 200))
            if (start, end) not in used:
                used.add((start, end))
                break
        span = {"start": start, "end": end, "exact": text[start:end], "tag": "claim", "note": ""}
        return json.dumps(span).encode()

    def create() -> None:
        status = []
        chunks = app(environ_for("POST", path, body(), token), lambda s, h, *a: status.append(s))
        b"".join(chunks)
        if not status[0].startswith("201"):
            raise SystemExit(f"create failed: {status[0]}")

    def listing() -> None:
        status = []
        chunks = app(environ_for("GET", path, b"", token), lambda s, h, *a: status.append(s))
        b"".join(chunks)
        if not status[0].startswith("200"):
            raise SystemExit(f"list failed: {status[0]}")

    for _ in range(50):
        create()  # warm: imports, the tag cache, the connection
    what, request = "creates", create
    if args.list:
        for _ in range(4000 - 50):
            create()
        what, request = "lists of 4,000", listing
        request()

    queries: dict[str, list[float]] = defaultdict(list)

    def timing(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries[sql.split(" ", 1)[0].upper() + " " + _table(sql)].append(time.perf_counter() - t)

    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timing):
        for _ in range(args.n):
            request()
    wall = (time.perf_counter() - start) / args.n * 1000
    cpu = (time.process_time() - cpu) / args.n * 1000
    in_sql = sum(sum(v) for v in queries.values()) / args.n * 1000
    print(f"{args.n} {what} in one process: {wall:.2f} ms wall, {cpu:.2f} ms CPU each; inside SQL {in_sql:.2f} ms")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall includes waiting for a core)")
    for kind, times in sorted(queries.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {len(times) / args.n:4.1f}× {kind:<45} {sum(times) / len(times) * 1000:6.3f} ms")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # tottime summed over every function
    by_layer: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = filename if filename != "~" else name
        label = next((lab for lab, needle in LAYERS if needle in where), "other (python stdlib, builtins)")
        by_layer[label] += tottime
    print(f"\nprofile (own time by layer, {total / args.n * 1000:.2f} ms a request under cProfile):")
    for label, seconds in sorted(by_layer.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / total * 100:5.1f}%  {label}")
    print(f"\ntop {args.top} by {args.sort} time:")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def _table(sql: str) -> str:
    words = sql.replace('"', "").split()
    for keyword in ("FROM", "INTO", "UPDATE"):
        if keyword in words:
            return words[words.index(keyword) + 1]
    return ""


if __name__ == "__main__":
    main()
