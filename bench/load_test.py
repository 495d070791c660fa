"""Load and fault test: 50 simulated users for 60 s against `make serve` (gunicorn, DEBUG=0).

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/load_test.py                       # SQLite in a temporary folder
    .venv/bin/python bench/load_test.py --database-url postgres://sinorus:sinorus@127.0.0.1/sinorus_load
    .venv/bin/python bench/load_test.py --kill-worker          # kill -9 a worker 20 s in
    .venv/bin/python bench/load_test.py --servers 2 --users 200 --database-url postgres://...
                                         # two app servers on one PostgreSQL behind bench/proxy.py

Users read article pages, the API list, the aligned view, create annotations, reply and export
(bench/locustfile.py). Afterwards every acknowledged write is looked up in the database.
Targets on the 2-core machine: zero errors, p95 under 100 ms for reads and 150 ms for writes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serving import fetch, make_serve  # noqa: E402

PYTHON = Path(sys.executable)


def manage(env, *args, capture=True) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    ).stdout


def workers_of(master: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split()[3]) == master:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _tree(root: int) -> list[int]:
    out, queue = [], [root]
    while queue:
        pid = queue.pop()
        out.append(pid)
        queue.extend(workers_of(pid))
    return out


def _cpu_seconds(pids) -> float:
    """CPU time (user + system) the live processes have used, their reaped children included."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _postgres() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in {"postgres", "postmaster"}:
                    out.append(int(entry.name))
    return out


def cpu_use(servers, proxy_pids) -> dict[str, float]:
    """CPU seconds so far of the app servers (every process under `make serve`), the proxy and PostgreSQL."""
    return {
        "app servers": _cpu_seconds(pid for s in servers for pid in _tree(s.pid)),
        "proxy": _cpu_seconds(proxy_pids),
        "PostgreSQL": _cpu_seconds(_postgres()),
    }


