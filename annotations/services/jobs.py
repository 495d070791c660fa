"""Queue long work for the task worker and record it as a Job the pages can follow."""

from __future__ import annotations

from django.db import transaction

from annotations.models import Job


def job_align(*, user=None) -> Job:
    """Queue a recomputation of the alignment (one at a time: a queued one is reused)."""
    from annotations.tasks import align_corpus

    pending = Job.objects.filter(kind=Job.Kind.ALIGN, status=Job.Status.QUEUED).first()
    if pending:
        return pending
    job = Job.objects.create(kind=Job.Kind.ALIGN, owner=user if user and user.is_authenticated else None)
    transaction.on_commit(lambda: align_corpus.enqueue(job.pk))
    return job


def job_export(*, user, fmt: str, params: dict) -> Job:
    from annotations.tasks import export_corpus

    job = Job.objects.create(kind=Job.Kind.EXPORT, owner=user, params={**params, "format": fmt})
    transaction.on_commit(lambda: export_corpus.enqueue(job.pk))
    return job


def realign_after_change(sender, user=None, **kwargs) -> None:
    job_align(user=user)
