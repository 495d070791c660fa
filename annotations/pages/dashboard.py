"""What an instructor's dashboard shows, computed with a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from django.utils.safestring import mark_safe

from annotations.models import Activity, Annotation, Link, LinkEnd
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


def _spans_by_revision(activity: Activity, articles: list) -> dict[int, list[tuple]]:
    """(annotator, start, end, tag, layer) of the activity's live annotations, per current revision."""
    rows = (
        Annotation.objects.alive()
        .filter(activity=activity, revision_id__in=[a.current_id for a in articles])
        .values_list("revision_id", "annotator__username", "start", "end", "tag__slug", "layer")
    )
    by_revision: dict[int, list[tuple]] = defaultdict(list)
    for revision_id, *span in rows:
        by_revision[revision_id].append(tuple(span))
    return by_revision


def _versus_key(students: list[str], spans: list[agreement.Span], key: list[agreement.Span]) -> list[tuple]:
    """Each student's precision, recall and F1 against the key: exact spans, then overlapping ones."""
    if not key:
        return []
    scores = []
    for student in students:
        mine = [s for s in spans if s.annotator == student]
        exact = agreement.span_scores(mine, key, overlap=False)
        scores.append((student, exact, agreement.span_scores(mine, key, overlap=True)))
    return scores


def _article_agreement(article, spans: list[agreement.Span], key: list[agreement.Span], students: list[str]) -> dict:
    text = article.current.text
    token_spans = agreement.tokens(text)
    labels = agreement.token_labels(token_spans, spans, students)
    return {
        "article": article,
        "alpha": agreement.krippendorff_alpha(labels),
        "fleiss": agreement.fleiss_from_labels(labels),
        "cohen": list(zip(students, agreement.cohen_table(labels), strict=True)) if len(students) >= 2 else [],
        "versus_key": _versus_key(students, spans, key),
        "key_count": len(key),
        # nobody has joined yet: no token is disagreed on
        "heat_html": mark_safe(  # escaped pieces
            _heat_html(text, token_spans, agreement.disagreement(labels) or [0.0] * len(token_spans))
        ),
    }


def exercise_dashboard(activity: Activity) -> dict:
    """Progress per student and agreement per article (with the key, once there is one)."""
    participations = list(activity.participations.select_related("user").order_by("user__username"))
    students = [p.user.username for p in participations]
    articles = list(activity.articles.select_related("current").order_by("source"))
    by_revision = _spans_by_revision(activity, articles)
    counts = {s: [0] * len(articles) for s in students}
    tags: dict[str, Counter] = {s: Counter() for s in students}
    per_article = []
    for n, article in enumerate(articles):
        rows = by_revision[article.current_id]
        spans = [
            agreement.Span(u, s, e, t)
            for u, s, e, t, layer in rows
            if layer == Annotation.Layer.INDIVIDUAL and u in counts
        ]
        key = [agreement.Span(u, s, e, t) for u, s, e, t, layer in rows if layer == Annotation.Layer.KEY]
        for span in spans:
            counts[span.annotator][n] += 1
            tags[span.annotator][span.tag] += 1
        per_article.append(_article_agreement(article, spans, key, students))
    links = Counter(
        Link.objects.alive()
        .filter(activity=activity, layer=Annotation.Layer.INDIVIDUAL)
        .values_list("annotator__username", flat=True)
    )
    progress = [
        (
            p,
            {
                "per_article": counts[p.user.username],
                "tags": tags[p.user.username].most_common(),
                "links": links[p.user.username],
            },
        )
        for p in participations
    ]
    return {
        "students": students,
        "participations": participations,
        "articles": articles,
        "progress": progress,
        "per_article": per_article,
    }


def student_link_feedback(activity: Activity, user) -> dict | None:
    """After the reveal of an exercise that asks for links: one student's links against the key's."""
    if not activity.asks_links:
        return None
    scored = exercise_links(activity)
    mine = next((s for s in scored["students"] if s["name"] == user.username), None)
    return {"key_count": scored["key_count"], **(mine or {"count": 0, "kinds": [], "loose": None, "strict": None})}


def student_feedback(activity: Activity, user) -> list[dict]:
    """After the reveal: each article's matches and misses against the key, for one student, and
    the student's tags the key does not give (each with the key's tags on those words, if any)."""
    articles = list(activity.articles.select_related("current").order_by("source"))
    rows = list(
        Annotation.objects.alive()
        .filter(activity=activity, revision_id__in=[a.current_id for a in articles])
        .filter(layer__in=[Annotation.Layer.KEY, Annotation.Layer.INDIVIDUAL])
        .values_list("annotator_id", "revision_id", "start", "end", "tag__slug", "layer", "exact")
    )
    out = []
    for article in articles:
        key = [
            (s, e, t, x)
            for uid, r, s, e, t, layer, x in rows
            if r == article.current_id and layer == Annotation.Layer.KEY
        ]
        mine = [
            (s, e, t, x)
            for uid, r, s, e, t, layer, x in rows
            if r == article.current_id and layer == Annotation.Layer.INDIVIDUAL and uid == user.pk
        ]
        matched = [k for k in key if any(m[2] == k[2] and m[0] < k[1] and k[0] < m[1] for m in mine)]
        missed = [k for k in key if k not in matched]
        extra = [
            # what the key says of those words instead, if it tags them at all
            (*m, sorted({k[2] for k in key if m[0] < k[1] and k[0] < m[1]}))
            for m in mine
            if not any(m[2] == k[2] and m[0] < k[1] and k[0] < m[1] for k in key)
        ]
        out.append({"article": article, "matched": matched, "missed": missed, "extra": extra})
    return out


def adjudication(activity: Activity) -> dict[str, list[dict]]:
    """A review session's passages as the editor adjudicates them: overlapping reviewer spans,
    grouped, in document order, sorted into those tagged differently ("disagreements"), those
    several reviewers tagged alike ("agreed": `unanimous` when they also chose the same extent)
    and those one reviewer tagged ("alone")."""
    rows = list(
        Annotation.objects.alive()
        .filter(activity=activity, layer=Annotation.Layer.INDIVIDUAL)
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
    out: dict[str, list[dict]] = {"disagreements": [], "agreed": [], "alone": []}
    for c in clusters:
        item = {"annotations": c, "article": c[0].revision.article, "tags": sorted({a.tag.slug for a in c})}
        if len(item["tags"]) > 1:
            out["disagreements"].append(item)
        elif len({a.annotator_id for a in c}) > 1:
            item["unanimous"] = len({(a.start, a.end) for a in c}) == 1
            out["agreed"].append(item)
        else:
            out["alone"].append(item)
    return out


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
                "kinds": [(Link.Kind(kind).label, n) for kind, n in Counter(link.kind for link in links).most_common()],
                "loose": agreement.link_scores(links, key, kind=False) if key else None,
                "strict": agreement.link_scores(links, key, kind=True) if key else None,
            }
            for name, links in by_student.items()
        ],
        "agreement_loose": agreement.link_agreement(by_student, kind=False),
        "agreement_strict": agreement.link_agreement(by_student, kind=True),
    }
