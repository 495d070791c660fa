from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from articles.services.revisions import article_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "It was his first trip abroad after being re-elected to a third term as President."

FIND_RANGE = """([needle, select]) => {
  const root = document.getElementById('article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(needle);
    if (i >= 0) {
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + needle.length);
      if (select) {  // as the handles of a touch selection leave it
        const selection = window.getSelection();
        selection.removeAllRanges(); selection.addRange(r);
        return true;
      }
      const rects = r.getClientRects();
      const a = rects[0], b = rects[rects.length - 1];
      return {x1: a.left + 1, y1: (a.top + a.bottom) / 2, x2: b.right - 1, y2: (b.top + b.bottom) / 2};
    }
  }
  return null;
}"""


def drag_select(page, needle: str) -> None:
    """Select `needle` in the article text with the mouse, as a person would (once the reader's
    script, which answers the selection, has run: a page can show its text before)."""
    page.wait_for_function("() => window.sinorusReader")
    box = page.evaluate(FIND_RANGE, [needle, False])
    assert box, f"{needle!r} not found in the page"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    page.wait_for_selector("#toolbar:not([hidden])")


def test_select_a_sentence_press_1_and_the_highlight_survives_reload(
    live_server, article, page, alice, bob, sign_in, another_page
):
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    drag_select(page, SENTENCE)
    page.keyboard.press("1")
    page.wait_for_selector("mark.t-claim")
    page.reload()
    mark = page.locator("mark.t-claim")
    assert mark.inner_text() == SENTENCE
    stored = Annotation.objects.get()
    assert (stored.exact, stored.tag.slug, stored.annotator.username) == (SENTENCE, "claim", "alice")
    assert article.current.text[stored.start : stored.end] == SENTENCE

    other = another_page()
    sign_in(other, "bob", "bob-pass-123")
    other.goto(live_server.url + article.get_absolute_url())
    assert other.locator("mark.t-claim").inner_text() == SENTENCE
    other.locator("mark.t-claim").hover()
    assert "claim · alice" in other.locator("#hl-popover").inner_text()


def test_offsets_are_code_points_on_text_with_emoji_cjk_and_combining_marks(live_server, page, alice, sign_in):
    body = "Emoji 😀 and 漢字 headline test\n\nThe 😀 grin 🇺🇳 flag and 北京 meet e\u0301te “curly” quotes before the target words here.\n"
    article = article_import(source="unicode.txt", data=body.encode()).article
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    for count, (needle, key) in enumerate([("target words", "3"), ("北京 meet e\u0301te", "2")], start=1):
        drag_select(page, needle)
        page.keyboard.press(key)
        page.wait_for_function("n => document.querySelectorAll('mark[data-begin]').length === n", arg=count)
    text = article.current.text
    for annotation in Annotation.objects.all():
        assert text[annotation.start : annotation.end] == annotation.exact
    assert sorted(a.exact for a in Annotation.objects.all()) == sorted(["target words", "北京 meet e\u0301te"])


def test_c_opens_the_note_of_a_keyboard_selection_and_shift_tab_reaches_its_tags(
    live_server, article, page, alice, sign_in
):
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_function("() => window.sinorusReader")
    page.keyboard.press("j")
    page.keyboard.press("c")
    expect(page.locator("#toolbar-note")).to_be_focused()
    page.keyboard.type("Why 2 sources?")  # digits typed in the note tag nothing
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.dataset.tag") == "opinion":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.t-opinion")
    stored = Annotation.objects.get()
    assert (stored.tag.slug, stored.note) == ("opinion", "Why 2 sources?")


def test_keyboard_only_flow_selects_tags_finds_edits_and_deletes(live_server, article, page, alice, sign_in):
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("j")
    page.keyboard.press("j")  # second sentence
    assert "It was his first trip abroad" in page.locator(".toolbar-status").inner_text()
    page.keyboard.press("Shift+J")  # extend by one sentence
    page.keyboard.press("2")
    page.wait_for_selector("mark.t-opinion")
    stored = Annotation.objects.get()
    assert stored.exact.startswith(SENTENCE) and stored.exact.endswith("in which it took place.")

    page.keyboard.press("n")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Highlight: opinion by alice"
    page.keyboard.press("Enter")  # lists the annotations on that spot and moves to the first
    page.wait_for_function("() => document.activeElement.closest('#listing li')")
    assert page.evaluate("document.activeElement.closest('li').id") == f"a{stored.pk}"
    assert "1 annotation covers this spot" in page.locator(".at-heading").inner_text()
    for _ in range(5):  # Tab along the item (quote, replies) to its Edit link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Edit":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".edit-form select")
    page.locator(".edit-form select").focus()
    page.keyboard.press("ArrowDown")  # opinion -> quote
    page.locator(".edit-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.t-quote")
    stored.refresh_from_db()
    assert stored.tag.slug == "quote" and stored.version == 2

    page.locator(f"#a{stored.pk} button", has_text="Delete").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("form.undo")
    assert page.locator("mark.hl").count() == 0
    expect(page.locator("form.undo button")).to_be_focused()  # the keyboard's place is kept
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.t-quote")
    expect(page.locator(f"#a{stored.pk} a").first).to_be_focused()  # and after the undo, on what came back
    assert Annotation.objects.alive().count() == 1


