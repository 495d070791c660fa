"""The link form, link deletion, and links shown in the reader and the aligned view."""

from __future__ import annotations

import re

from django.urls import reverse

from annotations.models import Link
from articles.services.alignment import alignment_compute
from articles.services.revisions import article_import
from tests.annotations.conftest import XI_MOMENT, XI_VISIT


def _span(article, phrase: str) -> str:
    start = article.current.text.index(phrase)
    return f"{start}-{start + len(phrase)}"


def _post(left, right, **extra) -> dict:
    data = {
        "first_revision": left.current_id,
        "first": _span(left, XI_VISIT),
        "target": right.pk,
        "second_revision": right.current_id,
        "second": extra.pop("second") if "second" in extra else _span(right, XI_MOMENT),
        "kind": "same-event",
        "note": "",
    }
    return {**data, **extra}


def test_the_link_form_needs_a_signed_in_user(client, linked_pair):
    left, _right = linked_pair
    response = client.get(reverse("annotations:link_new", args=[left.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_link_form_refuses_other_methods(client, linked_pair, alice):
    client.force_login(alice)
    response = client.put(reverse("annotations:link_new", args=[linked_pair[0].pk]))
    assert response.status_code == 405


def test_the_link_form_shows_the_selected_passage_and_the_chosen_articles_sentences(client, linked_pair, alice):
    left, right = linked_pair
    start = left.current.text.index(XI_VISIT)
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk])
    page = client.get(url, {"start": start, "end": start + len(XI_VISIT), "target": right.pk}).content.decode()
    assert f'<blockquote class="passage link-first">{XI_VISIT}</blockquote>' in page.replace("&#x27;", "'")
    assert f'value="{_span(right, XI_MOMENT).split("-")[0]}-' in page  # the target's sentences are offered
    assert 'name="kind"' in page and "adds detail" in page


def test_choosing_the_target_with_htmx_swaps_in_its_sentences_only(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    response = client.get(
        reverse("annotations:link_new", args=[left.pk]), {"target": right.pk}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="link-second">')
    assert "<h1>" not in body and 'name="second"' in body


def test_posting_the_form_links_the_passages_and_returns_to_the_reader(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    response = client.post(reverse("annotations:link_new", args=[left.pk]), _post(left, right, note="<i>both</i>"))
    assert response.status_code == 302 and response["Location"].endswith(f"/articles/{left.pk}/#links")
    link = Link.objects.get()
    assert link.annotator == alice and link.activity is None and link.note == "<i>both</i>"
    assert [e.exact for e in link.ends.order_by("position")] == [XI_VISIT, XI_MOMENT]
    page = client.get(response["Location"]).content.decode()
    # "Linked." is said in the links section the page returns to, not at its top, out of sight
    assert (
        page.index('id="links-title"')
        < page.index("Linked.")
        < page.index("</section>", page.index('id="links-title"'))
    )


def test_a_pasted_quote_is_a_passage_too(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    data = _post(left, right, second="", second_quote=XI_MOMENT, kind="contradicts")
    client.post(reverse("annotations:link_new", args=[left.pk]), data)
    assert Link.objects.get().ends.get(position=1).exact == XI_MOMENT


def test_a_form_without_a_second_passage_or_with_a_wrong_quote_is_shown_again_with_the_error(
    client, linked_pair, alice
):
    left, right = linked_pair
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk])
    assert client.post(url, _post(left, right, second="")).status_code == 400
    response = client.post(url, _post(left, right, second="", second_quote="words nobody wrote"))
    assert response.status_code == 400 and "does not occur in this article" in response.content.decode()
    assert not Link.objects.exists()


def test_a_form_built_before_a_new_revision_gets_409(client, linked_pair, alice):
    left, right = linked_pair
    data = _post(left, right)
    article_import(source=left.source, data=bytes(left.current.raw) + b"\n")
    client.force_login(alice)
    response = client.post(reverse("annotations:link_new", args=[left.pk]), data)
    assert response.status_code == 409 and "superseded" in response.content.decode()
    assert not Link.objects.exists()


def test_after_linking_the_form_goes_back_to_a_local_next_page_only(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk])
    assert client.post(url, _post(left, right, next="/compare/?a=1"))["Location"] == "/compare/?a=1"
    kind = {"kind": "contradicts"}  # not the same link again, which is refused
    assert client.post(url, _post(left, right, next="https://evil.example/", **kind))["Location"].startswith(
        "/articles/"
    )


def test_a_student_links_in_the_exercises_layer_and_only_between_its_articles(
    client, linked_pair, exercise, corpus, alice
):
    left, right = linked_pair
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk]) + f"?activity={exercise.pk}"
    assert client.post(url, _post(left, right)).status_code == 302
    assert Link.objects.get().activity == exercise and Link.objects.get().layer == "individual"
    outside = corpus[1]
    response = client.post(url, _post(left, outside, second_revision=outside.current_id, second="0-20"))
    assert response.status_code == 400  # not one of the exercise's articles: not offered
    assert Link.objects.count() == 1


