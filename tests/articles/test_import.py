from __future__ import annotations

import codecs

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Revision
from articles.services.processing import ArticleImportError
from articles.services.revisions import article_import, revision_restore_line

GOOD = b"A short test headline for import\n\nThe body has one real sentence that ends properly. And a second one.\n"

pytestmark = pytest.mark.usefixtures("without_seeds")


def test_seed_corpus_imports_five_articles(corpus):
    assert Article.objects.count() == 5
    assert all(a.current.text for a in Article.objects.select_related("current"))


def test_importing_the_same_file_again_changes_nothing(db):
    first = article_import(source="a.txt", data=GOOD)
    again = article_import(source="a.txt", data=GOOD)
    assert (first.status, again.status) == ("created", "unchanged")
    assert Revision.objects.count() == 1


def test_a_changed_file_becomes_a_new_revision_and_keeps_the_old_one(db):
    article_import(source="a.txt", data=GOOD)
    outcome = article_import(source="a.txt", data=GOOD + b"\nA third sentence was added later.\n")
    assert outcome.status == "revised"
    assert outcome.revision.number == 2
    assert list(outcome.article.revisions.values_list("number", flat=True)) == [1, 2]
    assert "A third sentence" not in Revision.objects.get(number=1).text
    assert outcome.article.current == outcome.revision


def test_raw_file_is_stored_verbatim(db, seed_paths):
    data = seed_paths[3].read_bytes()
    revision = article_import(source=seed_paths[3].name, data=data).revision
    revision.refresh_from_db()
    assert bytes(revision.raw) == data


