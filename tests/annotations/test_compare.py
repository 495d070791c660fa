from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from annotations.pages.aligned import correction_row
from articles.models import AlignmentGroup, AlignmentOverride, AlignmentPassage, Article
from articles.services.alignment import alignment_compute
from articles.services.alignment_corrections import offsets_naming


@pytest.fixture
def aligned(corpus):
    alignment_compute()
    return corpus


def test_import_command_recomputes_the_alignment(without_seeds, seed_paths, capsys):
    call_command("import_articles", str(seed_paths[0].parent))
    assert "aligned:" in capsys.readouterr().out
    assert AlignmentGroup.objects.exists()


def test_export_alignments_prints_groups_with_offsets_into_the_cleaned_text(aligned, capsys):
    call_command("export_alignments")
    data = json.loads(capsys.readouterr().out)
    assert data["groups"]
    for group in data["groups"]:
        assert {"id", "label", "passages"} <= set(group)
        assert len({p["article"] for p in group["passages"]}) >= 2
        for p in group["passages"]:
            article = next(a for a in aligned if a.pk == p["article_id"])
            assert article.current.text[p["start"] : p["end"]] == p["text"]
            assert p["article"] == article.source


def test_export_alignments_gives_each_group_an_event_and_lists_the_events(aligned, capsys):
    call_command("export_alignments")
    data = json.loads(capsys.readouterr().out)
    events = {e["id"]: e["label"] for e in data["events"]}
    assert events and all(events.values())
    assert all(group["event"] in events for group in data["groups"])
    assert len(events) < len(data["groups"])  # an event holds several points


def test_aligned_view_shows_event_sections_with_their_point_rows(client, aligned):
    from articles.models import AlignmentEvent

    html = client.get(reverse("annotations:compare")).content.decode()
    assert html.count('class="event"') == AlignmentEvent.objects.filter(groups__isnull=False).distinct().count()
    first_event = html.index('class="event"')
    assert html.index('class="arow"') > first_event


def test_the_event_row_under_its_heading_does_not_repeat_the_heading(client, aligned):
    from articles.models import AlignmentEvent

    event = AlignmentEvent.objects.filter(groups__level="event").first()
    assert event is not None and event.groups.filter(level="event", label=event.label).exists()
    html = client.get(reverse("annotations:compare")).content.decode()
    heading = html.index(f"</span> <bdi>{escape(event.label)}</bdi> <span")
    row = html.index('class="arow"', heading)
    assert html[row : html.index("</h4>", row)].count(escape(event.label)) == 0
    assert "the event as its reports tell it" in html[row : html.index("</h4>", row)]


def test_a_rejected_suggestion_is_not_suggested_again_after_recomputation(aligned, staff):
    from articles.models import AlignmentSuggestion
    from articles.services.alignment_corrections import alignment_override_add

    suggestion = AlignmentSuggestion.objects.first()
    assert suggestion is not None
    alignment_override_add(
        user=staff,
        kind="reject",
        article=suggestion.article,
        start=suggestion.start,
        target_article=suggestion.target_article,
        target_start=suggestion.target_start,
    )
    alignment_compute()
    assert not AlignmentSuggestion.objects.filter(
        article=suggestion.article,
        start=suggestion.start,
        target_article=suggestion.target_article,
        target_start=suggestion.target_start,
    ).exists()


