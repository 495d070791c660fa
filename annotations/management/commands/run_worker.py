"""The task worker, supervised: `make run` and `make serve` start this, never the bare `db_worker`.

The supervisor starts a worker process and starts another whenever one exits, for any reason (a
crash, an out-of-memory kill, `kill -9`). The worker itself survives a locked or briefly absent
database: it waits and carries on instead of exiting. Between tasks it queues again any job whose
previous worker died under it (see `annotations.services.jobs`).
"""

from __future__ import annotations

import logging
import sys
import time

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from annotations.services.jobs import jobs_recover_stale
from sinorus import supervisor

logger = logging.getLogger("sinorus.worker")


class Command(BaseCommand):
    help = "Run the task worker under a supervisor that restarts it whenever it exits."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls for new tasks.")
        parser.add_argument("--child", action="store_true", help="Run one worker (what the supervisor starts).")
        parser.add_argument("--once", action="store_true", help="Run the queued tasks, then exit (for tests).")

    def handle(self, *args, interval: float, child: bool, once: bool, **options) -> None:
        if child or once:
            run_worker(interval=interval, once=once)
        else:
            supervise(interval=interval, stdout=self.stdout)


def run_worker(*, interval: float, once: bool = False) -> None:
    """Poll for tasks until stopped; a locked or unreachable database is waited out, not fatal."""
    while True:
        try:
            close_old_connections()
            jobs_recover_stale()
            worker = Worker(
                queue_names=["default"],
                interval=interval,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
            worker.run()  # batch: returns when the queue is empty
        except OperationalError as exc:  # "database is locked", or the server restarting
            logger.warning("worker: database unavailable (%s); retrying", exc)
            close_old_connections()
        if once:
            return
        time.sleep(interval)


def supervise(*, interval: float, stdout) -> None:
    """Start a worker process; start another whenever it exits; stop it on SIGTERM or SIGINT."""
    command = [sys.executable, sys.argv[0], "run_worker", "--child", "--interval", str(interval)]
    supervisor.supervise(command=command, stdout=stdout)