def test_sentence_and_paragraph_offsets_index_the_cleaned_text_in_code_points(db):
    data = "Emoji headline 😀 for offsets\n\nThe 😀 sign is one code point. Then “curly” text follows é.\n".encode()
    revision = article_import(source="emoji.txt", data=data).revision
    sentences = [revision.text[s:e] for s, e in revision.sentences]
    assert sentences == ["The 😀 sign is one code point.", "Then “curly” text follows é."]
    start, end, kind, _line = revision.paragraphs[0]
    assert revision.text[start:end].startswith("The 😀")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b"  \n\t\n   ", "only whitespace"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_unreadable_files_fail_with_a_clear_reason_and_leave_nothing(db, data, reason):
    with pytest.raises(ArticleImportError) as excinfo:
        article_import(source="bad.txt", data=data)
    assert reason in str(excinfo.value)
    assert str(excinfo.value).startswith("bad.txt: ")
    assert Article.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(db, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    with pytest.raises(ArticleImportError, match="over the 1,000-byte limit"):
        article_import(source="big.txt", data=GOOD * 40)
    assert Article.objects.count() == 0


def test_utf16_with_bom_is_decoded_with_a_warning(db):
    data = codecs.BOM_UTF16_LE + "Ünïcode headline in UTF-16 text\n\nBody sentence with ü.\n".encode("utf-16-le")
    outcome = article_import(source="u16.txt", data=data)
    assert outcome.revision.title == "Ünïcode headline in UTF-16 text"
    assert any("UTF-16" in w for w in outcome.warnings)


def test_latin1_file_is_decoded_with_a_warning(db):
    data = "Café society meets in Zürich again\n\nThe café in Zürich served crème brûlée to everyone there.\n".encode(
        "latin-1"
    )
    outcome = article_import(source="latin.txt", data=data)
    assert "crème brûlée" in outcome.revision.text
    assert any("not UTF-8" in w for w in outcome.warnings)


def test_a_48kb_file_without_newlines_imports_as_one_paragraph(db):
    sentence = "This long scraped article never breaks its lines at all. "
    data = (sentence * (48_000 // len(sentence))).encode()
    outcome = article_import(source="oneline.txt", data=data)
    assert len(outcome.revision.paragraphs) == 1
    assert len(outcome.revision.sentences) > 500
    assert any("no line breaks" in w for w in outcome.warnings)


def test_html_saved_as_text_is_extracted_without_scripts(db):
    html = b"""<!doctype html><html><head><title>Harbour news today</title><script>alert('x')</script></head>
    <body><nav><a href="/">Home</a></nav><article><h1>Harbour news today</h1>
    <p>The harbour reopened on Tuesday after a decade of decline, officials said at a press conference.</p>
    <p>Workers welcomed the news but warned that earlier owners had made the same promises before.</p>
    </article><script>document.write('evil')</script></body></html>"""
    outcome = article_import(source="page.txt", data=html)
    assert "harbour reopened on Tuesday" in outcome.revision.text
    assert "alert" not in outcome.revision.text and "evil" not in outcome.revision.text
    assert any("HTML" in w for w in outcome.warnings)


def test_html_file_is_extracted_by_extension(db):
    html = (
        b"<html><body><article><h1>Port story</h1><p>"
        + b"A sentence about the port and its cranes. " * 10
        + b"</p></article></body></html>"
    )
    outcome = article_import(source="page.html", data=html)
    assert outcome.revision.is_html
    assert "A sentence about the port and its cranes." in outcome.revision.text


def test_command_imports_good_files_reports_bad_ones_and_exits_nonzero(db, tmp_path, capsys):
    (tmp_path / "good.txt").write_bytes(GOOD)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", str(tmp_path))
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err
    assert "empty.txt: is empty" in err
    assert "binary.txt: looks like a binary file" in err
    assert list(Article.objects.values_list("source", flat=True)) == ["good.txt"]


def test_command_on_seed_folder_twice_is_harmless(db, seed_paths, capsys):
    folder = str(seed_paths[0].parent)
    call_command("import_articles", folder)
    call_command("import_articles", folder)
    assert "0 new, 0 revised, 5 unchanged, 0 failed" in capsys.readouterr().out
    assert Revision.objects.count() == 5


def test_export_articles_prints_one_json_object_per_article(corpus, capsys):
    import json

    call_command("export_articles")
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 5
    assert set(records[0]) >= {
        "id",
        "source",
        "title",
        "byline",
        "standfirst",
        "truncated",
        "text",
        "removed",
        "warnings",
    }
    trenin = next(r for r in records if r["source"].startswith("000"))
    assert trenin["byline"] == "Dmitry Trenin"  # its people, as an HTML page's author field gives them
    assert {"line": "Leave a Reply"}.items() <= next(
        r for r in trenin["removed"] if r["line"] == "Leave a Reply"
    ).items()
    assert next(r for r in records if r["source"].startswith("004"))["truncated"] is True


def test_restoring_a_dropped_line_makes_a_new_revision_with_it(corpus):
    article = Article.objects.get(source__startswith="000")
    number = next(r["number"] for r in article.current.removed if r["line"] == "From English")
    revision = revision_restore_line(article=article, number=number)
    assert revision.number == 2
    assert "From English" in revision.text
    assert "From English" not in article.revisions.get(number=1).text
    assert revision.kept_lines == [number]


def test_html_page_takes_title_and_byline_from_its_metadata_and_keeps_the_first_sentence(db):
    paragraph = b"<p>The harbour reopened on Monday after a year of repairs, and the first ferry left at dawn with forty passengers on board.</p>"
    html = (
        b'<html><head><title>Harbour reopens after repairs</title><meta name="author" content="Maria Lindqvist"></head>'
        b"<body><article><h1>Harbour reopens after repairs</h1>" + paragraph * 3 + b"</article></body></html>"
    )
    revision = article_import(source="harbour.html", data=html).revision
    assert revision.title == "Harbour reopens after repairs"
    assert revision.byline == "Maria Lindqvist"
    assert revision.text.startswith("The harbour reopened on Monday")


def test_a_dateline_in_its_own_element_is_kept_apart_from_the_first_sentence(db):
    paragraph = b"<p>Ferries ran again on Monday after a year of repairs, and the first one left at dawn with forty passengers.</p>"
    html = (
        b"<html><head><title>Harbour reopens after repairs</title></head><body><article><h1>Harbour reopens after repairs</h1>"
        b'<p><span class="dateline">Hong Kong (Harbour Wire)</span>The harbour reopened on Monday after a year of repairs.</p>'
        + paragraph * 3
        + b"</article></body></html>"
    )
    revision = article_import(source="dateline.html", data=html).revision
    assert revision.text.startswith("Hong Kong (Harbour Wire) The harbour reopened on Monday")


def test_the_report_of_an_html_page_says_its_lines_are_of_the_extracted_text(client, db, editor):
    from articles.services.revisions import article_import

    page = (
        "<html><head><title>Harbour news</title></head><body><nav>Home | World | Sport</nav><article>"
        "<h1>Harbour reopens after storm</h1>"
        + "".join(
            f"<p>The harbour reopened on Monday after the storm, officials said, paragraph {n}.</p>" for n in range(6)
        )
        + "</article><footer>Contact us</footer></body></html>"
    )
    article = article_import(source="harbour.html", data=page.encode()).article
    report = client.get(f"/articles/{article.pk}/report/").content.decode()
    assert "line numbers count lines of the extracted text, not of the HTML file" in report
    # What the extractor left out of the page is listed, and nothing of the article is.
    left = report[report.index('id="left-out"') : report.index("<h2>Revisions</h2>")]
    assert "Left out of the page (2 blocks)" in left
    assert '<li class="dropped-text">Home | World | Sport</li>' in left and ">Contact us</li>" in left
    assert "paragraph 3" not in left and "Harbour reopens after storm" not in left
    # An editor adds the footer to the text: the list then holds what is still left out.
    from annotations.services.corrections import article_text_correct

    article_text_correct(editor=editor, article=article, text=article.current.text + "\n\nContact us")
    report = client.get(f"/articles/{article.pk}/report/").content.decode()
    left = report[report.index('id="left-out"') : report.index("<h2>Revisions</h2>")]
    assert "Left out of the page (1 block)" in left and "Home | World | Sport" in left and "Contact us" not in left
