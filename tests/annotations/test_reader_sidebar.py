"""What the reader's sidebar says about each annotation."""

from __future__ import annotations

from annotations.models import Annotation


def test_free_labels_show_in_the_sidebar_item(client, article, make_annotation, alice):
    annotation = make_annotation(alice, article, "first trip abroad")
    Annotation.objects.filter(pk=annotation.pk).update(labels=["hedge", "source: TASS"])
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="label"><bdi>hedge</bdi></span> <span class="label"><bdi>source: TASS</bdi></span>' in page


def test_an_item_without_labels_shows_no_label_line(client, article, make_annotation, alice):
    make_annotation(alice, article, "first trip abroad")
    assert 'class="labels"' not in client.get(article.get_absolute_url()).content.decode()
