"""Fault check: stop PostgreSQL under a running `make serve`, then start it again.

    .venv/bin/python bench/pg_restart_check.py --database-url postgres://sinorus:sinorus@127.0.0.1/sinorus_load

Needs root (or sudo) to stop and start the Debian cluster. Expects: 200 before, a clear 503
page while the database is down, and 200 again by itself once it is back (no restart of the app).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serving import fetch, make_serve  # noqa: E402


def cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"), key=float)[-1]
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "pg_ctlcluster", version, "main", action], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8801)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    with make_serve(env, args.port):
        print(f"before: {fetch(args.port)[0]}")
        cluster("stop")
        code, body = fetch(args.port)
        print(f"database stopped: {code} {'(clear page)' if 'briefly unavailable' in body else body[:80]}")
        cluster("start")
        start = time.perf_counter()
        code = 0
        while time.perf_counter() - start < 60:
            code = fetch(args.port)[0]
            if code == 200:
                break
            time.sleep(0.2)
        print(f"database started again: {code} after {time.perf_counter() - start:.1f} s, without restarting the app")


if __name__ == "__main__":
    main()
