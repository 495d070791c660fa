from __future__ import annotations

import pytest

PHRASES = ["Chinese President", "Xi Jinping", "visit to Moscow", "not just symbolic", "first trip abroad"]


def api_url(article) -> str:
    return f"/api/articles/{article.pk}/annotations"


@pytest.fixture
def five(article, alice, make_annotation, settings):
    settings.API_PAGE_SIZE = 2
    return [make_annotation(alice, article, phrase) for phrase in PHRASES]


def exacts(page: dict) -> list[str]:
    return [item["target"]["selector"][0]["exact"] for item in page["items"]]


def test_collection_embeds_its_first_page_and_names_the_last(client, article, five):
    doc = client.get(api_url(article)).json()
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 5
    assert len(doc["first"]["items"]) == 2 and doc["first"]["startIndex"] == 0
    assert doc["first"]["next"].endswith(api_url(article) + "?page=1")
    assert "prev" not in doc["first"]
    assert doc["last"].endswith(api_url(article) + "?page=2")


def test_pages_together_hold_every_annotation_once_in_document_order(client, article, five):
    doc = client.get(api_url(article)).json()
    seen, page = exacts(doc["first"]), doc["first"]
    while "next" in page:
        page = client.get(page["next"]).json()
        seen += exacts(page)
    text = article.current.text
    assert seen == sorted(PHRASES, key=text.index)


def test_a_page_says_which_collection_it_is_part_of_and_links_back(client, article, five):
    page = client.get(api_url(article) + "?page=2").json()
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 4
    assert page["partOf"]["total"] == 5 and page["partOf"]["id"].endswith(api_url(article))
    assert page["prev"].endswith("?page=1") and "next" not in page
    assert len(page["items"]) == 1


def test_page_links_keep_the_filters(client, article, five):
    doc = client.get(api_url(article) + "?tag=claim").json()
    assert doc["first"]["next"].endswith("?tag=claim&page=1")


def test_a_page_past_the_last_is_not_found(client, article, five):
    assert client.get(api_url(article) + "?page=3").status_code == 404


def test_a_page_that_is_not_a_number_is_refused(client, article, five):
    response = client.get(api_url(article) + "?page=-1")
    assert response.status_code == 400 and response.json()["field"] == "page"


def test_an_empty_collection_has_one_empty_page(client, article):
    doc = client.get(api_url(article)).json()
    assert doc["total"] == 0 and doc["first"]["items"] == [] and doc["last"].endswith("?page=0")
