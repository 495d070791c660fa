from __future__ import annotations

import pytest
from django.db import connection

from sinorus import db
from sinorus.db import write_transaction


@pytest.mark.django_db(transaction=True)
def test_an_outer_write_on_sqlite_holds_the_process_lock_until_it_commits():
    with write_transaction():
        assert connection.in_atomic_block
        assert db._sqlite_writers.locked() == (connection.vendor == "sqlite")
    assert not db._sqlite_writers.locked()


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_rolls_back_and_releases_the_lock():
    from django.contrib.auth.models import User

    with pytest.raises(RuntimeError), write_transaction():
        User.objects.create_user("ghost")
        raise RuntimeError("refused")
    assert not User.objects.filter(username="ghost").exists()
    assert not db._sqlite_writers.locked()


@pytest.mark.django_db(transaction=True)
def test_a_nested_write_is_a_savepoint_and_does_not_wait_for_itself():
    with write_transaction(), write_transaction():
        assert connection.in_atomic_block
    assert not db._sqlite_writers.locked()


def test_a_writers_turn_holds_the_file_lock_other_processes_queue_at(tmp_path):
    import fcntl
    import os

    fd = db._writer_lock_fd(str(tmp_path / "sinorus.sqlite3"))
    other = os.open(tmp_path / "sinorus.sqlite3-writer.lock", os.O_RDWR)  # as another process opens it
    try:
        with db._turn(fd, 5.0), pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once the turn ends
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)
    assert not db._sqlite_writers.locked()


def test_a_memory_database_has_no_file_lock():
    assert db._writer_lock_fd(":memory:") is None
    assert db._writer_lock_fd("file:memorydb_default?mode=memory&cache=shared") is None


def test_a_writer_queued_behind_another_process_gives_up_after_the_database_timeout(tmp_path):
    import fcntl
    import os

    from django.db import OperationalError

    fd = db._writer_lock_fd(str(tmp_path / "sinorus.sqlite3"))
    other = os.open(tmp_path / "sinorus.sqlite3-writer.lock", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)  # another process's long write holds the queue
    try:
        with pytest.raises(OperationalError, match="database is locked"), db._turn(fd, 0.3):
            pass  # the 503 page's "database is locked", as SQLite's own wait ends
    finally:
        os.close(other)
    assert not db._sqlite_writers.locked()
