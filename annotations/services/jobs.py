"""Queue long work for the task worker and record it as a Job the pages can follow.

A job's worker touches `Job.heartbeat_at` every few seconds while it runs. When a worker dies
under a job (killed, out of memory), the heartbeat stops; `jobs_recover_stale` then queues the
job again, or fails it with a reason after `Job.MAX_ATTEMPTS`, and removes any half-written file.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotations.models import Job

HEARTBEAT_SECONDS = 5
STALE_AFTER = timedelta(seconds=45)  # nine missed heartbeats: the worker is gone


def job_align(*, user=None) -> Job:
    """Queue a recomputation of the alignment (one at a time: a queued one is reused)."""
    pending = Job.objects.filter(kind=Job.Kind.ALIGN, status=Job.Status.QUEUED).first()
    if pending:
        return pending
    job = Job.objects.create(kind=Job.Kind.ALIGN, owner=user if user and user.is_authenticated else None)
    transaction.on_commit(lambda: _enqueue(job))
    return job


def job_export(*, user, fmt: str, params: dict) -> Job:
    job = Job.objects.create(kind=Job.Kind.EXPORT, owner=user, params={**params, "format": fmt})
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    from annotations.tasks import align_corpus, export_corpus  # the tasks import this module

    (align_corpus if job.kind == Job.Kind.ALIGN else export_corpus).enqueue(job.pk)


def realign_after_change(sender, user=None, **kwargs) -> Job:
    """Signal receiver; the job it returns is the one the sender's page can point to."""
    return job_align(user=user)


def export_target(job: Job, extension: str) -> Path:
    """Where an export job writes its file (and, while writing, `<name>.partial` beside it)."""
    return Path(settings.EXPORT_DIR) / f"job-{job.pk}-{job.params.get('format', 'export')}.{extension}"


@contextmanager
def job_heartbeat(job_id: int):
    """Mark the job running and keep its heartbeat fresh from a thread until the block ends."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def jobs_recover_stale(*, now=None) -> list[Job]:
    """Queue again (or fail) every running job whose worker stopped beating; return them."""
    now = now or timezone.now()
    stale = list(Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER))
    for job in stale:
        for partial in Path(settings.EXPORT_DIR).glob(f"job-{job.pk}-*.partial"):
            partial.unlink(missing_ok=True)
        if job.attempts < Job.MAX_ATTEMPTS:
            job.status, job.message = Job.Status.QUEUED, "queued again: the worker stopped during the job"
            job.save(update_fields=["status", "message"])
            transaction.on_commit(lambda job=job: _enqueue(job))
        else:
            job.status, job.finished_at = Job.Status.FAILED, now
            job.message = f"failed: the worker stopped during the job {job.attempts} times"
            job.save(update_fields=["status", "message", "finished_at"])
    return stale
