"""Annotation benchmark: the workload two peer tools (doccano, Label Studio) were measured on.

Starts the app as `make run` serves it (gunicorn, SQLite in a temporary folder), then through
the HTTP API: 2,000 annotations created one after another on seed article 000 (random
word-boundary spans of 20-200 characters, random tag, fixed seed); 2,000 more from 8
concurrent clients; the 4,000-annotation list fetched (one request: API_PAGE_SIZE=5000 here, as the peers answer
unpaged); all 4,000 exported as W3C JSON-LD through the export page (/exports/?format=w3c, signed
in, as a user does); the reader page with the 4,000 highlights fetched; the browser's paint of
that page timed (Debian Chromium through Playwright, when installed); server memory (peak RSS,
VmHWM) summed over the gunicorn processes and the task worker `make run` starts beside them.

    .venv/bin/python bench/annotate_bench.py [--port 8765] [--no-browser]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TAGS = ["claim", "opinion", "quote", "unsupported"]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def spans_for(text: str, count: int, seed: int, taken: set) -> list[dict]:
    """Random spans that start and end on word boundaries, 20-200 characters long, none in `taken`
    (the same span and tag twice is refused)."""
    rnd = random.Random(seed)
    starts = [m.start() for m in re.finditer(r"\b\w", text)]
    ends = [m.end() for m in re.finditer(r"\w\b", text)]
    out = []
    while len(out) < count:
        start = rnd.choice(starts)
        candidates = [e for e in ends if 20 <= e - start <= 200]
        if not candidates:
            continue
        end = rnd.choice(candidates)
        if (start, end) in taken:
            continue
        taken.add((start, end))
        out.append({"start": start, "end": end, "exact": text[start:end], "tag": rnd.choice(TAGS)})
    return out


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Host": "127.0.0.1"}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
        payload = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        self.conn.request(method, path, body=payload, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def server_rss_mib(roots: list[int]) -> tuple[float, float, int]:
    """Peak and current RSS (MiB) summed over `roots` and their children, and how many processes."""
    pids = list(roots)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) in roots:
                pids.append(int(entry.name))
    peak = rss = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak += int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss += int(line.split()[1])
    return peak / 1024, rss / 1024, len(pids)


def fetch(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    """One GET on a new connection: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form; return the Cookie header of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": form, "username": username, "password": password})
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Host": "127.0.0.1",
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if response.status != 302 or session is None:
        raise SystemExit(f"sign-in failed: {response.status}")
    return f"sessionid={session.group(1)}"


def count_w3c_items(doc: dict) -> int:
    """Annotations in a W3C collection whose pages are embedded one in the next."""
    count, page = 0, doc.get("first")
    while isinstance(page, dict):
        count += len(page.get("items", []))
        page = page.get("next")
    return count


