from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from annotations.models import Activity, Annotation
from tests.browser.test_annotating import SENTENCE, drag_select

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles(transactional_db):
    """Transactional tests empty the tables; bring back the role groups the migration made."""
    from django.contrib.auth.models import Permission

    instructors, _ = Group.objects.get_or_create(name="Instructors")
    instructors.permissions.add(
        *Permission.objects.filter(codename__in=["add_activity", "change_activity", "view_activity"])
    )
    return instructors


def test_blind_exercise_from_creation_to_agreement(live_server, corpus, browser, roles, django_user_model, sign_in):
    teacher = django_user_model.objects.create_user("teacher", password="teacher-pass-123")
    teacher.groups.add(roles)
    for name in ("sara", "tom"):
        django_user_model.objects.create_user(name, password=f"{name}-pass-123")

    page = browser.new_context().new_page()
    sign_in(page, "teacher", "teacher-pass-123")
    page.goto(live_server.url + "/activities/new/")
    page.get_by_label("Title").fill("Claims in the Trenin piece")
    page.get_by_label(corpus[0].current.title).check()
    page.get_by_role("button", name="Create").click()
    code = page.locator(".join-code strong").inner_text()
    activity = Activity.objects.get()
    assert activity.blind and code == activity.join_code

    students = {}
    for name, key in (("sara", "1"), ("tom", "1")):
        p = browser.new_context().new_page()
        sign_in(p, name, f"{name}-pass-123")
        p.goto(live_server.url + "/activities/")
        p.get_by_label("Join code").fill(code)
        p.get_by_role("button", name="Join").click()
        p.get_by_role("link", name=corpus[0].current.title).click()
        drag_select(p, SENTENCE)
        p.keyboard.press(key)
        p.wait_for_selector("mark.t-claim")
        students[name] = p
    # Blind: each student sees only their own highlight.
    students["sara"].reload()
    assert students["sara"].locator("mark.hl").first.get_attribute("aria-label") == "Highlight: claim by sara"
    assert "tom" not in students["sara"].locator(".sidebar").inner_text()
    for p in students.values():
        p.goto(f"{live_server.url}/activities/{activity.pk}/")
        p.get_by_role("button", name="Submit my work").click()
        p.wait_for_selector("text=your work is locked")

    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.get_by_role("button", name="Reveal to participants").click()
    page.get_by_role("link", name="Dashboard and agreement").click()
    alpha = page.locator(".agreement .alpha").first.inner_text()
    assert alpha not in ("", "n/a") and float(alpha) > 0.0
    rows = page.locator("table.progress tbody tr")
    assert rows.count() == 2
    for i in range(2):
        assert rows.nth(i).locator("td").last.inner_text() != "no"  # both submitted
    assert Annotation.objects.filter(activity=activity).count() == 2
