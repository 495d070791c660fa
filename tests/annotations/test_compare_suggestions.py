from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import AlignmentOverride, AlignmentPassage, AlignmentSuggestion
from articles.services.alignment import alignment_compute


def _correct(client, data: dict) -> str:
    """The aligned view after posting an editor's correction (the page it returns to)."""
    return client.post(reverse("articles:alignment_correct"), data, follow=True).content.decode()


@pytest.fixture
def suggestion(corpus) -> AlignmentSuggestion:
    alignment_compute()
    found = AlignmentSuggestion.objects.first()
    assert found is not None
    return found


def judge(client, suggestion, kind: str):
    return client.post(
        reverse("articles:alignment_correct"),
        {
            "kind": kind,
            "article": suggestion.article_id,
            "start": suggestion.start,
            "target_article": suggestion.target_article_id,
            "target_start": suggestion.target_start,
        },
    )


def rows_of(article_id: int, offset: int) -> set[int]:
    return set(
        AlignmentPassage.objects.filter(article_id=article_id, start__lte=offset, end__gt=offset).values_list(
            "group_id", flat=True
        )
    )


def test_editors_see_suggested_links_with_accept_and_reject_buttons(client, suggestion, staff):
    client.force_login(staff)
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Suggested links" in html and f"{round(suggestion.probability * 100)}%" in html
    assert 'value="accept"' in html and 'value="reject"' in html


def test_readers_see_suggested_links_without_buttons(client, suggestion, alice):
    client.force_login(alice)
    html = client.get(reverse("annotations:compare")).content.decode()
    assert "Suggested links" in html and 'value="accept"' not in html


def test_only_editors_judge_a_suggested_link(client, suggestion, alice):
    assert judge(client, suggestion, "accept").status_code == 302  # to sign in
    client.force_login(alice)
    assert judge(client, suggestion, "accept").status_code == 403
    assert client.get(reverse("articles:alignment_correct")).status_code == 405
    assert not AlignmentOverride.objects.exists()


def test_an_accepted_link_puts_both_passages_in_one_row_and_survives_recomputation(client, suggestion, staff):
    client.force_login(staff)
    assert judge(client, suggestion, "accept").status_code == 302
    assert AlignmentOverride.objects.get().kind == "accept"
    alignment_compute()
    assert rows_of(suggestion.article_id, suggestion.start) & rows_of(
        suggestion.target_article_id, suggestion.target_start
    )
    assert not AlignmentSuggestion.objects.filter(
        article_id=suggestion.article_id, start=suggestion.start, target_article_id=suggestion.target_article_id
    ).exists()


def test_a_rejected_link_is_no_longer_suggested_after_recomputation(client, suggestion, staff):
    client.force_login(staff)
    judge(client, suggestion, "reject")
    alignment_compute()
    html = client.get(reverse("annotations:compare")).content.decode()
    assert AlignmentOverride.objects.get().kind == "reject"
    assert not AlignmentSuggestion.objects.filter(
        article_id=suggestion.article_id,
        start=suggestion.start,
        target_article_id=suggestion.target_article_id,
        target_start=suggestion.target_start,
    ).exists()
    assert "Suggested link rejected: it is not suggested again" in html


def test_after_a_rejection_the_page_returns_to_the_suggestions_with_the_message_there(client, suggestion, staff):
    client.force_login(staff)
    location = judge(client, suggestion, "reject")["Location"]
    assert location == "/compare/?at=suggested#suggested"
    html = client.get(location).content.decode()
    heading = html.index('<h2 id="suggested">')
    assert heading < html.index("Suggested link rejected") < html.index('<ul class="suggestions">', heading)
    assert html.count("Suggested link rejected") == 1


def test_a_passage_split_out_of_its_only_row_returns_to_where_that_row_is(client, corpus, staff):
    from articles.models import AlignmentGroup, AlignmentPassage

    alignment_compute()
    held = {}
    for p in AlignmentPassage.objects.all():
        held.setdefault((p.article_id, p.start), set()).add(p.group_id)
    group = next(
        g
        for g in AlignmentGroup.objects.order_by("order")
        if len({p.article_id for p in g.passages.all()}) >= 3
        and any(len(held[(p.article_id, p.start)]) == 1 for p in g.passages.all())
    )
    passage = next(p for p in group.passages.order_by("start") if len(held[(p.article_id, p.start)]) == 1)
    client.force_login(staff)
    data = {"kind": "split", "article": passage.article_id, "start": passage.start, "query": ""}
    location = client.post(reverse("articles:alignment_correct"), data)["Location"]
    assert location == f"/compare/?row={group.pk}#g{group.pk}"  # the row it left, not the top of the page
    assert "Passage split out of the row" in client.get(location).content.decode()