def test_a_student_who_submitted_cannot_link_any_more(client, linked_pair, exercise, alice):
    from annotations.services.activities import participation_submit

    participation_submit(participation=exercise.participations.get(user=alice))
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[linked_pair[0].pk]) + f"?activity={exercise.pk}"
    assert client.get(url).status_code == 403


def test_only_the_author_deletes_a_link(client, linked_pair, alice, bob, make_link):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    url = reverse("annotations:link_delete", args=[link.pk])
    assert client.post(url).status_code == 302 and Link.objects.alive().exists()  # signed out: to the login page
    client.force_login(bob)
    assert client.post(url).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#links")
    assert not Link.objects.alive().exists()


def test_deleting_a_link_with_htmx_says_so_in_its_place_and_the_readers_count_follows(
    client, linked_pair, alice, make_link
):
    left, right = linked_pair
    first = make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="contradicts")
    client.force_login(alice)
    reader = "http://testserver" + left.get_absolute_url()
    headers = {"HX-Request": "true", "HX-Current-URL": reader}
    html = client.post(reverse("annotations:link_delete", args=[first.pk]), headers=headers).content.decode()
    assert 'role="status">Link deleted.</li>' in html
    assert '<span class="count" id="links-count" hx-swap-oob="true">1</span>' in html
    assert Link.objects.alive().count() == 1
    from_compare = {"HX-Request": "true", "HX-Current-URL": "http://testserver/compare/"}
    other = Link.objects.alive().get()
    html = client.post(reverse("annotations:link_delete", args=[other.pk]), headers=from_compare).content.decode()
    assert "Link deleted." in html and "links-count" not in html  # the aligned view has no such count


def test_a_peers_link_in_a_blind_exercise_is_missing_rather_than_forbidden(
    client, linked_pair, exercise, alice, bob, make_link
):
    left, right = linked_pair
    link = make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise)
    client.force_login(bob)
    assert client.post(reverse("annotations:link_delete", args=[link.pk])).status_code == 404


def test_the_reader_lists_the_articles_links_with_both_quotes(client, linked_pair, alice, bob, make_link):
    left, right = linked_pair
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="contradicts", note="<b>see</b>")
    client.force_login(bob)
    page = client.get(reverse("annotations:reader", args=[right.pk])).content.decode()
    panel = page[page.index('id="links"') :]
    assert "contradicts" in panel and ">alice</a>" in panel and "Delete link" not in panel
    assert XI_VISIT.replace("’", "’") in panel.replace("&#x27;", "'") and "<b>see</b>" in panel


def test_the_reader_hides_a_blind_exercises_peer_links(client, linked_pair, exercise, alice, bob, make_link):
    left, right = linked_pair
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, activity=exercise, note="alice's link")
    client.force_login(bob)
    page = client.get(reverse("annotations:reader", args=[left.pk]), {"activity": exercise.pk}).content.decode()
    assert "alice's link" not in page.replace("&#x27;", "'") and "No links yet." in page


def test_the_aligned_view_shows_a_link_in_the_first_row_whose_passages_it_joins(client, linked_pair, alice, make_link):
    from articles.models import AlignmentPassage

    left, right = linked_pair
    alignment_compute()
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="same-point")
    page = client.get(reverse("annotations:compare"), {"a": [left.pk, right.pk]}).content.decode()
    assert page.count('class="link k-same-point') == 1
    before = page[: page.index('class="link k-same-point')]
    row = int(re.findall(r'<section class="arow" id="g(\d+)"', before)[-1])  # the row it sits in
    start = left.current.text.index(XI_VISIT)
    passages = AlignmentPassage.objects.filter(
        group_id=row, article=left, start__lt=start + len(XI_VISIT), end__gt=start
    )
    other = right.current.text.index(XI_MOMENT)
    passages = passages or AlignmentPassage.objects.filter(
        group_id=row, article=right, start__lt=other + len(XI_MOMENT), end__gt=other
    )
    assert passages.exists()  # one of its passages is the link's end
    assert before.rfind("Links from this row's passages") > before.rfind('<section class="arow"')


