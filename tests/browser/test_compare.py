from __future__ import annotations

import pytest

from articles.services.alignment import alignment_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_aligned_view_lines_up_passages_and_opens_one_in_the_reader(live_server, corpus, page):
    alignment_compute()
    page.goto(live_server.url + "/compare/")
    row = page.locator("section.arow", has_text="$245 billion vs approaching $250 billion")
    assert row.count() == 1
    assert "approaching $250 billion" in row.inner_text()
    page.locator("table.matrix a").first.click()
    row.locator("a.open").first.click()
    page.wait_for_selector("#article-text")
    assert "/articles/" in page.url


def test_aligned_view_stacks_columns_on_a_phone(live_server, corpus, phone):
    alignment_compute()
    phone.goto(live_server.url + "/compare/")
    first_row = phone.locator("section.arow").first
    cells = first_row.locator(".cell:not(.empty)")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len(boxes) >= 2
    assert boxes[1]["y"] > boxes[0]["y"]  # stacked, not side by side
    assert phone.locator(".cell-article").first.is_visible()


def test_a_row_reached_by_its_anchor_shows_its_label_below_the_column_heads(live_server, corpus, page):
    alignment_compute()
    page.goto(live_server.url + "/compare/")
    link = page.locator("table.matrix th a").nth(5)
    anchor = link.get_attribute("href")
    link.click()
    page.wait_for_function("(hash) => location.hash === hash", arg=anchor)
    page.wait_for_timeout(200)  # the jump is done before the next frame
    heads = page.locator(".aligned-head").bounding_box()
    label = page.locator(f"{anchor} .arow-label").bounding_box()
    assert label["y"] >= heads["y"] + heads["height"] - 1  # not under the sticky heads


def test_a_passage_over_two_paragraphs_keeps_its_break_in_the_aligned_view(live_server, corpus, page):
    from articles.services.alignment import alignment_compute

    alignment_compute()
    page.goto(live_server.url + "/compare/")
    starts = page.evaluate(
        """() => [...document.querySelectorAll('.cell .passage > span[hx-disable]')].flatMap(span => {
            const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
            const left = span.parentElement.getBoundingClientRect().left
                + parseFloat(getComputedStyle(span.parentElement).paddingLeft)
                + parseFloat(getComputedStyle(span.parentElement).borderLeftWidth);
            const out = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.search(/\\n\\s*\\S/);
                if (at < 0) continue;
                const first = at + node.data.slice(at).search(/\\S/);
                const range = document.createRange();
                range.setStart(node, first);
                range.setEnd(node, first + 1);
                out.push(range.getBoundingClientRect().left - left);
            }
            return out;
        })"""
    )
    assert starts, "no passage of the seeds spans two paragraphs"
    assert all(abs(x) < 2 for x in starts)  # each next paragraph starts a line of its own
