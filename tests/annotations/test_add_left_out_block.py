"""A block the extractor left out of an HTML page joins the article in one click, where the page has it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from articles.services.revisions import article_import
from articles.text.leftout import page_blocks, with_block

SAID = "The council said the new bridge would open in spring after two years of work on the river crossing."
LATER = [
    "Residents who crossed the river by ferry for three years said they would miss the boats but not the queues.",
    "Shopkeepers on the east bank expect more customers once cars can cross without waiting for the tide.",
    "Engineers tested the deck with forty loaded lorries last week and found it moved less than designed.",
    "The old ferry will be moored at the museum quay, where visitors can board it on weekends from May.",
]
PAGE = (
    "<html><head><title>Bridge to open in spring</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Bridge to open in spring</h1>"
    f"<p>{SAID}</p><p>{SAID.replace('council', 'mayor')}</p></article>"
    + "".join(f"<aside><p>{later}</p></aside>" for later in LATER)
    + "<footer><p>Contact the newsroom</p></footer></body></html>"
)


def test_a_block_goes_after_the_paragraph_holding_the_block_before_it_on_the_page():
    page = "<body><p>One fine morning the ferry left.</p><p>Left out in between here.</p><p>Then the bridge opened at last.</p></body>"
    text = "One fine morning the ferry left.\n\nThen the bridge opened at last."
    paragraphs = [[0, 32, "p", 0], [34, 64, "p", 0]]
    assert with_block(text, paragraphs, page_blocks(page), "Left out in between here.") == (
        "One fine morning the ferry left.\n\nLeft out in between here.\n\nThen the bridge opened at last.\n"
    )
    first = "<body><p>A headline left out first.</p><p>One fine morning the ferry left.</p></body>"
    assert with_block(text, paragraphs, page_blocks(first), "A headline left out first.").startswith(
        "A headline left out first.\n\nOne fine morning"
    )
    assert with_block(text, paragraphs, [], "Not on the page at all.").endswith("at last.\n\nNot on the page at all.\n")


@pytest.fixture
def bridge(db):
    return article_import(source="bridge.html", data=PAGE.encode()).article


def _position(article, words: str) -> int:
    return next(n for n, text in enumerate(article.current.left_out_of_page(), start=1) if words in text)


def test_an_editor_adds_a_left_out_paragraph_and_every_annotation_follows(client, bridge, editor, alice):
    from annotations.services.annotations import annotation_create

    text = bridge.current.text
    start = text.index(SAID)
    note = annotation_create(
        user=alice, revision=bridge.current, start=start, end=start + len(SAID), exact=SAID, tag="claim"
    )
    client.force_login(editor)
    report = client.get(reverse("articles:report", args=[bridge.pk])).content.decode()
    assert "Add to the article" in report
    position = _position(bridge, "ferry for three years")
    response = client.post(
        reverse("annotations:add_block", args=[bridge.pk]), {"position": position, "base": 1}, follow=True
    )
    page = response.content.decode()
    assert "added to the article in revision 2: 1 annotation re-anchored, 0 orphaned" in page
    # said beside the list the page returns to (#left-out), not at the top, out of sight
    assert page.index('id="left-out"') < page.index("added to the article in revision 2") < page.index("<ol")
    bridge.refresh_from_db()
    added = LATER[0]
    assert bridge.current.number == 2 and added in bridge.current.text
    assert bridge.current.text.index(added) > bridge.current.text.index(SAID.replace("council", "mayor"))
    note = Annotation.objects.get(pk=note.pk)
    assert note.revision_id == bridge.current_id and note.exact == SAID
    assert not any("ferry for three years" in block for block in bridge.current.left_out_of_page())
    assert any("Shopkeepers on the east bank" in block for block in bridge.current.left_out_of_page())


def test_a_list_shown_before_another_revision_adds_nothing_and_says_why(client, bridge, editor):
    client.force_login(editor)
    url = reverse("annotations:add_block", args=[bridge.pk])
    client.post(url, {"position": _position(bridge, "ferry for three years"), "base": 1})
    response = client.post(url, {"position": 1, "base": 1}, follow=True)  # the old page's list, again
    page = response.content.decode()
    assert page.index('id="left-out"') < page.index("was saved since you opened revision 1")
    bridge.refresh_from_db()
    assert bridge.current.number == 2
    response = client.post(url, {"position": 999, "base": 2}, follow=True)
    assert "not among those left out of the page" in response.content.decode()
    assert client.post(url, {"position": "x", "base": 2}).status_code == 302
    bridge.refresh_from_db()
    assert bridge.current.number == 2


def test_only_editors_add_a_block_and_others_see_no_button(client, bridge, alice):
    client.force_login(alice)
    assert "Add to the article" not in client.get(reverse("articles:report", args=[bridge.pk])).content.decode()
    url = reverse("annotations:add_block", args=[bridge.pk])
    assert client.post(url, {"position": 1, "base": 1}).status_code == 403
    assert client.get(url).status_code == 405
    bridge.refresh_from_db()
    assert bridge.current.number == 1
