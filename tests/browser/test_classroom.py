from __future__ import annotations

import pytest

from annotations.models import Activity, Annotation, AuditEvent
from tests.browser.test_annotating import SENTENCE, drag_select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRIP = "first trip abroad"


def _student(another_page, live_server, sign_in, name: str, code: str):
    page = another_page()
    sign_in(page, name, f"{name}-pass-123")
    page.goto(live_server.url + "/activities/")
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join").click()
    page.wait_for_selector("text=You joined")
    return page


def _create(page, live_server, title: str, article, *, review: bool = False, blind: bool = True):
    page.goto(live_server.url + "/activities/new/")
    if review:
        page.get_by_label("review session").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label(article.current.title).check()
    if not blind:
        page.get_by_label("Blind").uncheck()
    page.get_by_role("button", name="Create").click()
    return page.locator(".join-code strong").inner_text()


def test_blind_exercise_from_creation_to_agreement(
    live_server, corpus, page, another_page, instructor, alice, bob, sign_in
):
    article = corpus[0]
    sign_in(page, "ines", "ines-pass-123")
    code = _create(page, live_server, "Claims in the Trenin piece", article)
    activity = Activity.objects.get()
    assert activity.blind and code == activity.join_code

    students = {}
    for name in ("alice", "bob"):
        p = _student(another_page, live_server, sign_in, name, code)
        p.get_by_role("link", name=article.current.title).click()
        p.wait_for_selector("#article-text")  # the reader, not the activity page still
        drag_select(p, SENTENCE)
        p.keyboard.press("1")
        p.wait_for_selector("mark.t-claim")
        students[name] = p
    # Blind: each student sees only their own highlight.
    students["alice"].reload()
    assert students["alice"].locator("mark.hl").first.get_attribute("aria-label") == "Highlight: claim by alice"
    assert "bob" not in students["alice"].locator(".sidebar").inner_text()

    # Alice submits, after a confirmation; Bob does not.
    alice_page = students["alice"]
    alice_page.goto(f"{live_server.url}/activities/{activity.pk}/")
    alice_page.get_by_role("link", name="Submit my work").click()
    assert "cannot add, change or delete" in alice_page.locator("main").inner_text()
    alice_page.get_by_role("button", name="Submit my work").click()
    alice_page.wait_for_selector("text=your work is locked")

    # The reveal names who has not submitted and asks first.
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.get_by_role("link", name="Reveal to participants").click()
    assert page.locator("ul.not-submitted").inner_text().split() == ["bob"]
    assert "1 participant has not submitted" in page.locator("main").inner_text()
    page.get_by_role("button", name="Reveal to participants").click()
    page.wait_for_selector("text=Revealed")
    assert page.get_by_role("link", name="Reveal to participants").count() == 0

    # After the reveal, Bob (who never submitted) sees the class but can no longer annotate.
    bob_page = students["bob"]
    bob_page.reload()
    assert "revealed" in bob_page.locator(".sidebar .hint").inner_text()
    assert bob_page.locator("#toolbar").count() == 0
    status = bob_page.evaluate(
        """async () => (await fetch(document.getElementById('workspace').dataset.apiUrl, {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': JSON.parse(document.body.getAttribute('hx-headers'))['x-csrftoken']},
        body: JSON.stringify({start: 0, end: 5, tag: 'claim'})})).status"""
    )
    assert status == 403

    page.get_by_role("link", name="Dashboard and agreement").click()
    alpha = page.locator(".agreement .alpha").first.inner_text()
    assert alpha not in ("", "n/a") and float(alpha) > 0.0
    rows = page.locator("table.progress tbody tr")
    assert rows.count() == 2
    assert Annotation.objects.filter(activity=activity).count() == 2


def test_an_exercise_is_edited_closed_reopened_and_deleted(live_server, corpus, page, instructor, sign_in):
    sign_in(page, "ines", "ines-pass-123")
    _create(page, live_server, "First draft", corpus[0])
    activity = Activity.objects.get()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Claims, final")
    page.get_by_label(corpus[1].current.title).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("h1:has-text('Claims, final')")
    assert activity.articles.count() == 2

    page.get_by_role("button", name="Close now").click()
    page.wait_for_selector("text=the code no longer works")
    page.get_by_role("button", name="Reopen for a week").click()
    page.wait_for_selector("button:has-text('Close now')")

    page.get_by_role("link", name="Delete", exact=True).click()
    assert "cannot be undone" in page.locator("main").inner_text()
    page.get_by_role("button", name="Delete for good").click()
    page.wait_for_selector("text=Deleted Claims, final")
    assert not Activity.objects.exists()


def test_a_session_that_is_not_blind_offers_no_reveal(live_server, corpus, page, instructor, sign_in):
    sign_in(page, "ines", "ines-pass-123")
    _create(page, live_server, "Open review", corpus[0], review=True, blind=False)
    assert page.get_by_role("link", name="Disagreements and adjudication").is_visible()
    assert page.get_by_role("link", name="Reveal to participants").count() == 0


def test_review_verdicts_show_who_decided_with_an_undo(
    live_server, corpus, page, another_page, instructor, alice, bob, sign_in
):
    article = corpus[0]
    sign_in(page, "ines", "ines-pass-123")
    code = _create(page, live_server, "Desk review", article, review=True, blind=False)
    activity = Activity.objects.get()
    for name, key, tag in (("alice", "4", "unsupported"), ("bob", "1", "claim")):
        p = _student(another_page, live_server, sign_in, name, code)
        p.get_by_role("link", name=article.current.title).first.click()
        p.wait_for_selector("#article-text")  # the reader, not the activity page still
        drag_select(p, SENTENCE)
        p.keyboard.press(key)
        # this reviewer's own highlight: bob's page shows alice's already (the session is not blind)
        p.wait_for_selector(f'mark.hl[data-tags~="{tag}"]')
    unsupported = Annotation.objects.get(annotator=alice)

    page.goto(f"{live_server.url}/activities/{activity.pk}/adjudicate/")
    item = page.locator(f"#d{unsupported.pk}")
    item.get_by_role("button", name="Accept").click()
    page.wait_for_selector(f"#d{unsupported.pk} .verdict")
    assert page.url.endswith(f"#d{unsupported.pk}")
    verdict = page.locator(f"#d{unsupported.pk} .verdict").inner_text()
    assert "Accepted" in verdict and "ines (you)" in verdict
    assert page.locator(f"#d{unsupported.pk} button", has_text="Accept").count() == 0
    event = AuditEvent.objects.get(action="accepted")
    assert event.detail["tag"] == "unsupported"
    row = page.locator("table.audit tr", has_text="accepted")
    assert "accepted (unsupported)" in row.inner_text()
    assert row.locator("a q").inner_text().startswith(SENTENCE[:60])

    # The consensus copy names the reviewer it came from.
    page.goto(f"{live_server.url}{article.get_absolute_url()}?activity={activity.pk}&layer=consensus")
    assert "accepted from alice" in page.locator(".ann-list").inner_text()

    page.goto(f"{live_server.url}/activities/{activity.pk}/adjudicate/")
    page.locator(f"#d{unsupported.pk}").get_by_role("button", name="Undo").click()
    page.wait_for_selector(f"#d{unsupported.pk} button:has-text('Accept')")
    assert not Annotation.objects.alive().filter(layer="consensus").exists()