def test_the_dashboard_scores_students_links_against_the_key_when_the_exercise_asks_for_links(
    client, linked_pair, exercise, instructor, alice, bob, make_link
):
    left, right = linked_pair
    make_link(instructor, left, XI_VISIT, right, XI_MOMENT, kind="same-event", activity=exercise, layer="key")
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="same-event", activity=exercise)
    make_link(bob, right, XI_MOMENT, left, XI_VISIT, kind="contradicts", activity=exercise)  # other order, other kind
    client.force_login(instructor)
    page = client.get(reverse("annotations:dashboard", args=[exercise.pk])).content.decode()
    section = page[page.index('class="agreement links-agreement"') :]
    rows = {
        name: section[section.index(f'<th scope="row">{name}</th>') :].split("</tr>")[0] for name in ("alice", "bob")
    }
    cells = lambda row: [c.split("<")[0] for c in row.split('<td class="num">')[1:]]  # noqa: E731
    assert cells(rows["alice"]) == ["1", "1.00", "1.00", "1.00", "1.00"]
    assert cells(rows["bob"]) == ["1", "1.00", "1.00", "1.00", "0.00"]  # the same pair, another kind
    assert '<strong class="links-loose">1.000</strong>' in section
    assert '<strong class="links-strict">0.000</strong>' in section
    assert "contradicts 1" in rows["bob"] and "same event 1" in rows["alice"]  # kinds as a reader says them
    assert "the key&#x27;s 1 link" in section or "the key's 1 link" in section
    # the progress counts each student's links beside their highlights
    progress = page[page.index('<table class="progress">') : page.index("</table>")]
    assert progress.count('<td class="num links-made">1</td>') == 2


def test_a_student_is_told_an_exercise_asks_for_links_and_after_the_reveal_how_theirs_fared(
    client, linked_pair, exercise, instructor, alice, make_link
):
    from annotations.services.activities import activity_reveal

    left, right = linked_pair
    client.force_login(alice)
    page = client.get(exercise.get_absolute_url()).content.decode()
    assert "This exercise also asks you to link passages" in page and f"/compare/?activity={exercise.pk}" in page
    make_link(instructor, left, XI_VISIT, right, XI_MOMENT, kind="same-event", activity=exercise, layer="key")
    make_link(alice, left, XI_VISIT, right, XI_MOMENT, kind="contradicts", activity=exercise)
    activity_reveal(activity=exercise, user=instructor)
    page = client.get(exercise.get_absolute_url()).content.decode()
    feedback = page[page.index("Your links against the key") :]
    assert "You made 1 link; the key has 1." in feedback
    assert "F1 1.00, or 0.00 counting the kind of link too" in feedback
    assert "This article has no answer key" not in page


def test_the_dashboard_has_no_links_section_when_the_exercise_does_not_ask_for_links(client, exercise, instructor):
    exercise.asks_links = False
    exercise.save(update_fields=["asks_links"])
    client.force_login(instructor)
    page = client.get(reverse("annotations:dashboard", args=[exercise.pk])).content.decode()
    assert "links-agreement" not in page


def test_the_activity_form_sets_asks_links(client, linked_pair, instructor):
    from annotations.models import Activity, Tag

    client.force_login(instructor)
    data = {
        "kind": "exercise",
        "title": "Linking",
        "articles": [a.pk for a in linked_pair],
        "tags": [Tag.objects.public().first().pk],
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2036-01-01T09:00",
        "asks_links": "on",
    }
    assert client.post(reverse("annotations:activity_new"), data).status_code == 302
    assert Activity.objects.get(title="Linking").asks_links


