from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."
HTMX = {"HX-Request": "true"}


def sidebar_list(html: str) -> str:
    return html.split('class="ann-list"')[1].split("</ol>")[0]


def test_anonymous_reader_sees_highlights_but_no_tagging_toolbar(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, "opinion")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="hl t-opinion d1"' in html
    assert "Highlight: opinion by alice" in html
    assert 'id="toolbar"' not in html
    assert "Sign in</a> to highlight" in html


def test_signed_in_reader_gets_the_toolbar_with_tag_keys_and_definitions(client, article, alice):
    client.force_login(alice)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="toolbar"' in html
    for key, definition in [
        ("1", "A checkable statement of fact."),
        ("4", "An assertion given without evidence or attribution."),
    ]:
        assert f'aria-keyshortcuts="{key}"' in html
        assert definition in html


def test_overlapping_highlights_from_two_people_both_show(client, article, alice, bob, make_annotation):
    make_annotation(alice, article, PHRASE, "opinion")
    make_annotation(bob, article, "Xi Jinping’s visit", "claim")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Highlight: opinion by alice; claim by bob" in html
    assert html.count("<mark") == 3  # before, inside and after the nested one


def test_sidebar_counts_per_tag_and_filters_by_tag_and_mine(client, article, alice, bob, make_annotation):
    make_annotation(alice, article, PHRASE, "opinion")
    make_annotation(bob, article, "first trip abroad", "quote")
    client.force_login(alice)
    url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert 'Opinion <span class="n">1</span>' in html and 'Quote <span class="n">1</span>' in html
    only_quotes = sidebar_list(client.get(url + "?tag=quote").content.decode())
    assert "first trip abroad" in only_quotes
    assert PHRASE not in only_quotes
    mine = sidebar_list(client.get(url + "?who=mine").content.decode())
    assert PHRASE in mine and "first trip abroad" not in mine


