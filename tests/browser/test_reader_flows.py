"""The reader as a class uses it: keyboard runs, drags over highlights, stacked tags, edit and threads."""

from __future__ import annotations

import pytest

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
