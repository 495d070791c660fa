"""Work that runs in the task worker (`manage.py run_worker`), never in a web request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from annotations.models import Job
from annotations.services.exports import FILE_NAMES, ZIP_FORMATS, ExportFilter, export_queryset, export_to_file
from annotations.services.jobs import export_target, job_heartbeat
from articles.services.alignment_increments import alignment_update


def _update(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(**fields)


def _start(job_id: int) -> bool:
    """Claim a queued or re-queued job for this run; False if it is already done or failed."""
    return bool(
        Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            attempts=F("attempts") + 1, message="starting"
        )
    )


def _failed(job_id: int, exc: BaseException) -> None:
    _update(job_id, status=Job.Status.FAILED, message=f"failed: {exc}"[:300], finished_at=timezone.now())


@task()
def align_corpus(job_id: int) -> None:
    if not _start(job_id):
        return
    with job_heartbeat(job_id):
        try:
            count = alignment_update(
                progress=lambda step, total, message: _update(job_id, step=step, total=total, message=message)
            )
        except Exception as exc:
            _failed(job_id, exc)
            raise
    _update(job_id, status=Job.Status.DONE, message=f"{count} groups", finished_at=timezone.now())


@task()
def export_corpus(job_id: int) -> None:
    if not _start(job_id):
        return
    job = Job.objects.get(pk=job_id)
    user = get_user_model().objects.get(pk=job.owner_id) if job.owner_id else None
    flt = ExportFilter.from_params(job.params)
    fmt = job.params["format"]
    target = export_target(job, "zip" if fmt in ZIP_FORMATS else FILE_NAMES.get(fmt, fmt))
    target.parent.mkdir(parents=True, exist_ok=True)
    with job_heartbeat(job_id):
        _update(job_id, total=export_queryset(user, flt).count(), message="writing")
        try:
            count = export_to_file(fmt, user, flt, target, base=job.params.get("base", ""))
        except Exception as exc:
            _failed(job_id, exc)
            raise
    _update(
        job_id,
        status=Job.Status.DONE,
        step=count,
        message=f"{count} annotation{'' if count == 1 else 's'}",
        result_file=str(target),
        finished_at=timezone.now(),
    )