def _argv(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def gunicorn_master(root: int) -> int | None:
    """The gunicorn master under `make serve`: a process running sinorus.wsgi whose parent is not one."""
    queue = [root]
    while queue:
        pid = queue.pop(0)
        argv = _argv(pid)
        is_gunicorn = any(a.endswith("/gunicorn") for a in argv[:2]) and "sinorus.wsgi" in argv
        if is_gunicorn:
            return pid
        queue.extend(workers_of(pid))
    return None


def serve_all(stack: contextlib.ExitStack, env: dict, args) -> list[subprocess.Popen]:
    """One `make serve` on --port, or --servers of them on the next ports behind bench/proxy.py.

    They start one after the other, so that only the first one migrates."""
    if args.servers <= 1:
        return [stack.enter_context(make_serve(env, args.port, args.workers))]
    ports = [args.port + 1 + i for i in range(args.servers)]
    servers = [stack.enter_context(make_serve(env, port, args.workers)) for port in ports]
    backends = [a for port in ports for a in ("--backend", str(port))]
    proxy = subprocess.Popen([str(PYTHON), str(ROOT / "bench" / "proxy.py"), "--listen", str(args.port), *backends])
    stack.callback(proxy.wait, 10)
    args.proxy_pids = [proxy.pid]
    stack.callback(proxy.terminate)
    for _ in range(100):
        if fetch(args.port)[0] == 200:
            break
        time.sleep(0.1)
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--workers", type=int, default=0, help="override make serve's 2 x cores + 1")
    parser.add_argument(
        "--servers", type=int, default=1, help="app servers (`make serve` each) behind a local proxy on --port"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sinorus-load-"))
    env = {
        **os.environ,
        "SINORUS_VAR_DIR": str(tmp),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{args.port}",
        "DEBUG": "0",
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
    }
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.database_url:  # start from an empty schema, so the data migrations (tags, roles) run again
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection\n"
            "connection.cursor().execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')",
        )
    manage(env, "migrate", "--noinput")
    manage(env, "import_articles", "seeds/", "--quiet")
    script = (
        "from django.contrib.auth.models import User, Group\n"
        "g = Group.objects.get(name='Editors')\n"
        f"for n in range(1, {args.users + 1}):\n"
        "    u = User.objects.create_user(f'load{n:02d}', password='load-pass-123'); u.groups.add(g)\n"
        "import json\nfrom articles.models import Article\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "sessions = []\n"
        "for u in User.objects.filter(username__startswith='load').order_by('username'):\n"
        "    s = SessionStore(); s[SESSION_KEY] = str(u.pk); s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "    s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'; s.create(); sessions.append(s.session_key)\n"
        "print(json.dumps([{a.pk: a.current.text for a in Article.objects.select_related('current')}, sessions]))\n"
    )
    # Sessions are made here, not by signing in under load: one PBKDF2 check per user would
    # otherwise dominate the measured minute. Sign-in itself is timed separately below.
    texts, sessions = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    spans = {}
    for key, text in texts.items():
        words = [(m.start(), m.end()) for m in re.finditer(r"\w[\w'’-]*", text)]
        spans[key] = [(words[i][0], words[min(len(words) - 1, i + 5)][1]) for i in range(0, len(words) - 6, 7)]
    acked = tmp / "acked.jsonl"
    env_load = {
        **env,
        "LOAD_ARTICLES": ",".join(texts),
        "LOAD_SPANS_JSON": json.dumps(spans),
        "LOAD_ACKED": str(acked),
        "LOAD_SESSIONS_JSON": json.dumps(sessions),
    }

    with contextlib.ExitStack() as stack:
        servers = serve_all(stack, env, args)
        for path in [
            "/",
            "/compare/",
            *[f"/articles/{k}/" for k in texts],
            *[f"/api/articles/{k}/annotations" for k in texts],
        ] * 3:
            fetch(args.port, path)  # warm every worker up before measuring
        masters = [m for m in (gunicorn_master(s.pid) for s in servers) if m]
        master = masters[0] if masters else None
        before = sum(len(workers_of(m)) for m in masters)
        killed = []
        if args.kill_worker and master:

            def kill_one() -> None:
                time.sleep(20)
                victim = workers_of(master)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

            threading.Thread(target=kill_one, daemon=True).start()
        stats = tmp / "stats"
        cpu_before, load_before = cpu_use(servers, getattr(args, "proxy_pids", [])), os.times()
        subprocess.run(
            # nice: the load generator shares the two cores; the server being measured goes first.
            [
                "nice",
                "-n",
                "10",
                str(PYTHON.parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(stats),
                "--only-summary",
            ],
            cwd=ROOT,
            env=env_load,
            check=False,
            capture_output=True,
            text=True,
        )
        cpu_after, load_after = cpu_use(servers, getattr(args, "proxy_pids", [])), os.times()
        with open(f"{stats}_stats.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        db = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"{db}, {args.users} users, {args.seconds} s, {len(servers)} app server(s)"
            + (" behind bench/proxy.py" if len(servers) > 1 else "")
            + f", {before} gunicorn workers"
            + (f", killed worker {killed}" if killed else "")
        )
        for row in rows:
            print(
                f"  {row['Name']:<28} {int(row['Request Count']):>6} requests, {int(row['Failure Count']):>3} failures, "
                f"p50 {row['50%']} ms, p95 {row['95%']} ms"
            )
        served = next((int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
        spent = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
        spent["load generator"] = (load_after.children_user + load_after.children_system) - (
            load_before.children_user + load_before.children_system
        )
        if served:
            print(
                "  CPU a request: "
                + ", ".join(f"{k} {v / served * 1000:.1f} ms" for k, v in spent.items() if v)
                + f"; {sum(spent.values()) / args.seconds:.2f} of {os.cpu_count()} cores busy"
            )
        failures_file = Path(f"{stats}_failures.csv")
        if failures_file.exists():
            with open(failures_file, encoding="utf-8") as f:
                failures = list(csv.DictReader(f))
            for row in failures[:5]:
                print(f"  failure: {row['Name']}: {row['Error'][:120]} x{row['Occurrences']}")
        lines = [json.loads(x) for x in acked.read_text().splitlines()] if acked.exists() else []
        ids = [x["id"] for x in lines if x["kind"] == "annotation"]
        replies = sum(1 for x in lines if x["kind"] == "reply")
        check = (
            "from annotations.models import Annotation, Reply\nimport json,sys\n"
            f"ids = {ids!r}\nfound = set(Annotation.objects.filter(pk__in=ids).values_list('pk', flat=True))\n"
            "print(json.dumps({'missing': len(set(ids) - found), 'replies': Reply.objects.count()}))\n"
        )
        result = json.loads(manage(env, "shell", "-c", check).strip().splitlines()[-1])
        print(
            f"  acknowledged writes: {len(ids)} annotations ({result['missing']} missing), "
            f"{replies} replies ({result['replies']} in the database)"
        )
        if masters:
            after = sum(len(workers_of(m)) for m in masters)
            print(f"  workers after the run: {after} (gunicorn replaces a killed one)")
        integrity = manage(
            env,
            "shell",
            "-c",
            "from django.db import connection\n"
            "c = connection.cursor()\n"
            "print(c.execute('PRAGMA integrity_check').fetchone()[0] if connection.vendor == 'sqlite' else 'ok')",
        )
        print(f"  database integrity: {integrity.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
