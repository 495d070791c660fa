"""An instructor's custom tags are theirs: other instructors never see them offered, nor in a
bundle's README, and no import puts one in the public layer."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from annotations.models import Activity, Annotation, Tag
from annotations.services.activities import activity_create
from annotations.services.datasheet import datasheet
from annotations.services.exports import ExportFilter


@pytest.fixture
def secret(corpus, instructor):
    now = timezone.now()
    activity = activity_create(
        owner=instructor,
        kind=Activity.Kind.EXERCISE,
        title="Private tags",
        instructions="",
        articles=corpus[:2],
        tags=Tag.objects.public(),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        blind=True,
        custom_tags=[("Secretlabel", "private instructor tag")],
    )
    return activity, Tag.objects.get(name="Secretlabel")


def _upload(article) -> SimpleUploadedFile:
    row = {"article_id": article.pk, "start": 0, "end": 20, "exact": article.current.text[:20], "tag": "nothing-known"}
    return SimpleUploadedFile("a.jsonl", json.dumps(row).encode())


def test_another_instructor_is_never_offered_a_custom_tag(client, corpus, secret, editor):
    client.force_login(editor)
    for name in ("annotations:import", "annotations:export"):
        assert "Secretlabel" not in client.get(reverse(name)).content.decode()
    data = {"file": _upload(corpus[0]), "default_tag": "secretlabel", "authors": "file"}
    response = client.post(reverse("annotations:import"), data)
    assert response.status_code == 400 and not Annotation.objects.exists()


def test_no_import_puts_a_custom_tag_in_the_public_layer(client, corpus, secret, instructor):
    activity, _tag = secret
    client.force_login(instructor)
    data = {"file": _upload(corpus[0]), "default_tag": "secretlabel", "authors": "file"}
    response = client.post(reverse("annotations:import"), data)
    assert response.status_code == 400 and "is a tag of your own activities" in response.content.decode()
    assert not Annotation.objects.exists()
    data = {"file": _upload(corpus[0]), "default_tag": "secretlabel", "authors": "file", "activity": activity.pk}
    assert client.post(reverse("annotations:import"), data).status_code == 302  # in its own activity: fine
    assert Annotation.objects.get().tag.slug == "secretlabel"


def test_a_bundles_readme_lists_the_public_tags_and_the_exported_activitys_own(secret):
    activity, _tag = secret
    public = datasheet(ExportFilter(), [], 0, [])
    assert "Secretlabel" not in public and "**Claim**" in public
    assert "Secretlabel" in datasheet(ExportFilter(activity=activity), [], 0, [])


def test_a_bundles_label_studio_config_names_no_other_instructors_tags(secret, editor):
    import io
    import zipfile

    from annotations.services.exports import write_export

    out = io.BytesIO()
    write_export("bundle", editor, ExportFilter(), out)
    config = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("labelstudio-config.xml").decode()
    assert "secretlabel" not in config and 'value="claim"' in config
