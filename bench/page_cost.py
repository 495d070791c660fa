"""CPU a page costs: the pages of the load test's mix, on the seeds with N annotations.

Builds a fresh SQLite database (as `make run` configures it) with the seeds, 40 editors, and N
annotations made through the API by ten of them (random spans of 5-60 characters over the five
articles), then times each page through Django's test client (every middleware, no network),
one signed-in editor, median of --reps after a warm-up:

- the reader page of each article, the API list of two, the aligned view of the five, and the
  JSONL export of one article: CPU milliseconds (process time) and size.

    .venv/bin/python bench/page_cost.py [-n 2500] [--reps 10]
    .venv/bin/python bench/page_cost.py --profile reader   # where one page's CPU goes (cProfile)

What the load test (bench/load_test.py) asks of the servers is this mix: its "CPU a request"
line is the weighted sum of these, plus creates and replies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TAGS = ["claim", "opinion", "quote", "unsupported"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2500, help="annotations to create first")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--profile", metavar="PAGE", help="profile the pages whose name has PAGE (reader, aligned ...)")
    parser.add_argument("--top", type=int, default=30, help="functions listed by --profile")
    args = parser.parse_args()

    os.chdir(ROOT)
    os.environ.update(
        SINORUS_VAR_DIR=tempfile.mkdtemp(prefix="sinorus-page-cost-"),
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="sinorus.settings",
        SINORUS_PLAIN_STATIC="1",  # no collected static files needed
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(ROOT / "seeds"), quiet=True)
    editors = Group.objects.get(name="Editors")
    clients = []
    for n in range(40):
        user = User.objects.create_user(f"editor{n:02d}", password=None)
        user.groups.add(editors)
        if n < 10:
            client = Client()
            client.force_login(user)
            clients.append(client)
    articles = list(Article.objects.select_related("current").order_by("source"))
    rnd = random.Random(7)
    started = time.perf_counter()
    for _ in range(args.n):
        article = rnd.choice(articles)
        start = rnd.randrange(0, len(article.current.text) - 60)
        body = {"start": start, "end": start + rnd.randrange(5, 60), "tag": rnd.choice(TAGS), "note": "cost"}
        response = rnd.choice(clients).post(
            f"/api/articles/{article.pk}/annotations", json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (201, 400), response.content[:200]  # 400: the same span and tag again
    made = time.perf_counter() - started
    print(f"{args.n} creates through the API: {made / max(args.n, 1) * 1000:.2f} ms each (wall)")

    client = clients[0]
    pages = [(f"reader page, article {a.pk}", f"/articles/{a.pk}/") for a in articles]
    pages += [(f"API list, article {a.pk}", f"/api/articles/{a.pk}/annotations") for a in articles[:2]]
    pages += [("aligned view, five articles", "/compare/")]
    pages += [("JSONL export, one article", f"/exports/?format=jsonl&article={articles[0].pk}")]
    for name, path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times, size = [], 0
        for _ in range(args.reps):
            began = time.process_time()
            response = client.get(path)
            size = len(b"".join(response.streaming_content) if response.streaming else response.content)
            times.append(time.process_time() - began)
        print(f"  {name:<32} {statistics.median(times) * 1000:7.1f} ms CPU  {size / 1024:7.0f} KiB")
        if args.profile and args.profile in name:
            profile(client, path, args.reps, args.top)


def profile(client, path: str, reps: int, top: int) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(reps):
        response = client.get(path)
        b"".join(response.streaming_content) if response.streaming else response.content
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))


if __name__ == "__main__":
    main()
