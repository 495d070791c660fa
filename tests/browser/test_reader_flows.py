"""The reader as a class uses it: keyboard runs, drags over highlights, stacked tags, edit and threads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Reply
from tests.browser.test_annotating import SENTENCE, drag_select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRIP = "first trip abroad"


def _open(page, live_server, sign_in, article, user="alice"):
    sign_in(page, user, f"{user}-pass-123")
    page.goto(live_server.url + article.get_absolute_url())


def test_a_drag_that_starts_on_a_highlight_selects_the_whole_passage(
    live_server, article, page, alice, bob, make_annotation, sign_in
):
    make_annotation(bob, article, SENTENCE, "claim")
    _open(page, live_server, sign_in, article)
    drag_select(page, SENTENCE)
    assert SENTENCE[:60] in page.locator(".toolbar-status").inner_text()
    page.keyboard.press("2")
    page.wait_for_function("() => document.querySelectorAll('.ann-list li.ann').length === 2")
    mine = Annotation.objects.get(annotator=alice)
    assert (mine.exact, mine.tag.slug) == (SENTENCE, "opinion")


def test_j_then_1_eight_times_tags_eight_sentences_in_a_row(live_server, article, page, alice, sign_in):
    _open(page, live_server, sign_in, article)
    for n in range(1, 9):
        page.keyboard.press("j")
        page.keyboard.press("1")
        page.wait_for_function("n => document.querySelectorAll('.ann-list li.ann').length === n", arg=n)
    sentences = article.current.sentences[:8]
    stored = list(Annotation.objects.order_by("start").values_list("start", "end"))
    assert stored == [(s[0], s[1]) for s in sentences]


def test_after_tagging_two_sentences_j_goes_on_to_the_sentence_after_them(live_server, article, page, alice, sign_in):
    _open(page, live_server, sign_in, article)
    for key in ("j", "j", "Shift+J", "3"):  # the second and third sentences, tagged as one passage
        page.keyboard.press(key)
    page.wait_for_function("() => document.querySelectorAll('.ann-list li.ann').length === 1")
    page.keyboard.press("j")
    page.keyboard.press("1")
    page.wait_for_function("() => document.querySelectorAll('.ann-list li.ann').length === 2")
    sentences = article.current.sentences
    stored = list(Annotation.objects.order_by("start").values_list("start", "end"))
    assert stored == [(sentences[1][0], sentences[2][1]), (sentences[3][0], sentences[3][1])]


def test_the_same_span_and_tag_twice_is_refused_with_a_message(live_server, article, page, alice, sign_in):
    _open(page, live_server, sign_in, article)
    drag_select(page, SENTENCE)
    page.keyboard.press("1")
    page.wait_for_selector("mark.t-claim")
    drag_select(page, SENTENCE)
    page.keyboard.press("1")
    page.wait_for_selector(".toolbar-status:has-text('already tagged this passage as claim')")
    assert Annotation.objects.count() == 1


def test_custom_tags_get_the_next_number_keys(live_server, article, page, instructor, alice, sign_in):
    from annotations.models import Tag
    from annotations.services.activities import activity_create, activity_join

    activity = activity_create(
        owner=instructor,
        kind="exercise",
        title="Hedges",
        instructions="",
        articles=[article],
        tags=Tag.objects.public(),
        opens_at=article.created_at,
        closes_at=article.created_at.replace(year=2100),
        blind=True,
        custom_tags=[("Hedge", "A claim softened"), ("Loaded word", "Emotive wording")],
    )
    activity_join(user=alice, code=activity.join_code)
    sign_in(page, "alice", "alice-pass-123")
    page.goto(f"{live_server.url}{article.get_absolute_url()}?activity={activity.pk}")
    assert page.locator("#toolbar [aria-keyshortcuts='6']").inner_text().endswith("Loaded word")
    drag_select(page, TRIP)
    page.keyboard.press("5")
    page.wait_for_selector("mark.t-hedge")
    assert Annotation.objects.get().tag.name == "Hedge"


def test_every_tag_on_the_same_passage_shows_without_hovering(
    live_server, article, page, alice, bob, staff, make_annotation, sign_in
):
    make_annotation(alice, article, SENTENCE, "claim")
    make_annotation(bob, article, SENTENCE, "claim")
    make_annotation(staff, article, SENTENCE, "opinion")
    page.goto(live_server.url + article.get_absolute_url())
    mark = page.locator("mark.hl").first
    assert mark.get_attribute("data-tags") == "claim opinion"
    assert "t-claim" in mark.get_attribute("class")  # the majority colours the mark
    underline = mark.locator(".also.t-opinion")
    assert underline.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dashed"
    assert underline.evaluate("e => getComputedStyle(e).borderBottomColor") != "rgba(0, 0, 0, 0)"


def test_edit_opens_one_form_with_plain_help_text(live_server, article, page, alice, make_annotation, sign_in):
    annotation = make_annotation(alice, article, SENTENCE, "claim")
    _open(page, live_server, sign_in, article)
    edit = page.locator(f"#a{annotation.pk} .ann-actions a", has_text="Edit")
    edit.click()
    page.wait_for_selector(".edit-form")
    page.evaluate("document.querySelector('.edit-form').dataset.first = '1'")
    edit.click()
    page.wait_for_selector(".edit-form:not([data-first])")  # the second answer has come
    expect(page.locator(".edit-form")).to_have_count(1)
    help_text = page.locator(".edit-form .helptext").inner_text()
    assert "bold, italic" in help_text
    assert page.locator(".edit-form button[type=submit]").evaluate("e => getComputedStyle(e).fontStyle") == "normal"


def test_an_edit_saved_over_another_tabs_change_shows_the_current_card_beside_what_was_typed(
    live_server, article, page, alice, make_annotation, sign_in
):
    from annotations.services.annotations import annotation_update

    annotation = make_annotation(alice, article, SENTENCE, "claim")
    _open(page, live_server, sign_in, article)
    item = page.locator(f"#a{annotation.pk}")
    item.locator(".ann-actions a", has_text="Edit").click()
    page.wait_for_selector(".edit-form")
    annotation_update(annotation=annotation, version=1, tag="quote", note="Said in the other tab")
    item.locator(".edit-form select").select_option("opinion")
    item.locator(".edit-form textarea").fill("Written here")
    item.get_by_role("button", name="Save").click()
    page.wait_for_selector(".edit-form .error")
    item = page.locator(f"#a{annotation.pk}")
    expect(item.locator(".jump .tag-chip")).to_have_text("quote")  # the card as it is now, not as loaded
    expect(item.locator(".note")).to_have_text("Said in the other tab")
    expect(page.locator("mark.hl.t-quote").first).to_be_visible()
    expect(item.locator(".typed-note")).to_have_text("Written here")
    expect(item.locator(".edit-form select")).to_be_focused()
    item.locator(".edit-form select").select_option("opinion")
    item.get_by_role("button", name="Save").click()
    page.wait_for_selector("mark.hl.t-opinion")
    annotation.refresh_from_db()
    assert (annotation.tag.slug, annotation.note, annotation.version) == ("opinion", "Said in the other tab", 3)


def test_the_edit_page_opened_on_its_own_saves_and_returns_to_the_reader(
    live_server, article, page, alice, make_annotation, sign_in
):
    annotation = make_annotation(alice, article, TRIP, "claim")
    sign_in(page, "alice", "alice-pass-123")
    page.goto(f"{live_server.url}/annotations/{annotation.pk}/edit/")  # as a new tab or a bookmark opens it
    page.locator(".edit-form select").select_option("quote")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("mark.t-quote")
    annotation.refresh_from_db()
    assert annotation.tag.slug == "quote"


def test_replying_updates_the_count_and_resolving_needs_no_reply(
    live_server, article, page, alice, make_annotation, sign_in
):
    annotation = make_annotation(alice, article, SENTENCE, "claim")
    refused = []  # the Content-Security-Policy refuses inline styles: nothing may try to set one
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    _open(page, live_server, sign_in, article)
    item = page.locator(f"#a{annotation.pk}")
    item.locator("a", has_text="0 replies").click()
    for n, text in enumerate(["First thought", "Second thought"], start=1):
        item.get_by_label("Reply").evaluate("box => { box.style.height = '6em'; }")  # as a reader resizing it
        item.get_by_label("Reply").fill(text)
        item.get_by_role("button", name="Reply").click()
        page.wait_for_function("n => document.querySelectorAll('.replies li:not(.muted)').length === n", arg=n)
        expect(item.get_by_label("Reply")).to_be_focused()  # the keyboard goes on in the thread
    page.wait_for_selector(f"#replies-{annotation.pk}:has-text('2 replies')")
    item.get_by_role("button", name="Mark resolved").click()
    page.wait_for_selector(f"#resolved-{annotation.pk}:has-text('resolved')")
    assert "This field is required" not in item.inner_text()
    assert item.locator(".thread-status").inner_text() == "Resolved"
    assert item.locator(".thread").count() == 1
    assert refused == []


def test_a_corrected_text_keeps_each_annotations_thread(
    live_server, article, page, alice, editor, make_annotation, sign_in
):
    from annotations.services.corrections import article_text_correct

    annotation = make_annotation(alice, article, SENTENCE, "claim")
    Reply.objects.create(annotation=annotation, author=alice, body="Source?")
    article_text_correct(editor=editor, article=article, text=article.current.text.replace("Moscow", "Moskva", 1))
    article.refresh_from_db()
    annotation.refresh_from_db()
    assert annotation.revision_id == article.current_id and article.current.number == 2
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(f"#replies-{annotation.pk}").inner_text() == "1 reply"
