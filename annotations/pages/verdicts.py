"""Where a consensus copy came from: the reviewers whose verdicts put that passage and tag there."""

from __future__ import annotations

from annotations.models import Annotation, Decision


def agreeing(activity, revision) -> dict[tuple[int, int, str], list[str]]:
    """(start, end, tag) -> the reviewers whose verdict (accepted, or relabelled to that tag) puts
    that passage and tag into the consensus, in order of their annotations."""
    if activity is None:
        return {}
    out: dict[tuple[int, int, str], list[str]] = {}
    rows = (
        Annotation.objects.alive()
        .filter(activity=activity, revision=revision, layer=Annotation.Layer.INDIVIDUAL)
        .filter(decision__verdict__in=[Decision.Verdict.ACCEPT, Decision.Verdict.RELABEL])
        .order_by("pk")
        .values_list("start", "end", "tag__slug", "decision__verdict", "decision__tag__slug", "annotator__username")
    )
    for start, end, tag, verdict, new_tag, who in rows:
        key = (start, end, new_tag if verdict == Decision.Verdict.RELABEL else tag)
        out.setdefault(key, []).append(who)
    return out


def names_and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
