"""The aligned view and the dashboard as a browser shows them: legends, widths, on-demand controls."""

from __future__ import annotations

import pytest

from articles.models import AlignmentGroup
from articles.services.alignment import alignment_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aligned(corpus):
    alignment_compute()
    return corpus


def test_the_overview_has_a_legend_and_full_titles_on_hover(live_server, aligned, page):
    page.goto(live_server.url + "/compare/")
    legend = page.locator(".matrix-legend").inner_text()
    for words in ("not covered", "covered, mostly Claim", "covered, mostly Unsupported", "disagree"):
        assert words in legend
    titles = page.locator("table.matrix thead th[title]")
    assert titles.first.get_attribute("title") == aligned[0].current.title


def test_the_phone_layout_does_not_scroll_sideways(live_server, aligned, phone):
    phone.goto(live_server.url + "/compare/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_correction_controls_load_on_demand_and_a_rename_returns_to_its_row(
    live_server, aligned, page, editor, sign_in
):
    sign_in(page, "eddie", "eddie-pass-123")
    page.goto(live_server.url + "/compare/")
    assert page.locator(".correct select").count() == 0  # nothing heavy until asked
    row = page.locator("section.arow").nth(3)
    row.locator("summary", has_text="Correct this row").click()
    row.locator(".correct-controls select").first.wait_for()
    row.get_by_label("Rename row").first.fill("Renamed by the desk")
    row.get_by_role("button", name="Rename").first.click()
    page.wait_for_selector("text=Row renamed")
    renamed = AlignmentGroup.objects.get(label="Renamed by the desk")
    assert page.url.endswith(f"#g{renamed.pk}")
    top = page.evaluate(f"document.getElementById('g{renamed.pk}').getBoundingClientRect().top")
    # the corrected row is in view, not the top of the page (scrolled to it, it may sit a fraction
    # of a pixel above the viewport's edge)
    assert -1 < top < 900
    # and it has the focus: the next Tab goes on from the row, not from the top of the page
    assert page.evaluate("document.activeElement.id") == f"g{renamed.pk}"


def test_dashboard_tables_have_headings_and_the_kappa_headers_line_up(
    live_server, corpus, page, instructor, alice, bob, sign_in
):
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Tag
    from annotations.services.activities import activity_create, activity_join
    from annotations.services.annotations import annotation_create

    now = timezone.now()
    activity = activity_create(
        owner=instructor,
        kind="exercise",
        title="Claims",
        instructions="",
        articles=corpus[:1],
        tags=Tag.objects.public(),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        blind=True,
    )
    text = corpus[0].current.text
    for user, phrase, layer in (
        (alice, "first trip abroad", "individual"),
        (bob, "first trip", "individual"),
        (instructor, "first trip abroad", "key"),
    ):
        if layer == "individual":
            activity_join(user=user, code=activity.join_code)
        start = text.index(phrase)
        annotation_create(
            user=user,
            revision=corpus[0].current,
            start=start,
            end=start + len(phrase),
            exact=phrase,
            tag="claim",
            activity=activity,
            layer=layer,
        )
    sign_in(page, "ines", "ines-pass-123")
    page.goto(f"{live_server.url}/activities/{activity.pk}/dashboard/")
    headings = page.locator("section.agreement h4").all_inner_texts()
    assert headings == [
        "The class as a whole",
        "Pairs of students",
        "Against the answer key",
        "Where the class disagrees most",
    ]
    for heading in page.locator("section.agreement h4").all():
        assert heading.evaluate("h => h.nextElementSibling.classList.contains('hint')")
    assert "highest" in page.locator(".heat-legend").inner_text()
    edges = page.evaluate(
        """() => { const t = document.querySelector('table.cohen');
        const head = t.tHead.rows[0].cells[1].getBoundingClientRect();
        const value = t.tBodies[0].rows[0].cells[1].getBoundingClientRect();
        const style = c => getComputedStyle(c).textAlign;
        return [head.left, value.left, style(t.tHead.rows[0].cells[1]), style(t.tBodies[0].rows[0].cells[1])]; }"""
    )
    assert abs(edges[0] - edges[1]) < 1 and edges[2] == edges[3] == "right"
