from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.utils import timezone

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


def _row(annotation_id: int) -> dict:
    from annotations.models import Annotation

    row = Annotation.objects.filter(pk=annotation_id).values().get()
    row.pop("id")
    return row


def test_insert_new_stores_what_save_stores(article, alice):
    from annotations.models import Annotation, Tag
    from sinorus.db import insert_new

    def fresh() -> Annotation:
        return Annotation(
            revision=article.current,
            annotator=alice,
            tag=Tag.objects.get(slug="claim"),
            note='<b>kept</b><script>alert("x")</script>\x00',  # the field sanitizes on every path
            start=0,
            end=5,
            exact=article.current.text[:5],
            created_at=timezone.now(),
        )

    saved, inserted = fresh(), fresh()
    inserted.created_at = inserted.modified_at = saved.modified_at = saved.created_at
    saved.save()
    insert_new(inserted)
    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    assert _row(inserted.pk) == _row(saved.pk)
    assert _row(inserted.pk)["note"] == '<b>kept</b>alert("x")'


def test_insert_new_goes_through_save_when_a_receiver_listens(article, alice):
    from django.db.models.signals import post_save

    from annotations.models import Annotation, Tag
    from sinorus.db import insert_new

    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=Annotation)
    try:
        annotation = Annotation(
            revision=article.current, annotator=alice, tag=Tag.objects.get(slug="claim"), start=0, end=5, exact="x"
        )
        insert_new(annotation)
    finally:
        post_save.disconnect(receiver, sender=Annotation)
    assert heard == [(annotation.pk, True)]


@pytest.mark.django_db(transaction=True)
def test_the_wal_is_checkpointed_beside_the_writers_every_few_commits():
    from django.contrib.auth.models import Group

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or db._writer_lock_fd(name) is None:
        # A server database, or SQLite in memory, has no WAL file of ours to copy back: no thread.
        with write_transaction():
            Group.objects.create(name="no checkpoint")
        assert (os.getpid(), name) not in db._checkpointers
        Group.objects.filter(name="no checkpoint").delete()
        return
    checkpointer = db._checkpointer(str(connection.settings_dict["NAME"]))
    before = checkpointer.checkpoints
    for n in range(db.CHECKPOINT_EVERY):
        with write_transaction():
            Group.objects.create(name=f"checkpoint {n}")
    deadline = time.monotonic() + 5
    while checkpointer.checkpoints == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert checkpointer.checkpoints > before
    Group.objects.filter(name__startswith="checkpoint ").delete()


def test_a_prepared_insert_writes_nothing_until_it_is_called(article, alice):
    from annotations.models import Annotation, Tag
    from sinorus.db import prepared_insert

    annotation = Annotation(
        revision=article.current, annotator=alice, tag=Tag.objects.get(slug="claim"), start=0, end=5, exact="x"
    )
    insert = prepared_insert(annotation)
    assert not Annotation.objects.exists() and annotation.pk is None
    with write_transaction():
        insert()
    assert Annotation.objects.get().pk == annotation.pk


def test_insert_new_refuses_an_unsaved_related_object_as_save_does(article, alice):
    from annotations.models import Annotation, Tag
    from sinorus.db import insert_new

    claim = Tag.objects.get(slug="claim")
    unsaved = Annotation(revision=article.current, annotator=alice, tag=claim, start=0, end=5, exact="x")
    copy = Annotation(revision=article.current, annotator=alice, tag=claim, start=0, end=5, exact="x", source=unsaved)
    with pytest.raises(ValueError, match="unsaved related object 'source'"):
        insert_new(copy)  # a nullable key: storing NULL would lose the link without a word
    assert not Annotation.objects.exists()


def test_insert_new_stores_a_related_object_saved_after_it_was_assigned(article, alice):
    from annotations.models import Annotation, Tag
    from sinorus.db import insert_new

    claim = Tag.objects.get(slug="claim")
    source = Annotation(revision=article.current, annotator=alice, tag=claim, start=0, end=5, exact="x")
    copy = Annotation(revision=article.current, annotator=alice, tag=claim, start=0, end=6, exact="x", source=source)
    source.save()
    insert_new(copy)
    assert Annotation.objects.get(pk=copy.pk).source_id == source.pk
