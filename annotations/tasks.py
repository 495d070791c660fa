"""Work that runs in the task worker (`manage.py db_worker`), never in a web request."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from annotations.models import Activity, Job


def _update(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(**fields)


@task()
def align_corpus(job_id: int) -> None:
    from articles.services import alignment_compute

    _update(job_id, status=Job.Status.RUNNING, message="starting")
    try:
        count = alignment_compute(
            progress=lambda step, total, message: _update(job_id, step=step, total=total, message=message)
        )
    except Exception as exc:
        _update(job_id, status=Job.Status.FAILED, message=f"failed: {exc}"[:300], finished_at=timezone.now())
        raise
    _update(job_id, status=Job.Status.DONE, message=f"{count} groups", finished_at=timezone.now())


@task()
def export_corpus(job_id: int) -> None:
    from django.contrib.auth import get_user_model

    from annotations.services.exports import FILE_NAMES, ZIP_FORMATS, ExportFilter, export_queryset, export_to_file

    job = Job.objects.get(pk=job_id)
    p = job.params
    user = get_user_model().objects.get(pk=job.owner_id) if job.owner_id else None
    activity = Activity.objects.filter(pk=p.get("activity")).first() if p.get("activity") else None
    flt = ExportFilter(
        p.get("articles", []),
        activity,
        p.get("annotator", ""),
        p.get("tag", ""),
        p.get("layer", ""),
        p.get("names", False),
        label=p.get("label", ""),
        utf16=p.get("utf16", False),
    )
    folder = Path(settings.EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    extension = "zip" if p["format"] in ZIP_FORMATS else FILE_NAMES.get(p["format"], p["format"])
    target = folder / f"job-{job_id}-{p['format']}.{extension}"
    _update(job_id, status=Job.Status.RUNNING, total=export_queryset(user, flt).count(), message="writing")
    try:
        count = export_to_file(p["format"], user, flt, target, base=p.get("base", ""))
    except Exception as exc:
        _update(job_id, status=Job.Status.FAILED, message=f"failed: {exc}"[:300], finished_at=timezone.now())
        raise
    _update(
        job_id,
        status=Job.Status.DONE,
        step=count,
        message=f"{count} annotations",
        result_file=str(target),
        finished_at=timezone.now(),
    )
