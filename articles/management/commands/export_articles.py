from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Print every article's current revision as one JSON object per line."

    def handle(self, *args, **options) -> None:
        articles = Article.objects.select_related("current").order_by("pk")
        for article in articles.iterator(chunk_size=200):
            rev = article.current
            if rev is None:
                continue
            record = {
                "id": article.pk,
                "source": article.source,
                "revision": rev.number,
                "title": rev.title,
                "byline": rev.byline,
                "standfirst": rev.standfirst,
                "bio": rev.bio,
                "truncated": rev.truncated,
                "language": rev.language,
                "text": rev.text,
                "removed": [{"line": r["line"], "reason": r["reason"], "number": r["number"]} for r in rev.removed],
                "warnings": rev.warnings,
            }
            self.stdout.write(json.dumps(record, ensure_ascii=False))
