"""What an activity's owner would take from its participants by changing it: the work on an
article taken out, the tags taken out of the set while annotations carry them."""

from __future__ import annotations

from django.db import models

from annotations.models import Activity, Annotation, Link


def work_on(activity: Activity, articles) -> dict[str, str]:
    """Per article (by source) holding any: how many of the activity's annotations and links, by how many people."""
    out = {}
    for article in articles:
        notes = Annotation.objects.alive().filter(activity=activity, revision__article=article)
        links = Link.objects.alive().filter(activity=activity, ends__revision__article=article).distinct()
        people = set(notes.values_list("annotator_id", flat=True)) | set(links.values_list("annotator_id", flat=True))
        n_notes, n_links = notes.count(), links.count()
        if n_notes or n_links:
            parts = [f"{n_notes} annotation{'s' if n_notes != 1 else ''}"] if n_notes else []
            parts += [f"{n_links} link{'s' if n_links != 1 else ''}"] if n_links else []
            out[article.source] = f"{' and '.join(parts)} by {len(people)} {'person' if len(people) == 1 else 'people'}"
    return out


def tags_carried(activity: Activity, staying: set[int], custom_names: list[str], owner) -> list[tuple[str, int]]:
    """(tag name, annotations) of the tags the activity's annotations carry that a new tag set
    (`staying` ids, and the owner's custom tags of `custom_names`) leaves out."""
    rows = (
        Annotation.objects.alive()
        .filter(activity=activity)
        .exclude(tag_id__in=staying)
        .exclude(tag__owner=owner, tag__name__in=custom_names)
        .values("tag__name")
        .annotate(n=models.Count("pk"))
        .order_by("tag__name")
    )
    return [(row["tag__name"], row["n"]) for row in rows]