def test_a_delete_and_undo_sent_before_htmx_bound_the_form_keep_the_keyboards_place(
    live_server, article, page, alice, sign_in, make_annotation
):
    # A quick press can beat htmx to a freshly swapped form: the browser then posts it itself and
    # the page reloads. The keyboard must go on from the same place as after a swap.
    sign_in(page, "alice", "alice-pass-123")
    stored = make_annotation(alice, article, SENTENCE)
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate(f"document.querySelector('#a{stored.pk} form[action*=delete]').submit()")  # no htmx
    page.wait_for_url("**undo=*")
    expect(page.locator("form.undo button")).to_be_focused()
    page.evaluate("document.querySelector('form.undo').submit()")
    page.wait_for_selector(f"#a{stored.pk}")
    expect(page.locator(f"#a{stored.pk} a").first).to_be_focused()
    assert Annotation.objects.alive().count() == 1


def test_tagging_sentence_after_sentence_as_fast_as_keys_go_saves_every_tag(live_server, article, page, alice, sign_in):
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_function("() => window.sinorusReader")
    for key in "j1j2j3j4":  # no pause: a save's answer comes after the next sentence was selected
        page.keyboard.press(key)
    expect(page.locator("#listing li[id^=a]")).to_have_count(4)
    tags = list(Annotation.objects.order_by("start").values_list("tag__slug", flat=True))
    assert tags == ["claim", "opinion", "quote", "unsupported"]
    assert len({a.start for a in Annotation.objects.all()}) == 4  # four sentences, each tagged once


def test_two_users_saving_at_the_same_moment_both_keep_their_work(
    live_server, article, another_page, alice, bob, sign_in
):
    pages = []
    for name in ("alice", "bob"):
        p = another_page()
        sign_in(p, name, f"{name}-pass-123")
        p.goto(live_server.url + article.get_absolute_url())
        pages.append(p)
    drag_select(pages[0], SENTENCE)
    drag_select(pages[1], "first trip abroad")
    # Fire both saves before waiting for either.
    for p, key in zip(pages, ("1", "3"), strict=True):
        p.evaluate(f"document.dispatchEvent(new KeyboardEvent('keydown', {{key: '{key}', bubbles: true}}))")
    pages[0].wait_for_selector("mark.t-claim")
    pages[1].wait_for_selector("mark.t-quote")
    assert sorted(Annotation.objects.values_list("annotator__username", "tag__slug")) == [
        ("alice", "claim"),
        ("bob", "quote"),
    ]
    pages[0].reload()
    assert pages[0].locator("mark.t-quote").count() >= 1


def test_anonymous_visitor_reads_but_gets_no_toolbar(live_server, article, page):
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("p.para").nth(0).click(click_count=3)
    page.keyboard.press("1")
    assert page.locator("#toolbar").count() == 0
    assert Annotation.objects.count() == 0


def test_after_a_filter_and_back_one_key_press_tags_once(live_server, article, page, alice, sign_in):
    """Back restores the page as it was: its script is not run again beside the first, so each key
    press makes one request, not one per visit."""
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    for _ in range(2):
        page.locator(".tag-counts a.t-quote").click()
        page.wait_for_url("**tag=quote**")
        page.go_back()
        page.wait_for_selector(".tag-counts a[aria-current]:not(.tag-chip)")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" and "/api/" in r.url else None)
    drag_select(page, SENTENCE)
    page.keyboard.press("1")
    page.wait_for_selector("mark.t-claim")
    page.wait_for_timeout(500)  # a second request would follow at once
    assert len(posts) == 1 and Annotation.objects.count() == 1


def test_cancel_closes_the_edit_panel_and_keeps_the_sidebar_as_it_was(live_server, article, page, alice, sign_in):
    from annotations.services.annotations import annotation_create

    start = article.current.text.index(SENTENCE)
    stored = annotation_create(
        user=alice, revision=article.current, start=start, end=start + len(SENTENCE), exact=SENTENCE, tag="claim"
    )
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url() + "?tag=claim")
    page.locator(f"#a{stored.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator(".edit-form")).to_be_visible()
    page.locator(".edit-form").get_by_role("link", name="Cancel").click()
    expect(page.locator(".edit-form")).to_have_count(0)
    expect(page.locator(f"#a{stored.pk} a").first).to_be_focused()  # the keyboard goes on from the annotation
    expect(page.locator(".filters a.tag-chip[aria-current='true']")).to_have_count(1)  # still filtered by claim


def test_on_a_phone_a_selection_made_by_touch_brings_the_toolbar_and_tags(live_server, article, phone, alice, sign_in):
    sign_in(phone, "alice", "alice-pass-123")
    phone.goto(live_server.url + article.get_absolute_url())
    box = phone.locator("#article-text p").first.bounding_box()
    phone.touchscreen.tap(box["x"] + 5, box["y"] + 5)  # the finger on the text: no mouse ever moves
    phone.wait_for_timeout(300)  # the tap's own events are over before the handles move
    assert phone.evaluate(FIND_RANGE, [SENTENCE, True])  # the handles dragged over a sentence
    expect(phone.locator("#toolbar")).to_be_visible()
    phone.locator("#toolbar").get_by_role("button", name="Claim").tap()
    phone.wait_for_selector("mark.t-claim")
    assert Annotation.objects.get().exact == SENTENCE