def test_a_passage_split_out_of_one_of_its_two_rows_returns_to_that_row_and_says_where_it_stays(client, corpus, staff):
    from articles.models import AlignmentGroup
    from articles.services.alignment_corrections import offsets_naming

    alignment_compute()
    held = {}
    for p in AlignmentPassage.objects.all():
        held.setdefault((p.article_id, p.start), set()).add(p.group_id)
    # a passage in two rows, named (as the form names it) by an offset that leads to the later row
    for group in AlignmentGroup.objects.order_by("order"):
        if len({p.article_id for p in group.passages.all()}) < 3:
            continue
        passages = list(group.passages.order_by("article_id", "start"))
        offsets = offsets_naming(group, [(p.article_id, p.start, p.end) for p in passages])
        found = [
            (p, at)
            for p, at in zip(passages, offsets, strict=True)
            if at is not None and len(held[(p.article_id, p.start)]) > 1
        ]
        if found:
            passage, at = found[0]
            break
    other = AlignmentGroup.objects.get(
        pk=min(
            held[(passage.article_id, passage.start)] - {group.pk}, key=lambda g: AlignmentGroup.objects.get(pk=g).order
        )
    )
    client.force_login(staff)
    data = {"kind": "split", "article": passage.article_id, "start": at, "query": ""}
    location = client.post(reverse("articles:alignment_correct"), data)["Location"]
    assert location == f"/compare/?row={group.pk}#g{group.pk}"  # the row it left, not the other one
    page = client.get(location).content.decode()
    assert (
        "Passage split out of the row (it stays in the row" in page
        and "Only in" not in page.split("Passage split out")[1][:80]
    )
    assert other.pk in {
        p.group_id for p in AlignmentPassage.objects.filter(article_id=passage.article_id, start=passage.start)
    }


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"kind": "accept", "start": 5, "target": "same"}, "A suggested link joins passages of two articles."),
        ({"kind": "accept", "start": 999999, "target": "other"}, "That passage is not in"),
        ({"kind": "reject", "start": 10**12, "target": "other"}, "That passage is not in"),
        ({"kind": "rename", "start": 5, "target": "none", "label": "\u200b\u200c\u2060"}, "A label needs a character"),
    ],
)
def test_a_hand_made_correction_naming_no_passage_or_one_article_is_refused_and_not_kept(
    client, corpus, staff, data, said
):
    alignment_compute()
    first, second = corpus[0], corpus[1]
    target = first if data["target"] == "same" else second
    post = {
        "kind": data["kind"],
        "article": first.pk,
        "start": data["start"],
        "query": "",
        "label": data.get("label", ""),
    }
    if data["target"] != "none":
        post |= {"target_article": target.pk, "target_start": 5}
    client.force_login(staff)
    response = client.post(reverse("articles:alignment_correct"), post, follow=True)
    assert said in response.content.decode()
    assert not AlignmentOverride.objects.exists()


def test_a_row_whose_passages_all_sit_in_earlier_rows_can_still_be_merged_into(client, corpus, staff):
    from articles.models import AlignmentGroup

    alignment_compute()
    held = {}
    for p in AlignmentPassage.objects.order_by("group__order"):
        held.setdefault((p.article_id, p.start), []).append(p.group_id)
    order = {g.pk: g.order for g in AlignmentGroup.objects.all()}

    def hidden(group) -> bool:  # every passage also in an earlier row: no offset names this one first
        return all(any(order[o] < order[group.pk] for o in held[(p.article_id, p.start)]) for p in group.passages.all())

    target = next((g for g in AlignmentGroup.objects.order_by("order") if hidden(g)), None)
    assert target is not None  # the seeds' alignment has such rows (a sentence in two rows)
    source = next(g for g in AlignmentGroup.objects.order_by("order") if g.pk != target.pk and not hidden(g))
    passage = next(p for p in source.passages.order_by("start") if held[(p.article_id, p.start)][0] == source.pk)
    client.force_login(staff)
    data = {
        "kind": "merge",
        "article": passage.article_id,
        "start": passage.start,
        "target_group": target.pk,
        "query": "",
    }
    page = _correct(client, data)
    assert "Rows merged" in page
    assert target.passages.filter(article_id=passage.article_id, start=passage.start).exists()


