"""Write transactions that take turns within a process on SQLite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

_sqlite_writers = threading.Lock()


@contextmanager
def write_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """`transaction.atomic()`; on SQLite, the threads of this process also take turns at it.

    SQLite has one writer. A thread that finds the write lock taken (BEGIN IMMEDIATE) sleeps in
    SQLite's busy handler, 1, 2, 5, 10, 15 ms ... between tries, however soon the lock is free
    again; under eight concurrent clients those sleeps made most of the slowest requests. A
    Python lock wakes the next thread of the process as soon as the previous one commits.
    Other processes still wait in the busy handler. Nested blocks are plain savepoints.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    with _sqlite_writers, transaction.atomic(using=using):
        yield
