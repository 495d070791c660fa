"""The task worker outlives a locked database and its own death; a job whose worker died is not stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from annotations.management.commands import run_worker
from annotations.models import Job
from annotations.services.jobs import STALE_AFTER, jobs_recover_stale
from sinorus import supervisor


def _running(kind=Job.Kind.EXPORT, *, attempts=1, beat_ago=STALE_AFTER + timedelta(seconds=5), fmt="bundle"):
    return Job.objects.create(
        kind=kind,
        status=Job.Status.RUNNING,
        attempts=attempts,
        params={"format": fmt},
        heartbeat_at=timezone.now() - beat_ago,
    )


def test_a_job_whose_worker_died_is_queued_again_and_its_partial_file_removed(db, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    job = _running()
    partial = tmp_path / f"job-{job.pk}-bundle.zip.partial"
    partial.write_bytes(b"half a zip")
    assert jobs_recover_stale() == [job]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "worker stopped" in job.message
    assert not partial.exists()


def test_a_job_whose_worker_died_twice_fails_with_a_reason(db, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    job = _running(attempts=Job.MAX_ATTEMPTS)
    jobs_recover_stale()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "worker stopped during the job 2 times" in job.message


def test_a_job_with_a_fresh_heartbeat_is_left_running(db):
    job = _running(beat_ago=timedelta(seconds=2))
    assert jobs_recover_stale() == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_the_recomputing_banner_ends_when_the_alignment_jobs_worker_died(client, db):
    _running(Job.Kind.ALIGN, attempts=Job.MAX_ATTEMPTS)
    assert "being recomputed" in client.get(reverse("annotations:compare")).content.decode()
    jobs_recover_stale()
    assert "being recomputed" not in client.get(reverse("annotations:compare")).content.decode()


def test_the_job_page_notices_a_dead_worker(client, alice, db):
    job = _running(attempts=Job.MAX_ATTEMPTS)
    job.owner = alice
    job.save(update_fields=["owner"])
    client.force_login(alice)
    page = client.get(reverse("annotations:job", args=[job.pk])).content.decode()
    assert "worker stopped during the job" in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database_instead_of_exiting(monkeypatch):
    calls = []

    def locked_then_fine(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setattr(run_worker.Worker, "run", locked_then_fine)
    monkeypatch.setattr(run_worker.time, "sleep", lambda s: None)
    run_worker.run_worker(interval=0, once=True)  # the locked database is logged, not raised
    run_worker.run_worker(interval=0, once=True)
    assert len(calls) == 2


def test_the_supervisor_starts_a_new_worker_whenever_one_exits(monkeypatch):
    started = []

    class FakeWorker:
        def __init__(self, command):
            started.append(command)

        def wait(self):
            if len(started) == 3:  # the third one is stopped by SIGTERM
                handler = supervisor.signal.getsignal(supervisor.signal.SIGTERM)
                handler(supervisor.signal.SIGTERM, None)
            return -9

        def poll(self):
            return -9

        def terminate(self):
            pass

    monkeypatch.setattr(supervisor.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(supervisor.time, "sleep", lambda s: None)
    previous = {sig: supervisor.signal.getsignal(sig) for sig in (supervisor.signal.SIGTERM, supervisor.signal.SIGINT)}
    try:
        run_worker.supervise(interval=1, stdout=type("Out", (), {"write": lambda self, s: None})())
    finally:
        for sig, handler in previous.items():
            supervisor.signal.signal(sig, handler)
    assert len(started) == 3 and all("--child" in command for command in started)


@pytest.mark.parametrize("url", ["sqlite:////tmp/other.sqlite3"])
def test_a_sqlite_database_url_gets_the_same_wal_immediate_and_busy_timeout(monkeypatch, url):
    from sinorus import settings as project_settings

    monkeypatch.setenv("DATABASE_URL", url)
    options = project_settings._database()["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]
