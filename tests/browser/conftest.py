"""Playwright driving Debian's Chromium against pytest-django's live_server."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install chromium` (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _page_in_new_context(browser, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page_in_new_context(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def another_page(browser):
    """A page for one more person, each in a browser context of their own, closed after the test."""
    contexts = []

    def make():
        context, page = _page_in_new_context(browser, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(browser):
    context, page = _page_in_new_context(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def go(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return go


@pytest.fixture(autouse=True)
def default_tags(transactional_db):
    """Transactional tests empty every table between tests, the migrated tags and roles included."""
    from django.contrib.auth.models import Group, Permission

    from annotations.defaults import ensure_default_tags, ensure_roles
    from annotations.models import Tag

    ensure_default_tags(Tag)
    ensure_roles(Group, Permission)
