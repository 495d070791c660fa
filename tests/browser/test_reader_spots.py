"""A dense passage in the browser: one mark for many highlights, and a click lists those on the word clicked."""

from __future__ import annotations

import pytest

from tests.annotations.test_reader_spots import SENTENCE, TRIP, crowd
from tests.browser.test_annotating import FIND_RANGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(django_user_model):
    return [django_user_model.objects.create_user(f"reader{n}") for n in range(9)]


def click_word(page, needle: str) -> None:
    box = page.evaluate(FIND_RANGE, [needle, False])
    assert box, f"{needle!r} not found in the page"
    page.mouse.click((box["x1"] + box["x2"]) / 2, box["y1"])


def test_clicking_a_dense_passage_lists_the_annotations_on_the_word_clicked(live_server, article, page, people):
    crowd(article, people[:5], SENTENCE)
    crowd(article, people[5:], TRIP)
    page.goto(live_server.url + article.get_absolute_url())
    mark = page.locator("#article-text mark.hl")
    assert mark.count() == 1  # nine claims on one sentence look the same all along it: one mark
    mark.hover()
    assert "5 to 9 annotations (claim)" in page.locator("#hl-popover").inner_text()

    click_word(page, "abroad")
    page.wait_for_selector(".at-heading:has-text('9 annotations cover this spot')")
    assert page.locator("#listing li.ann").count() == 9
    click_word(page, "President.")
    page.wait_for_selector(".at-heading:has-text('5 annotations cover this spot')")
    assert page.locator("#listing li.ann").count() == 5
    assert "reader5" not in page.locator("#listing").inner_text()

    page.locator(".at-heading a", has_text="Show all").click()
    page.wait_for_selector(".at-heading", state="detached")
    assert page.locator("#listing li.ann").count() == 9


def test_the_keyboard_reaches_a_dense_spots_annotations(live_server, article, page, people):
    crowd(article, people[:5], SENTENCE)
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Highlight: 5 annotations (claim)"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('#listing li')")
    assert "5 annotations cover this spot" in page.locator(".at-heading").inner_text()


def test_after_a_delete_a_click_on_a_highlight_still_lists_its_spot(live_server, article, page, alice, bob, sign_in):
    crowd(article, [bob], SENTENCE)
    crowd(article, [alice], TRIP)
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#listing li.ann button", has_text="Delete").click()
    page.wait_for_selector("form.undo")
    click_word(page, "abroad")
    page.wait_for_selector(".at-heading:has-text('1 annotation covers this spot')")
    assert "bob" in page.locator("#listing li.ann").inner_text()


def test_the_spot_listing_works_as_soon_as_the_keyboard_lands_in_it(live_server, article, page, alice, sign_in):
    crowd(article, [alice], TRIP)
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + article.get_absolute_url())
    # A person who presses Tab and Enter at once, the moment focus reaches the list: its Edit link.
    page.evaluate(
        """() => document.addEventListener("focusin", (event) => {
             const item = event.target.closest("#listing li.ann");
             if (item && !item.dataset.clicked) {
               item.dataset.clicked = "1";
               item.querySelector(".ann-actions a").click();
             }
           })"""
    )
    page.keyboard.press("n")
    page.keyboard.press("Enter")
    page.wait_for_selector("#listing .edit-form select")
    assert page.url == live_server.url + article.get_absolute_url()