def browser_paint_ms(url: str) -> float | None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        times, parts = [], []
        for _ in range(5):
            page.goto(url, wait_until="load")
            # Paint of the highlighted text: from navigation start to the first paint after
            # the document and its script are processed (the load event, or FCP if later).
            timing = page.evaluate(
                "() => { const p = performance.getEntriesByName('first-contentful-paint')[0];"
                " const n = performance.getEntriesByType('navigation')[0];"
                " return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd, p ? p.startTime : 0]; }"
            )
            parts.append(timing)
            times.append(max(timing[3], timing[4]))
        marks = page.locator("mark.hl").count()
        browser.close()
    best = parts[times.index(statistics.median(times))]
    print(
        f"browser: {marks} highlight segments; load+paint median {statistics.median(times):.0f} ms "
        f"(first byte {best[0]:.0f}, response end {best[1]:.0f}, DOM ready {best[2]:.0f}, load {best[3]:.0f}, "
        f"first contentful paint {best[4]:.0f}; target < 300 ms)"
    )
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sinorus-bench-")
    env = {
        **os.environ,
        "SINORUS_VAR_DIR": tmp,
        "DEBUG": "0",
        "HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "sinorus.settings",
    }
    env.pop("DATABASE_URL", None)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "import_articles", "seeds/", "--quiet")
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            "u = User.objects.create_user('bench', password='bench-pass-123', is_staff=True); "
            "u.groups.add(*Group.objects.filter(name__in=['Instructors', 'Editors']))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    token = manage(env, "issue_token", "bench").strip()
    env["API_PAGE_SIZE"] = "5000"
    task_worker = subprocess.Popen([PYTHON, "-m", "sinorus.supervisor", "--interval", "1"], cwd=ROOT, env=env)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "sinorus.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        client = Client(args.port, token)
        article_id = 1
        text = json.loads(
            subprocess.run(
                [PYTHON, "manage.py", "export_articles"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            ).stdout.splitlines()[0]
        )["text"]
        print(f"article 000: {len(text):,} characters")
        api = f"/api/articles/{article_id}/annotations"

        taken: set[tuple[int, int]] = set()
        sequential = spans_for(text, 2000, seed=1, taken=taken)
        times, errors = [], 0
        for _ in range(50):  # warm up connections and caches, not counted
            client.request("GET", api + "?tag=none")
        for span in sequential:
            status, _body, elapsed = client.request("POST", api, span)
            errors += status != 201
            times.append(elapsed * 1000)
        print(
            f"sequential create: p50 {pct(times, 50):.2f} ms, p95 {pct(times, 95):.2f} ms, "
            f"errors {errors} (target p95 < 5 ms; doccano 13.0/16.4, Label Studio 104/140)"
        )

        concurrent = spans_for(text, 2000, seed=2, taken=taken)
        chunks = [concurrent[i::8] for i in range(8)]
        failures = []

        def worker(chunk: list[dict]) -> None:
            c = Client(args.port, token)
            for span in chunk:
                status, _b, _t = c.request("POST", api, span)
                if status != 201:
                    failures.append(status)

        threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        print(
            f"8 clients: {2000 / elapsed:.0f} creates/s, errors {len(failures)} "
            f"(target >= 350/s, 0 errors; doccano 113/s, Label Studio 11.6/s)"
        )

        client = Client(args.port, token)  # the idle keep-alive connection was closed meanwhile
        list_times = []
        for _ in range(7):
            status, body, elapsed = client.request("GET", api)
            list_times.append(elapsed * 1000)
        total = json.loads(body)["total"]
        print(
            f"list {total} annotations: median {statistics.median(list_times):.1f} ms (target < 60 ms; doccano 292, LS 2,662)"
        )

        cookie = sign_in(args.port, "bench", "bench-pass-123")
        export_times = []
        for _ in range(3):
            start = time.perf_counter()
            status, body = fetch(args.port, "/exports/?format=w3c", {"Cookie": cookie})
            export_times.append((time.perf_counter() - start) * 1000)
        exported = count_w3c_items(json.loads(body)) if status == 200 else 0
        print(
            f"export {exported} as W3C JSON-LD (/exports/?format=w3c): median {statistics.median(export_times):.0f} ms "
            f"of {[round(t) for t in export_times]}, {len(body) / 1e6:.1f} MB"
        )

        page_times = []
        for _ in range(7):
            status, body, elapsed = client.request("GET", f"/articles/{article_id}/")
            page_times.append(elapsed * 1000)
        print(f"reader page with {total} highlights: median {statistics.median(page_times):.1f} ms (target < 150 ms)")

        peak, rss, processes = server_rss_mib([server.pid, task_worker.pid])
        print(
            f"server memory: peak {peak:.0f} MiB (VmHWM summed), now {rss:.0f} MiB, in {processes} processes "
            "(gunicorn master and workers, task worker)"
        )
        if not args.no_browser:
            browser_paint_ms(f"http://127.0.0.1:{args.port}/articles/{article_id}/")
    finally:
        server.send_signal(signal.SIGTERM)
        task_worker.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        task_worker.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
