"""Write transactions that take turns on SQLite (threads of a process, then processes), and a
new row inserted without compiling its INSERT each time."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, models, transaction
from django.db.models import signals

_sqlite_writers = threading.Lock()
SQLITE_TIMEOUT = 5.0  # seconds, what sqlite3.connect() waits for the lock unless told otherwise
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


def _locked() -> OperationalError:
    # The words SQLite's own timeout uses, which the 503 page (sinorus.security) recognises.
    return OperationalError("database is locked: other writers held it longer than the timeout")


def _flock(fd: int, deadline: float) -> None:
    """Take the file lock by `deadline`. flock() cannot time out, so a waiter polls, every
    millisecond at most: one thread a process (the others wait at the thread lock)."""
    pause = 0.0001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _locked() from None
            time.sleep(pause)
            pause = min(pause * 2, 0.001)


@contextmanager
def _turn(fd: int | None, timeout: float) -> Iterator[None]:
    """This writer's turn: the thread lock, then the file lock, both within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    if not _sqlite_writers.acquire(timeout=timeout):
        raise _locked()
    try:
        if fd is None:
            yield
            return
        _flock(fd, deadline)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        _sqlite_writers.release()


@contextmanager
def write_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """`transaction.atomic()`; on SQLite, writers also take turns at it before they begin.

    SQLite has one writer. A writer that finds the write lock taken (BEGIN IMMEDIATE) sleeps in
    SQLite's busy handler, 1, 2, 5, 10, 15 ms ... between tries, however soon the lock is free
    again; under eight concurrent clients those sleeps made most of the slowest requests. Here
    the threads of a process take turns at a Python lock, which wakes the next one as soon as the
    previous one commits, and the processes (gunicorn's workers, the task worker) at an advisory
    lock on a file beside the database, which the one waiting thread of each process tries every
    millisecond at most. Writes that do not come through here still meet SQLite's own lock, so
    the file lock is a queue, never the guard of correctness. Nor does the queue wait longer than
    SQLite would (its `timeout`): behind a long write that does not queue, each writer would
    otherwise wait out the timeouts of all those ahead of it. It then fails as SQLite does.
    Nested blocks are plain savepoints.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    settings = connection.settings_dict
    fd = _writer_lock_fd(str(settings.get("NAME") or ""))
    timeout = float(settings.get("OPTIONS", {}).get("timeout", SQLITE_TIMEOUT))
    with _turn(fd, timeout), transaction.atomic(using=using):
        yield


def insert_new(instance: models.Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """Store a new instance whose primary key the database assigns, as `instance.save()` would.

    For hot paths: save() compiles its INSERT anew every time, which cost more than running it
    (an API create spent a third of its time in save()). Here the statement is built once a model
    and each field still prepares its own value (`pre_save`, `get_db_prep_save`: defaults, the
    sanitizing of a SanitizedHTMLField, dates, JSON). A model with save signals, a custom save(),
    or a field with its own SQL placeholder goes through save() itself.
    """
    model = type(instance)
    connection = connections[using]
    fields = _insert_fields(model)
    if (
        fields is None
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
        or not connection.features.can_return_columns_from_insert
    ):
        instance.save(using=using, force_insert=True)
        return
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, using), values)
        pk = cursor.fetchone()[0]
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = using


@functools.cache
def _insert_fields(model: type[models.Model]) -> tuple | None:
    meta = model._meta
    if model.save is not models.Model.save or meta.parents or not isinstance(meta.pk, models.AutoField):
        return None
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    if any(hasattr(field, "get_placeholder") or field.generated for field in fields):
        return None
    return fields


@functools.cache
def _insert_sql(model: type[models.Model], using: str) -> str:
    quote = connections[using].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(field.column) for field in _insert_fields(model))
    placeholders = ", ".join(["%s"] * len(_insert_fields(model)))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {quote(meta.pk.column)}"
