"""A new revision of an article (re-import, restored line, correction) carries every annotation with it."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from annotations.models import Activity, Annotation, Decision, Job, Orphan, Reply
from annotations.pages.dashboard import exercise_dashboard
from annotations.services.activities import activity_join, decision_record
from annotations.services.annotations import RevisionSuperseded, annotation_create, annotation_update
from annotations.services.exports import ExportFilter, export_records
from annotations.services.threads import reply_add
from articles.services.revisions import article_import, revision_restore_line
from tests.factories import make_activity

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."


@pytest.fixture
def graded(article, instructor, alice):
    """An exercise on the article with a key annotation by the instructor and a student's annotation."""
    exercise = make_activity(instructor, [article])
    activity_join(user=alice, code=exercise.join_code)
    start = article.current.text.index(PHRASE)
    for user, layer in ((instructor, Annotation.Layer.KEY), (alice, Annotation.Layer.INDIVIDUAL)):
        annotation_create(
            user=user,
            revision=article.current,
            start=start,
            end=start + len(PHRASE),
            exact=PHRASE,
            tag="claim",
            activity=exercise,
            layer=layer,
        )
    return exercise


def _reupload_with_a_trailing_newline(article):
    data = bytes(article.current.raw) + b"\n"
    return article_import(source=article.source, data=data)


def test_reuploading_a_file_with_one_more_newline_keeps_a_class_and_its_answer_key(article, graded, alice):
    before = exercise_dashboard(graded)
    outcome = _reupload_with_a_trailing_newline(article)
    assert outcome.status == "revised" and (outcome.moved, outcome.orphaned) == (2, 0)
    article.refresh_from_db()
    assert Annotation.objects.filter(revision=article.current, activity=graded).count() == 2
    assert Annotation.objects.filter(revision=article.current, layer=Annotation.Layer.KEY).exists()
    graded.refresh_from_db()
    assert exercise_dashboard(graded)["progress"] == before["progress"]


def test_restoring_a_line_moves_annotations_with_replies_decisions_resolved_state_and_versions(
    corpus, instructor, alice, bob
):
    article = corpus[0]
    review = make_activity(instructor, [article], kind=Activity.Kind.REVIEW, blind=False)
    activity_join(user=alice, code=review.join_code)
    start = article.current.text.index(PHRASE)
    annotation = annotation_create(
        user=alice,
        revision=article.current,
        start=start,
        end=start + len(PHRASE),
        exact=PHRASE,
        tag="claim",
        activity=review,
    )
    annotation = annotation_update(annotation=annotation, version=1, note="edited once")
    reply_add(user=instructor, annotation=annotation, body="Source?")
    decision_record(editor=instructor, annotation=annotation, verdict=Decision.Verdict.ACCEPT)
    Annotation.objects.filter(pk=annotation.pk).update(thread_resolved_at=timezone.now())
    removed = article.current.removed[0]["number"]
    revision = revision_restore_line(article=article, number=removed)
    moved = Annotation.objects.get(pk=annotation.pk)
    assert moved.revision_id == revision.pk and revision.text[moved.start : moved.end] == PHRASE
    assert moved.version == 2 and moved.note == "edited once" and moved.thread_resolved_at is not None
    assert Reply.objects.filter(annotation=moved).count() == 1 and Decision.objects.filter(annotation=moved).exists()
    consensus = Annotation.objects.get(layer=Annotation.Layer.CONSENSUS)
    assert consensus.revision_id == revision.pk  # the consensus copy follows as well
    assert revision.carried == {"moved": 2, "orphaned": 0}


