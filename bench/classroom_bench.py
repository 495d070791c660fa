"""Classroom benchmark: 40 students x 5 articles x 30 annotations (6,000), the dashboard timed.

    .venv/bin/python bench/classroom_bench.py

Target on the 2-core reference machine: the instructor's dashboard, agreement included, in
under 500 ms, with a query count that does not depend on the class size.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SINORUS_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="sinorus.settings", HTTPS="0")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.contrib.auth.models import Group, User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from annotations.models import Annotation, Participation, Tag
        from annotations.services.activities import activity_create
        from articles.models import Article

        call_command("migrate", verbosity=0)
        call_command("import_articles", str(ROOT / "seeds"), quiet=True, no_align=True)
        teacher = User.objects.create_user("teacher", password="teacher-pass-123")
        teacher.groups.add(Group.objects.get(name="Instructors"))
        articles = list(Article.objects.select_related("current"))
        tags = list(Tag.objects.all())
        now = timezone.now()
        activity = activity_create(
            owner=teacher,
            kind="exercise",
            title="Bench",
            instructions="",
            articles=articles,
            tags=tags,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            blind=True,
        )
        rnd = random.Random(5)

        def spans(article, count):
            """Random spans inside sentences, starting and ending on word boundaries."""
            text = article.current.text
            out = []
            for _ in range(count):
                start, end = rnd.choice(article.current.sentences)
                words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
                i = rnd.randrange(len(words))
                j = min(len(words) - 1, i + rnd.randrange(3, 25))
                out.append((words[i][0], words[j][1], text[words[i][0] : words[j][1]]))
            return out

        def add_students(first: int, count: int) -> None:
            users = User.objects.bulk_create([User(username=f"student{n:02d}") for n in range(first, first + count)])
            Participation.objects.bulk_create([Participation(activity=activity, user=u) for u in users])
            rows = []
            for user in users:
                for article in articles:
                    for start, end, exact in spans(article, 30):
                        rows.append(
                            Annotation(
                                revision=article.current,
                                annotator=user,
                                tag=rnd.choice(tags),
                                start=start,
                                end=end,
                                exact=exact,
                                activity=activity,
                                layer="individual",
                            )
                        )
            Annotation.objects.bulk_create(rows, batch_size=2000)

        key = [
            Annotation(
                revision=a.current,
                annotator=teacher,
                tag=rnd.choice(tags),
                start=s,
                end=e,
                exact=x,
                activity=activity,
                layer="key",
            )
            for a in articles
            for s, e, x in spans(a, 30)
        ]
        Annotation.objects.bulk_create(key)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(teacher)
        url = f"/activities/{activity.pk}/dashboard/"

        def count_queries() -> int:
            executed = []
            with connection.execute_wrapper(
                lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)
            ):
                assert client.get(url).status_code == 200
            return len(executed)

        add_students(0, 10)
        small = count_queries()
        add_students(10, 30)
        total = Annotation.objects.filter(activity=activity, layer="individual").count()
        large = count_queries()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        print(f"class: 40 students, {len(articles)} articles, {total:,} student annotations + {len(key)} key")
        print(
            f"dashboard with agreement: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms (target < 500 ms)"
        )
        print(f"queries: {small} with 10 students, {large} with 40 students (must not grow)")


if __name__ == "__main__":
    main()
