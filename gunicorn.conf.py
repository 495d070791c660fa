"""gunicorn settings that `make run`, `make serve` and anything started from this folder share.

gunicorn reads this file from the current directory; options given on the command line win.
"""

from __future__ import annotations

import contextlib
import ctypes

M_ARENA_MAX = -8  # glibc mallopt() parameter


def post_fork(server, worker) -> None:
    """Two malloc arenas a worker instead of eight a core: its threads then share freed memory
    instead of each keeping its own, which kept a worker's peak ~10 MiB higher."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)


# gunicorn's threaded worker (what `--threads` > 1 chooses), closing finished connections at once
worker_class = "sinorus.gunicorn_worker.ThreadWorker"
