from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_opens_an_article_from_the_list_and_reads_clean_text(live_server, corpus, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Xi and Putin’s Multipolar Moment: A Turning Point in Global Politics?").click()
    page.wait_for_selector("article.reader")
    assert page.locator("h1").inner_text() == "Xi and Putin’s Multipolar Moment: A Turning Point in Global Politics?"
    text = page.locator(".article-text").inner_text()
    assert "Let us close with Xi Jinping’s memorable words" in text
    assert "YORUMLAR" not in text and "Skip to content" not in text


def test_article_page_fits_a_phone_screen_without_sideways_scrolling(live_server, corpus, phone):
    phone.goto(live_server.url + corpus[2].get_absolute_url())
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert phone.locator("p.list-item").count() == 9


def test_staff_sees_the_import_report_and_restores_a_line(live_server, corpus, page, staff, sign_in):
    sign_in(page, "sam", "sam-pass-123")
    page.goto(live_server.url + corpus[0].get_absolute_url())
    page.get_by_role("link", name="import report").click()
    # each button names its line, for a screen reader going from button to button
    page.get_by_role("button", name=re.compile(r"^Restore line \d+: From English")).click()
    page.wait_for_selector(".messages")
    assert "restored in revision 2" in page.locator(".messages").inner_text()
    page.goto(live_server.url + corpus[0].get_absolute_url())
    assert "From English" in page.locator(".article-text").inner_text()


def test_pages_run_under_a_strict_content_security_policy(live_server, corpus, page, staff, sign_in):
    from articles.services.alignment import alignment_compute

    alignment_compute()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, "sam", "sam-pass-123")
    for path in ["/", corpus[0].get_absolute_url(), "/compare/", f"/articles/{corpus[0].pk}/report/", "/admin/"]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(live_server.url + corpus[0].get_absolute_url())
    page.keyboard.press("j")
    page.wait_for_selector("#toolbar:not([hidden])")  # the reader's script runs under the policy
    assert violations == []
