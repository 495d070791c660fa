from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Link
from articles.services.alignment import alignment_compute
from tests.browser.test_annotating import drag_select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XI_VISIT = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."
XI_MOMENT = "Chinese President Xi Jinping’s recent visit to Moscow can be seen not merely as a diplomatic summit"


def test_select_a_passage_link_it_to_another_articles_sentence_and_see_it_in_the_aligned_view(
    live_server, corpus, page, alice, sign_in
):
    left, right = corpus[0], corpus[3]
    alignment_compute()
    sign_in(page, "alice", "alice-pass-123")
    page.goto(live_server.url + left.get_absolute_url())
    drag_select(page, XI_VISIT)
    page.locator("#link-to").click()
    page.wait_for_selector(".link-first")
    page.wait_for_load_state()  # the link page's scripts have bound the article picker
    assert page.locator(".link-first").inner_text() == XI_VISIT
    page.get_by_label("Article").select_option(str(right.pk))  # htmx brings in the article's sentences
    sentence = page.locator("#link-second label", has_text=XI_MOMENT)
    sentence.locator("input").check()
    page.get_by_label("contradicts").check()
    page.get_by_label("Note (optional)").fill("A summit, not a symbol")
    page.locator("#save-link").click()
    page.wait_for_selector("#links li.link")
    panel = page.locator("#links")
    assert "contradicts" in panel.inner_text() and "A summit, not a symbol" in panel.inner_text()
    link = Link.objects.get()
    assert [e.exact for e in link.ends.order_by("position")][0] == XI_VISIT

    page.goto(f"{live_server.url}/compare/?a={left.pk}&a={right.pk}")
    shown = page.locator("section.event li.link.k-contradicts")
    assert shown.count() == 1
    assert XI_VISIT[:40] in shown.inner_text() and "by alice (you)" in shown.inner_text()
    links = page.locator(".event-links")
    assert links.count() == 1 and links.is_visible()
    shown.get_by_role("button", name="Delete link").click()
    shown.wait_for(state="detached")
    expect(links.get_by_role("status")).to_have_text("Link deleted.")  # said where the link was
    assert not Link.objects.filter(deleted_at__isnull=True).exists()
