"""Write transactions that take turns on SQLite (threads of a process, then processes), and a
new row inserted without compiling its INSERT each time."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
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
    name = str(settings.get("NAME") or "")
    fd = _writer_lock_fd(name)
    timeout = float(settings.get("OPTIONS", {}).get("timeout", SQLITE_TIMEOUT))
    with _turn(fd, timeout):
        with transaction.atomic(using=using):
            yield
        if fd is not None:
            _checkpointer(name).committed()


# Commits of a process between two checkpoints; well under SQLite's own 1,000 WAL pages (an API
# create writes about 12: the row and its indexes).
CHECKPOINT_EVERY = 32
_checkpointers: dict[tuple[int, str], _Checkpointer] = {}


def _checkpointer(name: str) -> _Checkpointer:
    key = (os.getpid(), name)  # a forked worker starts its own thread
    checkpointer = _checkpointers.get(key)
    if checkpointer is None:
        checkpointer = _checkpointers[key] = _Checkpointer(name)
    return checkpointer


class _Checkpointer:
    """Copies the WAL back into the database file in a thread of its own, beside the writers.

    SQLite does it itself when a commit leaves 1,000 pages in the WAL, inside that commit: 5-7 ms
    of copying and syncing here, every 80 or so API creates, while every other writer waited for
    the turn the committing one still held. A passive checkpoint every CHECKPOINT_EVERY commits
    of a process keeps the WAL short of that, and waits for nobody, nor anybody for it. (SQLite's
    own checkpoint stays on, for writes that do not come through here.)
    """

    def __init__(self, name: str) -> None:
        self.name, self.commits, self.checkpoints, self.wake = name, 0, 0, threading.Event()
        threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    def committed(self) -> None:
        """Count a commit; called holding the writers' turn, so the counting needs no lock of its own."""
        self.commits += 1
        if self.commits % CHECKPOINT_EVERY == 0:
            self.wake.set()

    def _run(self) -> None:
        connection = sqlite3.connect(self.name, timeout=0, isolation_level=None)
        while True:
            self.wake.wait()
            self.wake.clear()
            with contextlib.suppress(sqlite3.Error):  # another checkpoint running: the next one will do
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1


def insert_new(instance: models.Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """Store a new instance whose primary key the database assigns, as `instance.save()` would."""
    prepared_insert(instance, using)()


def prepared_insert(instance: models.Model, using: str = DEFAULT_DB_ALIAS) -> Callable[[], None]:
    """What `insert_new` does, in two steps: the values now, the INSERT when the result is called.

    For hot paths: save() compiles its INSERT anew every time, which cost more than running it
    (an API create spent a third of its time in save()). Here the statement is built once a model
    and each field still prepares its own value (`pre_save`, `get_db_prep_save`: defaults, the
    sanitizing of a SanitizedHTMLField, dates, JSON), before the caller takes the writers' turn,
    which then holds it only for the statement. A model with save signals, a custom save(), or a
    field with its own SQL placeholder goes through save() itself, when called.
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
        return functools.partial(instance.save, using=using, force_insert=True)
    # As save(): refuse a related object not yet saved, take the id of one saved since it was set.
    instance._prepare_related_fields_for_save(operation_name="save")
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    sql = _insert_sql(model, using)

    def insert() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            pk = cursor.fetchone()[0]
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = using

    return insert


@functools.cache
def _insert_fields(model: type[models.Model]) -> tuple | None:
    meta = model._meta
    if model.save is not models.Model.save or meta.parents or not isinstance(meta.pk, models.AutoField):
        return None
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    if any(
        hasattr(field, "get_placeholder") or field.generated or field.db_default is not models.NOT_PROVIDED
        for field in fields
    ):  # SQL of their own (a placeholder, a generated column, a database default): save() knows it
        return None
    return fields


@functools.cache
def _insert_sql(model: type[models.Model], using: str) -> str:
    quote = connections[using].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(field.column) for field in _insert_fields(model))
    placeholders = ", ".join(["%s"] * len(_insert_fields(model)))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {quote(meta.pk.column)}"
