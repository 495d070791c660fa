from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from articles.models import AlignmentGroup


class Command(BaseCommand):
    help = "Print the alignment groups as JSON, with offsets into each article's cleaned text."

    def handle(self, *args, **options) -> None:
        groups = AlignmentGroup.objects.prefetch_related("passages__article", "passages__revision")
        data = {
            "groups": [
                {
                    "id": group.pk,
                    "label": group.label,
                    "discrepancy": group.discrepancy,
                    "level": group.level,
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
            ]
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
