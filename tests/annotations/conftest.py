"""Fixtures for the export and import tests: a small corpus with emoji, CJK and overlapping spans."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Group

TEXT = (
    "Emoji 😀 and 漢字 headline test\n\n"
    "The 😀 grin, 北京 meets “curly quotes”, commas, and more.\n\n"
    "A second paragraph with the figure $245 billion here.\n"
)


@pytest.fixture
def exporter(django_user_model):
    """An editor: may export and import."""
    user = django_user_model.objects.create_user("eddie", password="eddie-pass-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def doc(db, alice, bob):
    """An article with four annotations by alice and bob, two of them overlapping, one with a note."""
    from annotations.services.annotations import annotation_create
    from articles.services.revisions import article_import

    article = article_import(source="doc.txt", data=TEXT.encode()).article
    text = article.current.text

    def add(user, phrase, tag, note=""):
        start = text.index(phrase)
        return annotation_create(
            user=user, revision=article.current, start=start, end=start + len(phrase), exact=phrase, tag=tag, note=note
        )

    add(alice, "😀 grin", "claim", "<b>why</b> this")
    add(bob, "“curly quotes”", "quote")
    add(alice, "figure $245 billion", "claim")
    add(bob, "The 😀 grin, 北京 meets", "opinion")
    return article


def export(fmt: str, flt=None, user=None) -> str | bytes:
    from annotations.services.exports import BINARY_FORMATS, ExportFilter, write_export

    out = io.BytesIO() if fmt in BINARY_FORMATS else io.StringIO()
    write_export(fmt, user, flt or ExportFilter(), out)
    return out.getvalue()


def export_zip(fmt: str, flt=None) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export(fmt, flt)))
