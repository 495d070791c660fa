"""A line staff restored survives a changed file uploaded later: once, where it was."""

from __future__ import annotations

from articles.models import Article
from articles.services.revisions import article_import, revision_restore_line


def restored_then_uploaded(seed_paths, change) -> object:
    """Seed 000 with its "From English" line restored by staff, then the file uploaded changed by `change`."""
    article = Article.objects.get(source__startswith="000")
    number = next(r["number"] for r in article.current.removed if r["line"] == "From English")
    revision_restore_line(article=article, number=number)
    path = next(p for p in seed_paths if p.name.startswith("000"))
    return article_import(source=path.name, data=change(path.read_bytes()))


def test_a_line_restored_by_staff_stays_when_a_changed_file_is_uploaded(corpus, seed_paths):
    outcome = restored_then_uploaded(
        seed_paths, lambda raw: raw.replace(b"was not just symbolic", b"was far from symbolic")
    )
    assert outcome.status == "revised" and "far from symbolic" in outcome.revision.text
    assert "From English" in outcome.revision.text  # the restored line, found again by its words
    assert "1 line restored in the earlier version kept again" in outcome.revision.warnings


def test_a_restored_line_is_kept_once_on_reupload_even_when_the_new_file_repeats_its_words(corpus, seed_paths):
    # the new version carries the same boilerplate words a second time, in the page's chrome
    outcome = restored_then_uploaded(
        seed_paths, lambda raw: raw.replace(b"Leave a Reply", b"From English\n\nLeave a Reply")
    )
    assert outcome.revision.text.count("From English") == 1
    assert "1 line restored in the earlier version kept again" in outcome.revision.warnings
