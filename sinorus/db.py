"""Write transactions that take turns on SQLite: threads of a process, then processes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

_sqlite_writers = threading.Lock()
_lock_files: dict[str, int] = {}


def _writer_lock_fd(name: str) -> int | None:
    """A descriptor of `<database>-writer.lock`, opened once a process; None for memory databases."""
    if not name or name == ":memory:" or str(name).startswith("file:"):
        return None
    path = f"{name}-writer.lock"
    fd = _lock_files.get(path)
    if fd is None:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:  # a read-only folder: SQLite's busy handler still keeps writes apart
            return None
        _lock_files[path] = fd
    return fd


@contextmanager
def _process_turn(fd: int | None) -> Iterator[None]:
    if fd is None:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def write_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """`transaction.atomic()`; on SQLite, writers also take turns at it before they begin.

    SQLite has one writer. A writer that finds the write lock taken (BEGIN IMMEDIATE) sleeps in
    SQLite's busy handler, 1, 2, 5, 10, 15 ms ... between tries, however soon the lock is free
    again; under eight concurrent clients those sleeps made most of the slowest requests. Here
    the threads of a process take turns at a Python lock and the processes (gunicorn's workers,
    the task worker) at an advisory lock on a file beside the database: each wakes the next
    writer as soon as the previous one commits. Writes that do not come through here still meet
    SQLite's own lock, so the file lock is a queue, never the guard of correctness.
    Nested blocks are plain savepoints.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    fd = _writer_lock_fd(str(connection.settings_dict.get("NAME") or ""))
    with _sqlite_writers, _process_turn(fd), transaction.atomic(using=using):
        yield
