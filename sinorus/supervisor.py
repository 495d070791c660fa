"""Keep one task worker running: start it, start another whenever it exits, stop it on SIGTERM.

Plain Python, no Django: the supervisor only waits, so it does not carry a Django process's
~50 MiB. `make run` and `make serve` start it beside gunicorn:

    python -m sinorus.supervisor [--interval 1]

`manage.py run_worker` (without --child) supervises in the same way from a Django process.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

RESTART_DELAY = 1.0  # seconds between a worker's exit and the next one's start
MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def supervise(*, command: list[str], stdout) -> None:
    """Start `command`; start it again whenever it exits; stop it on SIGTERM or SIGINT."""
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        child = subprocess.Popen(command)
        code = child.wait()
        if not stopping:
            stdout.write(f"task worker exited ({code}); starting another in {RESTART_DELAY:g} s\n")
            time.sleep(RESTART_DELAY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls for new tasks.")
    interval = parser.parse_args().interval
    command = [sys.executable, str(MANAGE), "run_worker", "--child", "--interval", str(interval)]
    sys.stdout.reconfigure(line_buffering=True)  # its one message shows at once under make
    supervise(command=command, stdout=sys.stdout)


if __name__ == "__main__":
    main()
