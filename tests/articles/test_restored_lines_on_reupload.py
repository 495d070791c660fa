"""A line staff restored survives a changed file uploaded later: once, where it was."""

from __future__ import annotations

from articles.models import Article
from articles.services.revisions import article_import, revision_restore_line


def test_a_restored_line_is_kept_once_on_reupload_even_when_the_new_file_repeats_its_words(corpus, seed_paths):
    article = Article.objects.get(source__startswith="000")
    number = next(r["number"] for r in article.current.removed if r["line"] == "From English")
    revision_restore_line(article=article, number=number)
    path = next(p for p in seed_paths if p.name.startswith("000"))
    # the new version carries the same boilerplate words a second time, in the page's chrome
    changed = path.read_bytes().replace(b"Leave a Reply", b"From English\n\nLeave a Reply")
    outcome = article_import(source=path.name, data=changed)
    assert outcome.revision.text.count("From English") == 1
    assert "1 line restored in the earlier version kept again" in outcome.revision.warnings
