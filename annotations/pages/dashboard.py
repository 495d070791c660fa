"""What an instructor's dashboard shows, computed with a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from django.utils.safestring import mark_safe

from annotations.models import Activity, Annotation, LinkEnd
from annotations.text import agreement


def _heat_html(text: str, token_spans: list[tuple[int, int]], heat: list[float]) -> str:
    """The text with each token shaded by how much the class disagrees on it (5 levels)."""
    out, cursor = [], 0
    top = max(heat) if heat else 0
    for (start, end), value in zip(token_spans, heat, strict=True):
        out.append(escape(text[cursor:start]))
        level = 0 if top == 0 else min(4, int(round(4 * value / top)))
        piece = escape(text[start:end])
        out.append(f'<span class="heat h{level}">{piece}</span>' if level else piece)
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out).replace("\n\n", "<br><br>")


def exercise_dashboard(activity: Activity) -> dict:
    participations = list(activity.participations.select_related("user").order_by("user__username"))
    students = [p.user.username for p in participations]
    articles = list(activity.articles.select_related("current").order_by("source"))
    rows = list(
        Annotation.objects.alive()
        .filter(activity=activity, revision_id__in=[a.current_id for a in articles])
        .values_list("annotator__username", "revision_id", "start", "end", "tag__slug", "layer")
    )
    by_revision: dict[int, list] = defaultdict(list)
    for row in rows:
        by_revision[row[1]].append(row)
    progress = {s: {"per_article": [0] * len(articles), "tags": Counter()} for s in students}
    per_article = []
    for n, article in enumerate(articles):
        text = article.current.text
        spans = [
            agreement.Span(u, s, e, t)
            for u, _r, s, e, t, layer in by_revision[article.current_id]
            if layer == "individual" and u in progress
        ]
        key = [
            agreement.Span(u, s, e, t) for u, _r, s, e, t, layer in by_revision[article.current_id] if layer == "key"
        ]
        for span in spans:
            progress[span.annotator]["per_article"][n] += 1
            progress[span.annotator]["tags"][span.tag] += 1
        token_spans = agreement.tokens(text)
        labels = agreement.token_labels(token_spans, spans, students)
        versus_key = []
        if key:
            for student in students:
                mine = [s for s in spans if s.annotator == student]
                versus_key.append(
                    (
                        student,
                        agreement.span_scores(mine, key, overlap=False),
                        agreement.span_scores(mine, key, overlap=True),
                    )
                )
        per_article.append(
            {
                "article": article,
                "alpha": agreement.krippendorff_alpha(labels),
                "fleiss": agreement.fleiss_from_labels(labels),
                "cohen": list(zip(students, agreement.cohen_table(labels), strict=True)) if len(students) >= 2 else [],
                "versus_key": versus_key,
                "key_count": len(key),
                "heat_html": mark_safe(_heat_html(text, token_spans, agreement.disagreement(labels))),  # escaped pieces
            }
        )
    return {
        "students": students,
        "participations": participations,
        "articles": articles,
        "progress": [
            (
                p,
                {
                    "per_article": progress[p.user.username]["per_article"],
                    "tags": progress[p.user.username]["tags"].most_common(),
                },
            )
            for p in participations
        ],
        "per_article": per_article,
    }


def student_feedback(activity: Activity, user) -> list[dict]:
    """After the reveal: each article's matches and misses against the key, for one student."""
    articles = list(activity.articles.select_related("current").order_by("source"))
    rows = list(
        Annotation.objects.alive()
        .filter(activity=activity, revision_id__in=[a.current_id for a in articles])
        .filter(layer__in=["key", "individual"])
        .values_list("annotator_id", "revision_id", "start", "end", "tag__slug", "layer", "exact")
    )
    out = []
    for article in articles:
        key = [(s, e, t, x) for uid, r, s, e, t, layer, x in rows if r == article.current_id and layer == "key"]
        mine = [
            (s, e, t, x)
            for uid, r, s, e, t, layer, x in rows
            if r == article.current_id and layer == "individual" and uid == user.pk
        ]
        matched = [k for k in key if any(m[2] == k[2] and m[0] < k[1] and k[0] < m[1] for m in mine)]
        missed = [k for k in key if k not in matched]
        extra = [m for m in mine if not any(m[2] == k[2] and m[0] < k[1] and k[0] < m[1] for k in key)]
        out.append({"article": article, "matched": matched, "missed": missed, "extra": extra})
    return out


def disagreements(activity: Activity) -> list[dict]:
    """Passages that reviewers tagged differently: overlapping individual spans with different tags."""
    rows = list(
        Annotation.objects.alive()
        .filter(activity=activity, layer="individual")
        .select_related("annotator", "tag", "revision__article")
        .order_by("revision_id", "start", "pk")
    )
    clusters: list[list[Annotation]] = []
    for annotation in rows:
        if (
            clusters
            and clusters[-1][0].revision_id == annotation.revision_id
            and annotation.start < max(a.end for a in clusters[-1])
        ):
            clusters[-1].append(annotation)
        else:
            clusters.append([annotation])
    return [
        {"annotations": c, "article": c[0].revision.article, "tags": sorted({a.tag.slug for a in c})}
        for c in clusters
        if len({a.tag_id for a in c}) > 1
    ]


def exercise_links(activity: Activity) -> dict:
    """Links per student, their pair-level scores against the key's links, and the class's agreement.

    Two links match when their passages overlap in the same two articles; "with kind" also asks
    for the same kind. Links with an end left on an older revision are not scored (offsets differ).
    """
    students = list(activity.participations.order_by("user__username").values_list("user__username", flat=True))
    current = set(activity.articles.values_list("current_id", flat=True))
    ends: dict[int, list] = defaultdict(list)
    for row in (
        LinkEnd.objects.filter(link__activity=activity, link__deleted_at__isnull=True)
        .order_by("link_id", "position")
        .values_list(
            "link_id",
            "link__annotator__username",
            "link__layer",
            "link__kind",
            "revision_id",
            "revision__article_id",
            "start",
            "end",
        )
    ):
        ends[row[0]].append(row)
    key: list[agreement.LinkPair] = []
    by_student: dict[str, list[agreement.LinkPair]] = {s: [] for s in students}
    for rows in ends.values():
        if len(rows) != 2 or any(r[4] not in current for r in rows):
            continue
        _link, who, layer, kind = rows[0][:4]
        pair = agreement.LinkPair.of(who, rows[0][5:], rows[1][5:], kind)
        if layer == Annotation.Layer.KEY:
            key.append(pair)
        elif who in by_student:
            by_student[who].append(pair)
    return {
        "key_count": len(key),
        "students": [
            {
                "name": name,
                "count": len(links),
                "kinds": Counter(link.kind for link in links).most_common(),
                "loose": agreement.link_scores(links, key, kind=False) if key else None,
                "strict": agreement.link_scores(links, key, kind=True) if key else None,
            }
            for name, links in by_student.items()
        ],
        "agreement_loose": agreement.link_agreement(by_student, kind=False),
        "agreement_strict": agreement.link_agreement(by_student, kind=True),
    }
