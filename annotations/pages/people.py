"""A person's page: their public annotations and links, newest first, a page at a time."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.urls import reverse

from annotations.models import Annotation, Link

PER_PAGE = 50


def person_page(person, page_number) -> dict:
    """What /users/<username>/ shows of `person`: only the public layer (work in exercises and
    review sessions is shown in them, under their own rules)."""
    public = Annotation.objects.visible_to(person, None).filter(annotator=person)
    rows = public.select_related("revision__article", "tag").order_by("-created_at", "-pk")
    page = Paginator(rows, PER_PAGE).get_page(page_number)
    counts = Counter(public.values_list("tag__slug", flat=True))
    items = []
    for annotation in page:
        revision = annotation.revision
        url = reverse("annotations:reader", args=[revision.article_id])
        if revision.pk != revision.article.current_id:
            url += f"?revision={revision.number}"
        items.append(
            {
                "tag": annotation.tag.slug,
                "exact": annotation.exact,
                "title": revision.title,
                "created": annotation.created_at,
                "url": f"{url}#a{annotation.pk}",
            }
        )
    return {
        "person": person,
        "items": items,
        "page": page,
        "tag_counts": sorted(counts.items()),
        "total": sum(counts.values()),
        "links": Link.objects.alive().filter(annotator=person, activity__isnull=True).count(),
    }
