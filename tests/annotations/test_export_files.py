"""Export files on disk: private to their owner, and the command's errors are one clear line."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def everyday_umask():
    old = os.umask(0o022)  # the usual default, under which plain open() makes files world-readable
    yield
    os.umask(old)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["jsonl", "bundle"])
def test_exported_files_are_readable_by_their_owner_only(
    article, alice, make_annotation, tmp_path, everyday_umask, fmt
):
    make_annotation(alice, article, article.current.text.split()[0])
    out = tmp_path / f"export.{fmt}"
    call_command("export_corpus", "--format", fmt, "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_an_export_over_a_stale_partial_file_is_still_private(article, tmp_path, everyday_umask):
    out = tmp_path / "export.jsonl"
    (tmp_path / "export.jsonl.partial").write_text("left over")
    os.chmod(tmp_path / "export.jsonl.partial", 0o644)
    call_command("export_corpus", "--format", "jsonl", "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_exporting_as_a_user_who_may_not_export_is_one_clear_error(article, alice, tmp_path):
    out = tmp_path / "export.jsonl"
    with pytest.raises(CommandError, match="alice may not export"):
        call_command("export_corpus", "--format", "jsonl", "--out", str(out), "--as-user", "alice")
    assert not out.exists()


@pytest.mark.django_db
def test_exporting_as_a_user_who_does_not_exist_is_one_clear_error(article, tmp_path):
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("export_corpus", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"), "--as-user", "nobody")
