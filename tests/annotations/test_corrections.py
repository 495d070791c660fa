"""An editor corrects a text: annotations follow it, and what cannot be found waits as an orphan."""

from __future__ import annotations

from django.urls import reverse

from annotations.models import Annotation, Orphan
from annotations.services.corrections import article_text_correct


def test_correction_keeps_the_old_revision_and_reanchors_annotations(tricky, editor):
    old_revision = tricky.current
    text = old_revision.text
    ids = set(old_revision.annotations.values_list("pk", flat=True))
    corrected = "Inserted words at the start. " + text.replace("commas, and more", "commas and more").replace(
        "A second paragraph", "A 2nd paragraph"
    )
    revision, moved, orphaned = article_text_correct(editor=editor, article=tricky, text=corrected)
    old_revision.refresh_from_db()
    assert revision.number == 2 and old_revision.text == text  # the old text is kept
    assert moved + orphaned == 4
    assert set(revision.annotations.values_list("pk", flat=True)) <= ids  # the same annotations moved
    for annotation in Annotation.objects.filter(revision=revision):
        assert revision.text[annotation.start : annotation.end] == annotation.exact
    assert Annotation.objects.filter(revision=revision, exact="“curly quotes”").exists()


def test_a_highlight_whose_text_was_deleted_becomes_an_orphan_with_its_quote(tricky, editor):
    text = tricky.current.text
    corrected = text.replace("A second paragraph with the figure $245 billion here.", "A rewritten ending.")
    _revision, _moved, orphaned = article_text_correct(editor=editor, article=tricky, text=corrected)
    assert orphaned == 1
    orphan = Orphan.objects.get()
    assert orphan.exact == "figure $245 billion" and orphan.origin == "correction"