def test_htmx_request_gets_only_the_workspace_partial(client, article):
    response = client.get(article.get_absolute_url() + "?tag=claim", headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="workspace"')
    assert "<html" not in html


def test_reader_query_count_does_not_grow_with_annotations(client, article, alice, bob, make_annotation):
    make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(article.get_absolute_url())
    for phrase in ["first trip abroad", "third term", "world war", "Crimea", "Taiwan"]:
        make_annotation(bob, article, phrase, "quote")
    with CaptureQueriesContext(connection) as many:
        client.get(article.get_absolute_url())
    assert len(many) == len(few)


def test_owner_edits_tag_and_note_through_the_form(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = reverse("annotations:edit", args=[annotation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"tag": "opinion", "note": "<em>loaded</em>", "version": 1})
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.tag.slug, annotation.note, annotation.version) == ("opinion", "<em>loaded</em>", 2)


def test_edit_form_with_stale_version_shows_conflict_and_keeps_the_newer_edit(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = reverse("annotations:edit", args=[annotation.pk])
    client.post(url, {"tag": "quote", "note": "", "version": 1})
    response = client.post(url, {"tag": "opinion", "note": "late", "version": 1}, headers=HTMX)
    assert response.status_code == 409
    assert "This annotation was changed since you opened it" in response.content.decode()
    assert '<pre class="typed-note">late</pre>' in response.content.decode()  # what was typed stays in view
    annotation.refresh_from_db()
    assert annotation.tag.slug == "quote"


def test_edit_conflict_redraws_the_card_and_highlight_with_the_current_state_around_the_open_form(
    client, article, alice, make_annotation
):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = reverse("annotations:edit", args=[annotation.pk])
    client.post(url, {"tag": "quote", "note": "newer note", "version": 1})  # the other tab's save
    response = client.post(url, {"tag": "opinion", "note": "late", "version": 1}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 409 and response["HX-Retarget"] == "#workspace"
    card = html.split(f'id="a{annotation.pk}"')[1].split(f'id="panel-{annotation.pk}"')[0]
    assert 'tag-chip t-quote">quote' in card and "newer note" in card  # not the state the form was loaded with
    assert 'class="hl t-quote d1"' in html
    panel = html.split(f'id="panel-{annotation.pk}"')[1]
    assert "This annotation was changed since you opened it" in panel and '<pre class="typed-note">late</pre>' in panel
    assert 'name="version" value="2"' in panel and 'hx-post="' in panel


def test_edit_conflict_on_an_annotation_the_filter_now_hides_keeps_the_form_in_place(
    client, article, alice, make_annotation
):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = reverse("annotations:edit", args=[annotation.pk])
    client.post(url, {"tag": "quote", "note": "", "version": 1})  # now outside the reader's "claim" filter
    response = client.post(url + "?tag=claim", {"tag": "opinion", "note": "late", "version": 1}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 409 and "HX-Retarget" not in response
    assert html.lstrip().startswith("<form") and '<pre class="typed-note">late</pre>' in html


def test_htmx_edit_swaps_in_the_refreshed_workspace(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), {"tag": "quote", "note": "", "version": 1}, headers=HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#workspace"
    assert 'class="hl t-quote d1"' in response.content.decode()


def test_edit_and_delete_need_login_post_and_ownership(client, article, alice, bob, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    edit = reverse("annotations:edit", args=[annotation.pk])
    delete = reverse("annotations:delete", args=[annotation.pk])
    assert client.post(delete).status_code == 302  # to the sign-in page
    client.force_login(bob)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"tag": "quote", "version": 1}).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(alice)
    assert client.get(delete).status_code == 405
    annotation.refresh_from_db()
    assert annotation.deleted_at is None and annotation.tag.slug == "claim"


def test_delete_then_undo_brings_the_annotation_back(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    response = client.post(reverse("annotations:delete", args=[annotation.pk]), headers=HTMX)
    html = response.content.decode()
    assert "Annotation deleted." in html and "Undo" in html
    assert Annotation.objects.alive().count() == 0
    client.post(reverse("annotations:restore", args=[annotation.pk]))
    assert Annotation.objects.alive().get() == annotation


def test_a_script_tag_in_a_note_never_reaches_the_page(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, note='<script>alert("x")</script><img src=x onerror=alert(1)>fine')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "onerror" not in html
    assert "fine" in html


def test_plain_article_page_still_works_without_annotations(client, article):
    response = client.get(reverse("articles:detail", args=[article.pk]))
    assert response.status_code == 200
    assert PHRASE in response.content.decode()


def test_with_thousand_separators_on_the_sidebars_ids_stay_plain_numbers(
    client, article, alice, make_annotation, settings
):
    made = make_annotation(alice, article, PHRASE, "opinion")
    Annotation.objects.filter(pk=made.pk).update(id=12345)
    settings.USE_THOUSAND_SEPARATOR = True
    client.force_login(alice)
    listed = sidebar_list(client.get(article.get_absolute_url()).content.decode())
    assert 'id="a12345"' in listed and "/annotations/12345/" in listed and "12,345" not in listed


def test_a_sidebar_quote_links_to_its_paragraph_for_a_reader_without_the_script(
    client, article, alice, make_annotation
):
    revision = article.current
    index, (start, end, *_rest) = next((n, p) for n, p in enumerate(revision.paragraphs) if n > 0 and p[1] - p[0] > 40)
    phrase = revision.text[start : start + 30]
    make_annotation(alice, article, phrase, "claim")
    listed = sidebar_list(client.get(article.get_absolute_url()).content.decode())
    assert f'href="#p{index}" data-jump="{start}"' in listed
    assert f'<p id="p{index}"' in client.get(article.get_absolute_url()).content.decode()


def test_two_open_thread_and_edit_panels_label_their_own_fields(client, article, alice, make_annotation):
    first = make_annotation(alice, article, PHRASE, "opinion")
    second = make_annotation(alice, article, "It was his first trip abroad", "claim")
    client.force_login(alice)
    pages = [
        client.get(reverse(name, args=[a.pk]), headers=HTMX).content.decode()
        for name in ("annotations:thread", "annotations:edit")
        for a in (first, second)
    ]
    ids = [re.findall(r' id="(id_[^"]+)"', html) for html in pages]
    assert all(ids) and not set(ids[0]) & set(ids[1]) and not set(ids[2]) & set(ids[3])
    for html in pages:  # each label points at a field of its own panel
        assert set(re.findall(r' for="([^"]+)"', html)) <= set(re.findall(r' id="([^"]+)"', html))


def _url_in(html: str, attribute: str, path: str) -> str:
    """The address an element of the page sends to: `path` and the query after it."""
    return re.search(rf'{attribute}="({re.escape(path)}[^"]*)"', html).group(1).replace("&amp;", "&")


def test_after_a_delete_edit_or_undo_the_sidebar_keeps_its_tag_filter_and_length(
    client, article, alice, make_annotation
):
    quotes = [make_annotation(alice, article, PHRASE, "quote"), make_annotation(alice, article, "first trip", "quote")]
    make_annotation(alice, article, "third term", "claim")
    client.force_login(alice)
    page = client.get(article.get_absolute_url() + "?tag=quote&limit=100").content.decode()
    delete = _url_in(page, "hx-post", f"/annotations/{quotes[0].pk}/delete/")
    assert "tag=quote" in delete and "limit=100" in delete
    after = client.post(delete, headers=HTMX).content.decode()
    assert re.findall(r'<li id="a(\d+)"', sidebar_list(after)) == [str(quotes[1].pk)]  # still only quotes
    restored = client.post(_url_in(after, "hx-post", f"/annotations/{quotes[0].pk}/restore/"), headers=HTMX)
    listed = re.findall(r'<li id="a(\d+)"', sidebar_list(restored.content.decode()))
    assert sorted(listed) == sorted(str(q.pk) for q in quotes)
    form = client.get(_url_in(restored.content.decode(), "hx-get", f"/annotations/{quotes[1].pk}/edit/"), headers=HTMX)
    action = _url_in(form.content.decode(), "hx-post", f"/annotations/{quotes[1].pk}/edit/")
    saved = client.post(action, {"tag": "claim", "note": "", "version": 1}, headers=HTMX).content.decode()
    assert re.findall(r'<li id="a(\d+)"', sidebar_list(saved)) == [str(quotes[0].pk)]  # the edited one left the filter


def test_under_a_tag_filter_the_sidebar_title_counts_what_it_lists_of_all(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, "quote")
    make_annotation(alice, article, "third term", "claim")
    html = client.get(article.get_absolute_url() + "?tag=quote").content.decode()
    assert 'Annotations <span class="count">1 of 2</span>' in html
    assert 'Annotations <span class="count">2</span>' in client.get(article.get_absolute_url()).content.decode()


def test_no_template_comment_leaks_into_a_page(client, article):
    for url in ("/", article.get_absolute_url(), reverse("annotations:compare")):
        html = client.get(url).content.decode()
        assert "{#" not in html and "#}" not in html, url


def test_a_note_typed_on_several_lines_keeps_its_line_breaks(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, note="First line, a < b\nSecond line")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First line, a &lt; b<br>\nSecond line" in html


def test_a_reply_with_bold_or_a_link_keeps_its_line_breaks_too(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE, note="Line one\nline <b>two</b>")
    client.force_login(alice)
    url = reverse("annotations:thread", args=[annotation.pk])
    client.post(url, {"body": 'Why opinion?\nSee <a href="https://example.org/">this</a>.'})
    assert "Why opinion?<br>\nSee <a" in client.get(url).content.decode()
    assert "Line one<br>\nline <b>two</b>" in client.get(article.get_absolute_url()).content.decode()


def test_a_note_with_markup_is_shown_as_its_markup(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, note="<p>One</p>\n<p>Two <em>words</em></p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>One</p>\n<p>Two <em>words</em></p>" in html


def test_a_reply_typed_on_several_lines_keeps_its_line_breaks(client, article, alice, make_annotation):
    annotation = make_annotation(alice, article, PHRASE)
    client.force_login(alice)
    url = reverse("annotations:thread", args=[annotation.pk])
    client.post(url, {"body": "I agree.\nBut see the second paragraph."})
    assert "I agree.<br>\nBut see the second paragraph." in client.get(url).content.decode()


def test_a_line_break_inside_a_notes_link_attribute_stays_in_the_attribute(client, article, alice, make_annotation):
    make_annotation(alice, article, PHRASE, note='<a href="https://example.org/a" title="one\ntwo">x</a>\nnext')
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'title="one\ntwo">x</a><br>\nnext' in html
