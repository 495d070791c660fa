from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from articles.models import AlignmentEvent, AlignmentGroup


class Command(BaseCommand):
    help = (
        "Print the alignment as JSON: events (id, label) and groups (the points), each group naming its "
        "event, with offsets into each article's cleaned text."
    )

    def handle(self, *args, **options) -> None:
        groups = AlignmentGroup.objects.prefetch_related("passages__article", "passages__revision")
        data = {
            "events": [{"id": event.pk, "label": event.label} for event in AlignmentEvent.objects.all()],
            "groups": [
                {
                    "id": group.pk,
                    "label": group.label,
                    "discrepancy": group.discrepancy,
                    "level": group.level,
                    "event": group.event_id,
                    "passages": [
                        {
                            "article": p.article.source,
                            "article_id": p.article_id,
                            "start": p.start,
                            "end": p.end,
                            "text": p.text,
                        }
                        for p in group.passages.all()
                    ],
                }
                for group in groups
            ],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
