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
