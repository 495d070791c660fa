"""Run `make serve` for a benchmark: start it, wait until it answers, stop its whole process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fetch(port: int, path: str = "/") -> tuple[int, str]:
    """GET through the headers the TLS proxy in front of `make serve` would add; (status, body)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError as exc:
        return 0, str(exc)


@contextlib.contextmanager
def make_serve(env: dict, port: int, workers: int = 0):
    """Yield the `make serve` process once it answers on `port`; stop it (and its task worker) after."""
    args = ["make", "serve", f"PORT={port}", f"PYTHON={Path(sys.executable).parent / 'python'}"]
    if workers:
        args.append(f"WORKERS={workers}")
    server = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(240):
            if fetch(port)[0] == 200:
                break
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