def test_aligned_view_shows_rows_matrix_discrepancy_and_only_in(client, aligned):
    response = client.get(reverse("annotations:compare"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="matrix"' in html
    assert "$245 billion vs approaching $250 billion" in html
    assert "Only in “" in html
    assert html.count('class="arow"') == AlignmentGroup.objects.count()


def test_aligned_view_with_two_chosen_articles_has_two_columns(client, aligned):
    a, b = aligned[2], aligned[3]
    html = client.get(reverse("annotations:compare") + f"?a={a.pk}&a={b.pk}").content.decode()
    assert "aligned cols-2" in html


def test_passages_show_the_articles_highlights_and_tag_counts(client, aligned, alice, make_annotation):
    article = aligned[3]
    passage = AlignmentPassage.objects.filter(article=article).first()
    phrase = article.current.text[passage.start : passage.start + 25]
    make_annotation(alice, article, phrase, "unsupported")
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "t-unsupported" in html
    assert "Unsupported 1" in html
    marks = re.findall(r"<mark [^>]*>", html)
    # no script presses them here: a tooltip says what covers a mark, and nothing poses as a button
    assert marks and all("title=" in m and "role=" not in m and "data-" not in m for m in marks)
    assert '<mark class="hl t-unsupported d1" title="Highlight: unsupported by alice">' in html


def test_query_count_of_the_aligned_view_does_not_grow_with_annotations(client, aligned, alice, make_annotation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("annotations:compare"))
    for phrase in ["first trip abroad", "third term", "Crimea"]:
        make_annotation(alice, aligned[0], phrase)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("annotations:compare"))
    assert len(after) == len(before)


def test_reader_links_a_passage_to_its_row_in_the_aligned_view(client, aligned):
    group = AlignmentGroup.objects.first()
    article_id = group.passages.first().article_id
    html = client.get(reverse("annotations:reader", args=[article_id])).content.decode()
    others = sorted(set(group.passages.exclude(article_id=article_id).values_list("article_id", flat=True)))
    chosen = "&amp;".join(f"a={pk}" for pk in [article_id, *others][:5])
    link = f"{reverse('annotations:compare')}?{chosen}#g{group.pk}"
    assert link in html  # the choice of articles that shows the row, whatever the default shows
    assert f'id="g{group.pk}"' in client.get(link.replace("&amp;", "&").split("#")[0]).content.decode()


def test_only_editors_correct_the_alignment(client, aligned, alice):
    group = AlignmentGroup.objects.first()
    passage = group.passages.first()
    data = {"kind": "rename", "article": passage.article_id, "start": passage.start, "label": "renamed"}
    url = reverse("articles:alignment_correct")
    assert client.post(url, data).status_code == 302  # to sign in
    client.force_login(alice)
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    assert not AlignmentOverride.objects.exists()


def test_rename_is_kept_when_the_alignment_is_recomputed(client, aligned, staff):
    group = AlignmentGroup.objects.first()
    passage = group.passages.first()
    client.force_login(staff)
    client.post(
        reverse("articles:alignment_correct"),
        {"kind": "rename", "article": passage.article_id, "start": passage.start, "label": "Xi's visit"},
    )
    alignment_compute()
    assert AlignmentGroup.objects.filter(label="Xi's visit", passages__article_id=passage.article_id).exists()


def test_split_and_move_and_merge_survive_recomputation(aligned, staff):
    from articles.services.alignment_corrections import alignment_override_add

    groups = list(AlignmentGroup.objects.prefetch_related("passages"))
    first, second = groups[0], groups[1]
    moved = first.passages.all()[0]
    target = second.passages.all()[0]
    alignment_override_add(
        user=staff,
        kind="move",
        article=moved.article,
        start=moved.start,
        target_article=target.article,
        target_start=target.start,
    )
    alignment_compute()
    holder = AlignmentPassage.objects.get(
        article=moved.article,
        start=moved.start,
        group__passages__article=target.article,
        group__passages__start=target.start,
    )
    assert holder.group.passages.filter(article=target.article, start=target.start).exists()

    alignment_override_add(user=staff, kind="split", article=moved.article, start=moved.start)
    alignment_compute()
    assert not AlignmentPassage.objects.filter(article=moved.article, start=moved.start, group=holder.group_id).exists()


def test_bad_correction_requests_get_a_message_not_an_error(client, aligned, staff):
    client.force_login(staff)
    response = client.post(
        reverse("articles:alignment_correct"),
        {"kind": "move", "article": aligned[0].pk, "start": 0, "target_group": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose the row" in response.content.decode()
    response = client.post(reverse("articles:alignment_correct"), {"kind": "rename", "article": 99999, "start": 0})
    assert response.status_code == 404


def test_renaming_a_row_from_its_controls_renames_that_row_when_its_passage_is_also_in_an_earlier_row(
    client, aligned, staff
):
    def held_earlier(group) -> bool:
        return any(
            AlignmentPassage.objects.filter(
                article_id=p.article_id, start__lte=p.start, end__gt=p.start, group__order__lt=group.order
            ).exists()
            for p in group.passages.all()
        )

    group = next(g for g in AlignmentGroup.objects.order_by("order") if held_earlier(g))
    others = dict(AlignmentGroup.objects.exclude(pk=group.pk).values_list("pk", "label"))
    client.force_login(staff)
    ids = "&".join(f"a={a.pk}" for a in aligned)
    controls = client.get(reverse("annotations:compare") + f"?{ids}&correct={group.pk}", headers={"HX-Request": "true"})
    forms = re.findall(r'name="article" value="(\d+)"><input type="hidden" name="start" value="(\d+)"', controls.text)
    assert forms
    for article, start in forms:
        data = {"kind": "rename", "article": article, "start": start, "label": f"renamed at {start}"}
        client.post(reverse("articles:alignment_correct"), data)
        group.refresh_from_db()
        assert group.label == f"renamed at {start}"
    assert dict(AlignmentGroup.objects.exclude(pk=group.pk).values_list("pk", "label")) == others


def test_a_rows_controls_rename_it_once_and_show_each_passage_by_its_words_not_its_offset(client, aligned, staff):
    group = AlignmentGroup.objects.filter(level="point").order_by("order").first()
    client.force_login(staff)
    ids = "&".join(f"a={a.pk}" for a in aligned)
    controls = client.get(reverse("annotations:compare") + f"?{ids}&correct={group.pk}", headers={"HX-Request": "true"})
    html = controls.content.decode()
    assert html.count("Rename row") == 1 and html.count('value="merge"') == 1
    shown = [p for p in group.passages.all() if escape(p.revision.text[p.start : p.end][:40]) in html]
    assert shown and ", at " not in html
    assert html.count('<option value="">choose a row…</option>') == html.count("<select")


def test_moving_a_passage_into_a_row_whose_first_passage_is_also_in_an_earlier_row_moves_it_there(
    client, aligned, staff
):
    groups = list(AlignmentGroup.objects.order_by("order"))

    def spans(group) -> list[tuple[int, int, int]]:
        return list(group.passages.order_by("article_id", "start").values_list("article_id", "start", "end"))

    target = next(g for g in groups if offsets_naming(g, spans(g)[:1]) != [spans(g)[0][1]])
    source = next(g for g in groups if g.pk != target.pk and offsets_naming(g, spans(g)[:1])[0] is not None)
    article, _start, _end = spans(source)[0]
    at = offsets_naming(source, spans(source)[:1])[0]
    client.force_login(staff)
    data = {"kind": "move", "article": article, "start": at, "target_group": target.pk}
    client.post(reverse("articles:alignment_correct"), data)
    assert target.passages.filter(article_id=article, start__lte=at, end__gt=at).exists()


def test_after_a_correction_or_its_error_the_page_returns_to_the_row_that_holds_the_passage(client, aligned, staff):
    client.force_login(staff)
    group = AlignmentGroup.objects.filter(level="point").order_by("order").first()
    passage = group.passages.order_by("start").last()
    at = {"article": passage.article_id, "start": passage.start, "query": "a=1"}
    location = client.post(reverse("articles:alignment_correct"), at | {"kind": "rename", "label": "Xi's visit"})[
        "Location"
    ]
    row = int(location.rpartition("#g")[2])
    assert location == f"/compare/?a=1&row={row}#g{row}"
    assert AlignmentPassage.objects.filter(group=row, article=passage.article_id, start=passage.start).exists()
    location = client.post(reverse("articles:alignment_correct"), at | {"kind": "split"})["Location"]
    row = int(location.rpartition("#g")[2])
    assert location == f"/compare/?a=1&row={row}#g{row}"
    if AlignmentGroup.objects.filter(pk=group.pk).exists():  # the row it left, where its message is
        assert row == group.pk
    else:  # that row is gone (one article left in it): the row that still holds the passage
        assert AlignmentPassage.objects.filter(group=row, article=passage.article_id, start=passage.start).exists()
    for data in ({"kind": "rename", "label": " "}, {"kind": "move", "target_group": ""}):
        location = client.post(reverse("articles:alignment_correct"), at | data)["Location"]
        row = int(location.rpartition("#g")[2])
        assert location == f"/compare/?a=1&correct={row}#g{row}"  # its controls open again, with the message


def test_a_choice_of_fewer_than_two_articles_says_so_and_shows_them_all(client, aligned):
    html = client.get(reverse("annotations:compare") + f"?a={aligned[0].pk}&a=999999").content.decode()
    assert "Choose two articles or more to compare: showing these articles." in html
    assert html.count('class="cells"') and all(a.current.title[:20] in html for a in aligned)
    chosen = client.get(reverse("annotations:compare") + f"?a={aligned[0].pk}&a={aligned[1].pk}").content.decode()
    assert "Choose two articles" not in chosen


def test_the_overview_lists_the_rows_in_the_order_the_page_shows_them(client, aligned):
    html = client.get(reverse("annotations:compare")).content.decode()
    overview = re.findall(r'<th scope="row"><a href="#g(\d+)"', html)
    shown = re.findall(r'<section class="arow" id="g(\d+)"', html)
    assert overview and overview == shown


def test_a_rows_controls_name_each_passage_held_by_an_earlier_row_and_link_to_that_row(client, aligned, staff):
    shown = list(Article.objects.filter(pk__in=[a.pk for a in aligned]).select_related("current"))
    row = next(
        r for g in AlignmentGroup.objects.order_by("order") if (r := correction_row(shown, g.pk)) and r["shared"]
    )
    client.force_login(staff)
    ids = "&".join(f"a={a.pk}" for a in aligned)
    html = client.get(
        reverse("annotations:compare") + f"?{ids}&correct={row['group'].pk}", headers={"HX-Request": "true"}
    ).content.decode()
    listed = re.findall(r'in <a href="#g(\d+)">', html)
    assert len(listed) == len(row["shared"]) and f"{len(listed)} passage" in html
    for shared, anchor in zip(row["shared"], listed, strict=True):
        assert int(anchor) == shared["row"] != row["group"].pk
        assert AlignmentGroup.objects.get(pk=anchor).order < row["group"].order


def test_a_renamed_row_cannot_turn_the_text_after_it_around(client, aligned, staff):
    group = AlignmentGroup.objects.filter(level="point").first()
    group.label = "trade \u202e figures"
    group.save(update_fields=["label"])
    html = client.get(reverse("annotations:compare")).content.decode()
    assert html.count("<bdi>trade \u202e figures</bdi>") >= 2  # the overview's row and the row's heading
    assert "trade \u202e figures" not in html.replace("<bdi>trade \u202e figures</bdi>", "")


def test_with_more_articles_than_columns_the_page_says_which_are_shown(client, corpus):
    from articles.services.revisions import article_import

    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Showing the first" not in html
    article_import(source="sixth.txt", data=("A sixth article\n\n" + "Its one paragraph says little. " * 5).encode())
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Showing the first 5 of 6 articles: choose which to compare below." in html


def test_a_corrections_message_shows_in_the_row_it_returns_to_not_at_the_top(client, aligned, staff):
    client.force_login(staff)
    group = AlignmentGroup.objects.filter(level="point").order_by("order").first()
    passage = group.passages.order_by("start").last()
    data = {"article": passage.article_id, "start": passage.start, "query": "", "kind": "rename", "label": "Renamed"}
    location = client.post(reverse("articles:alignment_correct"), data)["Location"]
    html = client.get(location).content.decode()
    row = html.index(f'<section class="arow" id="g{location.rpartition("#g")[2]}"')
    message = html.index("Row renamed; the correction is kept")
    assert row < message < html.index('class="cells"', row)  # inside the row, above its passages
    assert html.count("Row renamed; the correction is kept") == 1
    assert "row=" not in html[html.index('<form method="get"') :].split("</form>")[0]  # not carried on


def test_two_articles_of_one_title_are_told_apart_by_their_file_names(client, corpus, editor):
    from articles.services.revisions import article_import

    body = "Global leaders meet in Dubai\n\n" + "Delegates gathered for the summit on Wednesday. " * 5
    for name in ("dubai-a.txt", "dubai-b.txt"):
        article_import(source=name, data=body.replace("Wednesday", name).encode())
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "(dubai-a.txt)</span>" in html and "(dubai-b.txt)</span>" in html
    client.force_login(editor)
    page = client.get(reverse("annotations:export")).content.decode()
    assert "Global leaders meet in Dubai (dubai-a.txt)" in page and "Global leaders meet in Dubai (dubai-b.txt)" in page
    assert f"{corpus[0].current.title} ({corpus[0].source})" not in page  # a title of its own stays alone


def test_a_long_list_of_articles_to_choose_from_folds_away_once_rows_are_shown(client, corpus):
    from articles.services.alignment import alignment_compute
    from articles.services.revisions import article_import

    for n in range(5):
        article_import(source=f"extra_{n}.txt", data=f"Extra {n}\n\nA short piece number {n} on the harbour.".encode())
    alignment_compute()
    chosen = {"a": [a.pk for a in corpus[:3]]}
    html = client.get(reverse("annotations:compare"), chosen).content.decode()
    assert '<details class="choose-articles">' in html and "3 of 10 shown" in html
    unchosen = client.get(reverse("annotations:compare")).content.decode()  # "choose which": open
    assert '<details class="choose-articles" open>' in unchosen
    few = client.get(reverse("annotations:compare"), {"a": [corpus[0].pk]}).content.decode()  # asked to choose: open
    assert '<details class="choose-articles" open>' in few