def test_an_accepted_suggestion_between_two_lone_passages_is_still_a_row_after_a_full_run(corpus, staff):
    from articles.models import AlignmentGroup
    from articles.services.alignment_corrections import alignment_override_add

    alignment_compute()
    lone = next(
        s
        for s in AlignmentSuggestion.objects.all()
        if not AlignmentPassage.objects.filter(article_id=s.article_id, start__lte=s.start, end__gt=s.start).exists()
        and not AlignmentPassage.objects.filter(
            article_id=s.target_article_id, start__lte=s.target_start, end__gt=s.target_start
        ).exists()
    )
    article, target = lone.article, lone.target_article
    alignment_override_add(
        user=staff,
        kind="accept",
        article=article,
        start=lone.start,
        target_article=target,
        target_start=lone.target_start,
    )

    def together() -> bool:
        rows = set(
            AlignmentPassage.objects.filter(article=article, start__lte=lone.start, end__gt=lone.start).values_list(
                "group_id", flat=True
            )
        )
        return AlignmentGroup.objects.filter(
            pk__in=rows,
            passages__article=target,
            passages__start__lte=lone.target_start,
            passages__end__gt=lone.target_start,
        ).exists()

    assert together()
    alignment_compute()  # nothing changed in the corpus: the accepted link is still a row
    assert together()


def test_a_hand_made_split_between_two_sentences_or_a_reject_of_no_suggestion_is_refused(client, corpus, staff):
    from articles.models import AlignmentGroup

    alignment_compute()
    passage = AlignmentPassage.objects.order_by("article_id", "start").first()
    text = passage.article.current.text
    gap = next(
        i
        for i in range(passage.end, len(text))
        if not AlignmentPassage.objects.filter(article=passage.article, start__lte=i, end__gt=i).exists()
    )
    client.force_login(staff)
    page = client.post(
        reverse("articles:alignment_correct"),
        {"kind": "split", "article": passage.article_id, "start": gap, "query": ""},
        follow=True,
    ).content.decode()
    assert "That passage is in no row of the aligned view" in page
    other = AlignmentPassage.objects.exclude(article=passage.article).first()
    data = {
        "kind": "reject",
        "article": passage.article_id,
        "start": passage.start,
        "target_article": other.article_id,
        "target_start": other.start,
        "query": "",
    }
    page = _correct(client, data)
    assert "These two passages are not a suggested link" in page
    assert not AlignmentOverride.objects.exists() and AlignmentGroup.objects.exists()


def test_a_correction_follows_its_sentence_to_a_new_revision_and_one_whose_sentence_is_gone_is_lost(
    corpus, staff, editor
):
    from annotations.services.corrections import article_text_correct
    from articles.models import AlignmentGroup
    from articles.services.alignment_corrections import alignment_override_add, offsets_naming

    alignment_compute()
    for group in AlignmentGroup.objects.filter(level="point").order_by("order"):
        passages = list(group.passages.order_by("article_id", "start").select_related("article"))
        offsets = offsets_naming(group, [(p.article_id, p.start, p.end) for p in passages])
        named = [(p, at) for p, at in zip(passages, offsets, strict=True) if at is not None]
        if len({p.article_id for p in passages}) >= 3 and named:
            break
    passage, at = named[0]
    article = passage.article
    sentence = article.current.text[passage.start : passage.end]
    alignment_override_add(user=staff, kind="split", article=article, start=at)
    override = AlignmentOverride.objects.get()
    # a paragraph before it: every offset after moves on
    text = "A new opening paragraph, added by the editor.\n\n" + article.current.text
    article_text_correct(editor=editor, article=article, text=text, base=article.current.number)
    article.refresh_from_db()
    override.refresh_from_db()
    assert article.current.text[override.start : override.start + len(sentence)] == sentence
    assert not override.lost
    # the sentence taken out: the correction names nothing, and is not replayed onto another one
    text = article.current.text.replace(sentence, "", 1)
    article_text_correct(editor=editor, article=article, text=text, base=article.current.number)
    override.refresh_from_db()
    assert override.lost
    alignment_compute()  # a full run with it lost splits nothing


def test_merging_a_row_into_itself_or_moving_a_passage_into_its_own_row_is_refused_and_not_kept(client, corpus, staff):
    from articles.models import AlignmentGroup

    alignment_compute()
    group = AlignmentGroup.objects.order_by("order").first()
    passage = group.passages.order_by("start").first()
    client.force_login(staff)
    for kind in ("merge", "move"):
        data = {
            "kind": kind,
            "article": passage.article_id,
            "start": passage.start,
            "target_group": group.pk,
            "query": "",
        }
        page = _correct(client, data)
        assert "The passage is already in that row" in page
    assert not AlignmentOverride.objects.exists()
