"""A person's page: the creator id an export gives resolves, and shows only what the public layer shows."""

from __future__ import annotations

import io
import json

from django.urls import reverse

from annotations.services.activities import activity_join
from tests.annotations.test_activities import annotate
from tests.factories import make_activity

PHRASE = "Chinese President Xi Jinping’s visit to Moscow was not just symbolic."
TRIP = "first trip abroad"


def test_the_creator_id_of_an_exported_annotation_resolves_to_the_persons_page(client, article, alice):
    client.force_login(alice)
    start = article.current.text.index(PHRASE)
    created = client.post(
        reverse("annotations:api_article_annotations", args=[article.pk]),
        json.dumps({"start": start, "end": start + len(PHRASE), "exact": PHRASE, "tag": "claim"}),
        content_type="application/json",
    ).json()
    client.logout()
    creator = created["creator"]["id"]
    as_data = client.get(creator, headers={"Accept": "application/ld+json"})
    assert as_data.status_code == 200 and as_data["Content-Type"].startswith("application/ld+json")
    assert as_data.json() == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": creator,
        "type": "Person",
        "nickname": "alice",
    }
    paged = client.get(creator + "?page=2", headers={"Accept": "application/ld+json"}).json()
    assert paged["id"] == creator  # the person, whatever page of them was asked for
    page = client.get(creator)
    html = page.content.decode()
    assert page.status_code == 200 and "1 public annotation" in html
    assert "Xi Jinping’s visit to Moscow" in html and f"#a{created['id'].rsplit('/', 1)[1]}" in html


def test_a_persons_page_lists_their_public_work_but_nothing_of_an_exercise(client, corpus, instructor, alice, bob):
    exercise = make_activity(instructor, corpus[:2])
    activity_join(user=alice, code=exercise.join_code)
    annotate(alice, corpus[0], PHRASE, "opinion")
    annotate(alice, corpus[0], TRIP, "quote", activity=exercise)
    client.force_login(bob)
    html = client.get(reverse("annotations:person", args=["alice"])).content.decode()
    assert "1 public annotation" in html and "Xi Jinping’s visit" in html
    assert TRIP not in html


def test_a_student_with_only_exercise_work_is_hidden_from_others_but_not_from_themselves_or_exporters(
    client, corpus, instructor, alice, bob
):
    exercise = make_activity(instructor, corpus[:2])
    activity_join(user=alice, code=exercise.join_code)
    annotate(alice, corpus[0], TRIP, "quote", activity=exercise)
    url = reverse("annotations:person", args=["alice"])
    assert client.get(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(reverse("annotations:person", args=["nobody-here"])).status_code == 404
    client.force_login(alice)
    assert "0 public annotations" in client.get(url).content.decode()
    client.force_login(instructor)  # may export, so holds the creator ids of everyone's work
    assert client.get(url).status_code == 200


def test_an_imported_name_with_a_slash_links_to_its_page_and_the_article_still_renders(client, article, instructor):
    from annotations.services.imports import annotations_import

    row = {"article_id": article.pk, "start": 30, "end": 60, "tag": "opinion", "annotator": "Jane/Doe"}
    annotations_import(data=json.dumps(row).encode(), filename="a.jsonl", importer=instructor)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    href = reverse("annotations:person", args=["import:Jane/Doe"])
    assert f'href="{href}"' in page.content.decode()
    assert "1 public annotation" in client.get(href).content.decode()


def test_a_creator_id_names_the_account_that_holds_the_annotation_never_a_real_one_sharing_its_name(
    client, article, corpus, alice, instructor, make_annotation
):
    from annotations.services.activities import activity_join
    from annotations.services.annotations import annotation_create
    from annotations.services.exports import ExportFilter, write_export
    from annotations.services.imports import annotations_import
    from tests.factories import make_activity

    make_annotation(alice, corpus[1], corpus[1].current.text[:20])  # the real alice has public work elsewhere
    row = {"article_id": article.pk, "start": 30, "end": 60, "tag": "opinion", "annotator": "alice"}
    annotations_import(data=json.dumps(row).encode(), filename="a.jsonl", importer=instructor)  # import:alice
    exercise = make_activity(instructor, [article])
    activity_join(user=alice, code=exercise.join_code)
    annotation_create(user=alice, revision=article.current, start=70, end=80, tag="claim", activity=exercise)

    def creators(flt) -> list[dict]:
        out = io.StringIO()
        write_export("w3c", instructor, flt, out)
        return [item["creator"] for item in json.loads(out.getvalue())["first"]["items"]]

    imported = next(c for c in creators(ExportFilter(article_ids=[article.pk])) if c["nickname"] == "alice")
    assert imported["id"].endswith("/users/import%3Aalice")
    path = imported["id"].split("://", 1)[1].split("/", 1)[1]
    assert "Xi Jinping" not in client.get("/" + path).content.decode()  # the identity's page, not alice's
    assert creators(ExportFilter(activity=exercise)) == [{"type": "Person", "nickname": "annotator-1"}]


def test_a_public_links_author_links_to_their_page_and_it_counts_their_links(client, linked_pair, alice, make_link):
    from tests.annotations.conftest import XI_MOMENT, XI_VISIT

    left, right = linked_pair
    make_link(alice, left, XI_VISIT, right, XI_MOMENT)
    html = client.get(left.get_absolute_url()).content.decode()
    href = reverse("annotations:person", args=["alice"])
    assert f'by <a href="{href}">alice</a>' in html
    assert "0 public annotations and 1 public link" in client.get(href).content.decode()