def test_an_annotation_whose_text_is_gone_from_a_reimport_becomes_an_orphan_with_its_reason(article, alice):
    text = article.current.text
    start = text.index(PHRASE)
    annotation = annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(PHRASE), exact=PHRASE, tag="claim"
    )
    raw = bytes(article.current.raw).decode("utf-8").replace(PHRASE, "An entirely different opening sentence here.")
    outcome = article_import(source=article.source, data=raw.encode())
    assert (outcome.moved, outcome.orphaned) == (0, 1)
    orphan = Orphan.objects.get(source_annotation=annotation)
    assert orphan.origin == Orphan.Origin.REVISION and "re-import" in orphan.reason


def test_the_upload_result_and_the_import_report_say_how_many_annotations_moved(client, staff, article, alice):
    start = article.current.text.index(PHRASE)
    annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(PHRASE), exact=PHRASE, tag="claim"
    )
    client.force_login(staff)
    data = bytes(article.current.raw) + b"\n"
    page = client.post(reverse("articles:upload"), {"files": [SimpleUploadedFile(article.source, data)]})
    assert "1 annotation moved to the new revision" in page.content.decode()
    job = Job.objects.get(kind=Job.Kind.ALIGN)
    assert f'<a href="{job.get_absolute_url()}?a={article.pk}">follow its progress</a>' in page.content.decode()
    # once done, its way to the aligned view shows the articles uploaded (the corpus's first five otherwise)
    job.status = Job.Status.DONE
    job.save(update_fields=["status"])
    done = client.get(f"{job.get_absolute_url()}?a={article.pk}").content.decode()
    assert f'href="/compare/?a={article.pk}">See the aligned view of these articles</a>' in done
    assert f'hx-get="{job.get_absolute_url()}?a={article.pk}"' not in done  # done: no more polling
    report = client.get(reverse("articles:report", args=[article.pk])).content.decode()
    assert "1 annotation moved here" in report and "kept as an orphan" in report
    client.logout()  # the counts take in private exercises' work: a reader sees the revisions without them
    public = client.get(reverse("articles:report", args=[article.pk])).content.decode()
    assert "Revision 2" in public and "moved here" not in public


def test_a_create_aimed_at_a_superseded_revision_gets_409_with_the_current_revision(client, article, alice):
    old = article.current
    _reupload_with_a_trailing_newline(article)
    article.refresh_from_db()
    start = old.text.index(PHRASE)
    client.force_login(alice)
    url = reverse("annotations:api_article_annotations", args=[article.pk]) + f"?revision={old.number}"
    body = {"start": start, "end": start + len(PHRASE), "exact": PHRASE, "tag": "claim"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["current_revision"] == article.current_id
    assert not Annotation.objects.exists()


def test_a_create_that_read_the_revision_before_a_correction_committed_is_refused(article, alice):
    stale = article.current  # what a request read before the re-import committed
    _reupload_with_a_trailing_newline(article)
    start = stale.text.index(PHRASE)
    with pytest.raises(RevisionSuperseded):
        annotation_create(user=alice, revision=stale, start=start, end=start + len(PHRASE), exact=PHRASE, tag="claim")
    assert not Annotation.objects.exists()


def test_a_reply_to_an_annotation_left_on_an_old_revision_is_refused(article, alice, bob):
    start = article.current.text.index(PHRASE)
    annotation = annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(PHRASE), exact=PHRASE, tag="claim"
    )
    raw = bytes(article.current.raw).decode("utf-8").replace(PHRASE, "An entirely different opening sentence here.")
    article_import(source=article.source, data=raw.encode())
    annotation.refresh_from_db()
    with pytest.raises(RevisionSuperseded):
        reply_add(user=bob, annotation=annotation, body="Too late")


def test_exports_list_each_annotation_once_from_the_current_revision(article, alice, staff):
    start = article.current.text.index(PHRASE)
    annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(PHRASE), exact=PHRASE, tag="claim"
    )
    _reupload_with_a_trailing_newline(article)
    _reupload_with_a_trailing_newline(article)
    records = list(export_records(staff, ExportFilter()))
    article.refresh_from_db()
    assert len(records) == 1 and records[0].revision == article.current.number
