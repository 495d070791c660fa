from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from annotations.models import Job
from articles.models import AlignmentGroup

# The worker closes its database connection after each task, as in production: these tests
# need real transactions rather than one wrapped around the test.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles_and_tags(transactional_db):
    from django.contrib.auth.models import Permission

    from annotations.defaults import ensure_default_tags, ensure_roles
    from annotations.models import Tag

    ensure_default_tags(Tag)
    ensure_roles(Group, Permission)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_web_upload_realigns_in_the_worker_not_in_the_request(
    client, staff, seed_paths, without_seeds, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in seed_paths]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("articles:upload"), {"files": files})
    job = Job.objects.get(kind="align")
    assert job.status == "queued" and not AlignmentGroup.objects.exists()
    assert "being recomputed" in client.get(reverse("annotations:compare")).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    assert AlignmentGroup.objects.exists()
    page = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Done" in page and "hx-trigger" not in page  # polling stops when the job is done


def test_one_more_uploaded_article_is_aligned_alone_by_the_worker(
    client, staff, seed_paths, without_seeds, django_capture_on_commit_callbacks
):
    from articles.models import AlignmentPassage, AlignmentRun
    from articles.services.alignment import alignment_compute
    from articles.services.revisions import article_import

    for path in seed_paths[:-1]:
        article_import(source=path.name, data=path.read_bytes())
    alignment_compute()
    client.force_login(staff)
    last = seed_paths[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("articles:upload"), {"files": [SimpleUploadedFile(last.name, last.read_bytes())]})
    run_worker()
    assert Job.objects.get(kind="align").status == "done"
    assert AlignmentRun.objects.first().kind == AlignmentRun.Kind.ADD
    assert AlignmentPassage.objects.filter(article__source=last.name).exists()


def test_a_zip_export_is_built_by_the_worker_and_downloaded_by_its_owner(
    client, corpus, alice, make_annotation, django_user_model, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.EXPORT_DIR = tmp_path
    editor = django_user_model.objects.create_user("ed")
    editor.groups.add(Group.objects.get(name="Editors"))
    make_annotation(alice, corpus[0], "first trip abroad", "quote")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("annotations:export") + "?format=bundle")
    job = Job.objects.get(kind="export")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert "Queued" in client.get(job.get_absolute_url()).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.message == "1 annotation"
    download = client.get(reverse("annotations:job_download", args=[job.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="sinorus-annotations.bundle.zip"'
    archive = zipfile.ZipFile(BytesIO(b"".join(download.streaming_content)))
    assert "annotations.jsonl" in archive.namelist()
    client.force_login(alice)
    assert client.get(reverse("annotations:job_download", args=[job.pk])).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_text_correction_queues_the_aligned_views_recomputation(
    client, corpus, editor, django_capture_on_commit_callbacks
):
    from articles.services.alignment import alignment_compute

    alignment_compute()
    article = corpus[1]
    client.force_login(editor)
    text = "A new opening paragraph the editor added.\n\n" + article.current.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("annotations:correct", args=[article.pk]), {"text": text, "base": article.current.number}
        )
    assert response.status_code == 302
    assert Job.objects.filter(kind="align").exists()  # its rows had stayed on the old revision ("Not covered.")
    run_worker()
    article.refresh_from_db()
    assert AlignmentGroup.objects.filter(passages__revision=article.current).exists()