def test_orphans_can_be_reattached_or_dismissed(client, tricky, editor):
    text = tricky.current.text
    article_text_correct(editor=editor, article=tricky, text=text.replace("figure $245 billion", "number"))
    orphan = Orphan.objects.get()
    client.force_login(editor)
    client.post(reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": "number"})
    orphan.refresh_from_db()
    assert orphan.resolution == "reattached"
    assert Annotation.objects.filter(revision=tricky.current, exact="number").exists()


def test_only_editors_correct_text(client, tricky, alice, editor):
    url = reverse("annotations:correct", args=[tricky.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "  "}).status_code == 400
    tricky.refresh_from_db()
    assert tricky.current.number == 1


def test_the_correction_page_warns_how_many_annotations_will_move(client, tricky, editor):
    client.force_login(editor)
    page = client.get(reverse("annotations:correct", args=[tricky.pk])).content.decode()
    assert "This text carries 4 annotations" in page and "never dropped" in page


def test_after_a_correction_a_dropped_line_is_not_restored_over_it_and_the_report_says_why(client, corpus, editor):
    import pytest

    from articles.services.revisions import revision_restore_line

    article = corpus[0]
    dropped = article.current.removed[0]["number"]
    text = article.current.text.replace("was not just symbolic", "was far from symbolic")
    revision, _moved, _orphaned = article_text_correct(editor=editor, article=article, text=text)
    article.refresh_from_db()
    with pytest.raises(ValueError, match="would undo that correction"):
        revision_restore_line(article=article, number=dropped)
    article.refresh_from_db()
    assert article.current_id == revision.pk and "far from symbolic" in article.current.text  # nothing undone
    report = client.get(reverse("articles:report", args=[article.pk])).content.decode()
    assert "The text as an editor corrected it" in report and "Nothing was kept" not in report


def test_a_correction_that_changes_nothing_makes_no_revision_and_corrections_leave_one_note(corpus, editor):
    import pytest

    article = corpus[0]
    before = article.current
    with pytest.raises(ValueError, match="nothing changed"):
        article_text_correct(editor=editor, article=article, text=before.text)
    for word in ("far from", "anything but"):
        text = (
            article.current.text.replace("not just", word, 1)
            if word == "far from"
            else article.current.text.replace("far from", word, 1)
        )
        revision, _moved, _orphaned = article_text_correct(editor=editor, article=article, text=text)
        article.refresh_from_db()
    assert revision.number == before.number + 2
    assert [w for w in revision.warnings if w.startswith("text corrected")] == [
        f"text corrected by an editor (from revision {before.number + 1})"
    ]


def test_two_editors_correcting_at_once_the_second_is_told_and_loses_nothing(client, tricky, editor):
    url = reverse("annotations:correct", args=[tricky.pk])
    client.force_login(editor)
    text = tricky.current.text
    first = text.replace("figure $245 billion", "figure of $245 billion")
    second = text.replace("commas, and more", "commas and more")
    assert client.post(url, {"text": first, "base": 1}).status_code == 302  # revision 2
    page = client.post(url, {"text": second, "base": 1})  # opened at revision 1 too
    assert page.status_code == 400
    html = page.content.decode()
    assert "revision 2 was saved since you opened revision 1" in html
    assert "commas and more" in html  # what the second editor typed is kept in the form
    assert "The current text (revision 2)" in html and "figure of $245 billion" in html
    tricky.refresh_from_db()
    assert tricky.current.number == 2 and "figure of $245 billion" in tricky.current.text
    # Having compared, the second editor saves again (the form now carries revision 2): both changes stand.
    merged = second.replace("figure $245 billion", "figure of $245 billion")
    assert 'name="base" value="2"' in html
    assert client.post(url, {"text": merged, "base": 2}).status_code == 302
    tricky.refresh_from_db()
    assert tricky.current.number == 3
    assert "figure of $245 billion" in tricky.current.text and "commas and more" in tricky.current.text


def test_an_editor_reattaching_someone_elses_orphan_keeps_the_note_they_wrote(client, tricky, editor, alice):
    text = tricky.current.text
    article_text_correct(editor=editor, article=tricky, text=text.replace("figure $245 billion", "number"))
    orphan = Orphan.objects.get()
    assert orphan.annotator == alice and orphan.note == "@mention"
    client.force_login(editor)
    url = reverse("annotations:orphan_resolve", args=[orphan.pk])
    page = client.get(reverse("annotations:orphans")).content.decode()
    assert 'name="note"' not in page and "only they change it" in page
    refused = client.post(url, {"exact": "number", "note": "words alice never wrote"})
    assert refused.status_code == 400 and "only alice changes the note they wrote" in refused.content.decode()
    client.post(url, {"exact": "number", "note": "@mention"})  # as it is: re-attached
    orphan.refresh_from_db()
    assert orphan.resolution == "reattached"
    assert Annotation.objects.get(revision=tricky.current, exact="number").note == "@mention"


def test_a_reader_is_told_when_their_own_annotations_wait_as_orphans_and_others_are_not(
    client, tricky, editor, alice, bob
):
    text = tricky.current.text
    article_text_correct(editor=editor, article=tricky, text=text.replace("figure $245 billion", "number"))
    client.force_login(alice)  # the orphan is alice's
    page = client.get(tricky.get_absolute_url()).content.decode()
    assert "1 of your annotations here could not be found in the text after it changed" in page
    client.force_login(bob)
    assert "could not be found in the text" not in client.get(tricky.get_absolute_url()).content.decode()


def test_a_refused_reattach_shows_the_typed_note_escaped_in_the_form_not_as_markup(client, tricky, editor, alice):
    text = tricky.current.text
    article_text_correct(editor=editor, article=tricky, text=text.replace("figure $245 billion", "number"))
    orphan = Orphan.objects.get()
    Orphan.objects.filter(pk=orphan.pk).update(note="x" * 6000)  # over the limit: anyone may shorten it
    client.force_login(editor)
    typed = "short <img src=x onerror=alert(1)> note"
    page = client.post(
        reverse("annotations:orphan_resolve", args=[orphan.pk]), {"exact": "NOT IN THE TEXT", "note": typed}
    ).content.decode()
    assert "<img src=x" not in page
    assert 'aria-label="Note">short &lt;img src=x onerror=alert(1)&gt; note</textarea>' in page