def test_without_javascript_the_show_passages_button_keeps_the_chosen_passage(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    query = {
        "first_revision": left.current_id,
        "first": _span(left, XI_VISIT),
        "target": right.pk,
        "kind": "contradicts",
    }
    page = client.get(reverse("annotations:link_new", args=[left.pk]), query).content.decode()
    assert f'name="first" value="{_span(left, XI_VISIT)}"' in page
    assert 'name="second"' in page and re.search(r'<input[^>]*value="contradicts"[^>]*checked', page)


def test_the_show_passages_button_posts_the_form_again_and_no_token_goes_into_a_url(client, linked_pair, alice):
    left, right = linked_pair
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk])
    form = client.get(url, {"first": _span(left, XI_VISIT)}).content.decode()
    button = re.search(r'<button[^>]*id="show-passages"[^>]*>', form).group(0)
    assert 'name="show"' in button and "formmethod" not in button  # posted: the CSRF token stays in the body
    included = re.search(r'hx-include="([^"]*)"', form).group(1)
    assert "csrfmiddlewaretoken" not in included and "closest form" not in included
    post = {"first_revision": left.current_id, "first": _span(left, XI_VISIT), "target": right.pk, "show": "1"}
    page = client.post(url, {**post, "kind": "contradicts"})
    html = page.content.decode()
    assert page.status_code == 200 and not Link.objects.exists()
    assert f'name="first" value="{_span(left, XI_VISIT)}"' in html and 'name="second"' in html
    assert re.search(r'<input[^>]*value="contradicts"[^>]*checked', html) and "errorlist" not in html


def test_each_passage_of_the_aligned_view_opens_the_link_form_with_it(client, linked_pair, alice):
    left, right = linked_pair
    alignment_compute()
    client.force_login(alice)
    page = client.get(reverse("annotations:compare"), {"a": [left.pk, right.pk]}).content.decode()
    href = page[page.index('class="link-from" href="') + 24 :].split('"')[0].replace("&amp;", "&")
    assert href.startswith("/articles/") and "start=" in href and "next=" in href
    form = client.get(href).content.decode()
    assert 'class="passage link-first"' in form
    row = page[: page.index('class="link-from"')].rsplit('<section class="arow" id="g', 1)[1].split('"')[0]
    next_page = re.search(r'name="next" value="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert next_page.endswith(f"&row={row}#g{row}")  # after linking, back at the row, its message there
    assert next_page.count("row=") == 1


def test_sentences_offered_for_another_article_are_refused_with_a_reason(client, linked_pair, corpus, alice):
    left, right = linked_pair
    client.force_login(alice)
    data = _post(left, right, second_revision=corpus[1].current_id)  # the form showed another article's sentences
    response = client.post(reverse("annotations:link_new", args=[left.pk]), data)
    assert response.status_code == 400 and "choose it again" in response.content.decode()
    assert not Link.objects.exists()


def test_a_student_in_a_blind_exercise_is_told_a_link_outside_it_is_public_and_offered_the_exercise(
    client, linked_pair, exercise, alice, bob
):
    from annotations.services.activities import participation_submit

    left, right = linked_pair
    client.force_login(alice)
    url = reverse("annotations:link_new", args=[left.pk]) + f"?first={_span(left, XI_VISIT)}"
    page = client.get(url).content.decode()
    assert "This link is public" in page
    assert "shows your answer to everyone in it" in page
    offered = re.search(r'<a href="([^"]+)">Link in “Link the coverage” instead</a>', page).group(1)
    assert f"activity={exercise.pk}" in offered and "first=" in offered  # the same form, in the exercise
    inside = client.get(offered.replace("&amp;", "&")).content.decode()
    assert "this link is part of it, and until the work is revealed only you and the instructor see it" in inside
    assert "This link is public" not in inside
    # the aligned view of its articles says so too, and so does nothing once the work is submitted
    compare = client.get(reverse("annotations:compare") + f"?a={left.pk}&a={right.pk}").content.decode()
    assert "Open this view in “Link the coverage”" in compare
    participation_submit(participation=exercise.participations.get(user=alice))
    assert "Link in “Link the coverage” instead" not in client.get(url).content.decode()


def test_the_readers_rows_reported_elsewhere_keep_the_exercise_they_were_read_in(client, linked_pair, exercise, alice):
    alignment_compute()
    client.force_login(alice)
    page = client.get(
        reverse("annotations:reader", args=[linked_pair[0].pk]) + f"?activity={exercise.pk}"
    ).content.decode()
    rows = re.findall(r'<a href="/compare/\?([^"#]+)#g\d+">', page)
    assert rows and all(f"activity={exercise.pk}" in r for r in rows)
