"""Clustering units into events, and an event's units into points; joining units into passages.

Average linkage over cross-article pairs: two clusters merge only while the mean probability
over all their cross-article unit pairs (an unscored pair counts as 0) stays above the
threshold, so one strong link never chains two unrelated clusters together.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from articles.alignment.pairs import CHUNK, PairScores
from articles.alignment.records import Document, Passage
from articles.alignment.units import Unit


def average_linkage(
    docs: dict[int, int], scores: dict[tuple[int, int], float], threshold: float, density: float
) -> list[list[int]]:
    """Clusters of the units in `docs` (unit -> document), merged along the scored pairs.

    Pairs are visited from the most likely down; the two clusters they join merge if the mean
    over all their cross-article pairs clears `threshold`. The sums of probabilities between
    clusters are kept up to date as clusters merge, so each check costs one lookup. A unit still
    alone has no table of sums: it is read from its scored pairs when it first merges (most
    units of a large corpus never do, and the tables would take more memory than the pairs).
    """
    scores = PairScores.of(scores)
    cluster: dict[int, int] = {}  # unit -> its cluster, for units that have merged
    members: dict[int, list[int]] = {}
    doc_counts: dict[int, Counter] = {}
    links: dict[int, dict[int, list[float]]] = {}  # merged cluster -> cluster -> [sum, count]

    def alone(u: int) -> dict[int, list[float]]:
        """A unit's sums to the clusters of its neighbours, shared with the merged ones' tables."""
        out: dict[int, list[float]] = {}
        for v, p in zip(*(x.tolist() for x in scores.row(u)), strict=True):
            c = cluster.get(v, v)
            out[c] = links[c][u] if c in links else [p, 1]
        return out

    grown: dict[int, int] = {}  # merged cluster -> merges into it so far
    refused: dict[tuple[int, int], tuple[int, int]] = {}  # two merged clusters found apart, as they were
    order = scores.order_at_least(threshold)
    for lo in range(0, len(order), CHUNK):
        batch = order[lo : lo + CHUNK]
        left, right, probability = (x[batch].tolist() for x in (scores.left, scores.right, scores.probability))
        for i, j, p in zip(left, right, probability, strict=True):
            ci, cj = cluster.get(i, i), cluster.get(j, j)
            if ci == cj:
                continue
            size_i, size_j = len(members.get(ci, (ci,))), len(members.get(cj, (cj,)))
            if size_i > size_j:
                ci, cj, size_i, size_j = cj, ci, size_j, size_i
            if size_i > 1 and refused.get((ci, cj)) == (grown[ci], grown[cj]):
                continue  # nothing between them changed since they were found apart
            if ci in links:
                total, linked = links[ci][cj]
            elif cj in links:
                total, linked = links[cj][ci]
            else:  # two units alone: their one pair
                total, linked = p, 1
            counts_i = doc_counts.get(ci) or Counter([docs[ci]])
            counts_j = doc_counts.get(cj) or Counter([docs[cj]])
            small, large = (counts_i, counts_j) if len(counts_i) <= len(counts_j) else (counts_j, counts_i)
            same_doc = sum(c * large[d] for d, c in small.items())
            pairs = size_i * size_j - same_doc
            if pairs <= 0 or total / pairs < threshold or linked / pairs < density:
                if size_i > 1:
                    refused[(ci, cj)] = (grown[ci], grown[cj])
                continue
            grown[cj] = grown.get(cj, 0) + 1
            grown.pop(ci, None)
            lost = links.pop(ci) if ci in links else alone(ci)
            if cj not in links:
                links[cj], members[cj], doc_counts[cj], cluster[cj] = alone(cj), [cj], counts_j, cj
            for m in members.get(ci, (ci,)):
                cluster[m] = cj
            members[cj].extend(members.pop(ci, [ci]))
            doc_counts[cj].update(doc_counts.pop(ci, counts_i))
            # links[a][b] and links[b][a] are one list object, so each sum is updated once
            into = links[cj]
            for k, pair in lost.items():
                other = links.get(k)
                if other is not None:
                    del other[ci]
                if k == cj:
                    continue
                if k in into:
                    into[k][0] += pair[0]
                    into[k][1] += pair[1]
                else:
                    into[k] = pair
                    if other is not None:
                        other[cj] = pair
    return [sorted(members.get(u, [u])) for u in docs if cluster.get(u, u) == u]


def attach(
    docs: dict[int, int], clusters: list[list[int]], adjacency, threshold: float, most: int = 0
) -> list[list[int]]:
    """The clusters, each joined by the outside units whose mean probability over its members of
    other articles (an unscored pair counts as 0) reaches `threshold`: a sentence that reports two
    happenings, or makes two points, belongs to both. `most` (0: no limit): a unit joins at most
    that many, the likeliest first (a sentence in a dozen rows says nothing of any)."""
    home: dict[int, list[int]] = defaultdict(list)
    for c, ids in enumerate(clusters):
        for u in ids:
            home[u].append(c)
    sizes = [Counter(docs[u] for u in ids) for ids in clusters]
    extra: list[list[int]] = [[] for _ in clusters]
    for u in docs:
        sums: dict[int, float] = defaultdict(float)
        for v, p in adjacency.neighbours[u].items():
            for c in home.get(v, ()):
                sums[c] += p
        joined = []
        for c, total in sums.items():
            if c in home.get(u, ()):
                continue
            others = sum(sizes[c].values()) - sizes[c][docs[u]]
            if others and total / others >= threshold:
                joined.append((total / others, -c))
        for _mean, c in sorted(joined, reverse=True)[: most or None]:
            extra[-c].append(u)
    return [sorted(ids + more) for ids, more in zip(clusters, extra, strict=True)]


def prune(docs: dict[int, int], clusters: list[list[int]], adjacency, link: float, needs) -> list[list[int]]:
    """Each cluster without its loosely held units: those that link (a pair of `link` or more) to
    fewer of the cluster's other articles than `needs(unit, other articles)`, taken out one at a
    time, the loosest first, since each one taken out may loosen another.

    Average linkage and `attach` go by means: where nearly every pair of sentences is fairly
    likely (commentary, whose sentences share the story's words), a cluster also grows by units
    that no unit of another article really echoes."""
    out = []
    for cluster in clusters:
        ids = set(cluster)
        while True:
            articles = {docs[u] for u in ids}
            loosest, widest_gap = None, 0
            for u in sorted(ids):
                needed = needs(u, len(articles) - 1)
                if not needed:
                    continue
                reached = {docs[v] for v, p in adjacency.neighbours[u].items() if p >= link and v in ids}
                reached.discard(docs[u])
                if needed - len(reached) > widest_gap:
                    loosest, widest_gap = u, needed - len(reached)
            if loosest is None:
                break
            ids.remove(loosest)
        out.append(sorted(ids))
    return out


def spans_documents(units: list[Unit], ids: list[int]) -> int:
    return len({units[u].doc for u in ids})


def passages_of(
    units: list[Unit], documents: list[Document], ids: list[int], max_window: int, max_chars: int
) -> list[Passage]:
    """Join a group's adjacent sentences of one article into passages of up to max_window."""
    runs: list[list[int]] = []
    for u in sorted(ids, key=lambda u: (units[u].doc, units[u].index)):
        run = runs[-1] if runs else None
        if (
            run
            and units[run[-1]].doc == units[u].doc
            and units[u].index == units[run[-1]].index + 1
            and len(run) < max_window
            and units[u].span[1] - units[run[0]].span[0] <= max_chars
        ):
            run.append(u)
        else:
            runs.append([u])
    return [
        Passage(
            documents[units[run[0]].doc].id,
            units[run[0]].span[0],
            units[run[-1]].span[1],
            units[run[0]].index,
            units[run[-1]].index,
        )
        for run in runs
    ]


def stories(units: list[Unit], documents: int, word_cosine, threshold: float) -> list[int]:
    """Each document's story: documents clustered by average linkage on their similarity, so that
    articles on one happening come together and two earthquakes imported together stay apart.

    The similarity is the mean of the documents' word cosine and the cosine of what tells one
    happening of a kind from another: the names and calendar dates they mention.
    """
    scores = story_similarity(units, documents, word_cosine)
    story = [0] * documents
    for n, members in enumerate(average_linkage({d: d for d in range(documents)}, scores, threshold, 0.0)):
        for d in members:
            story[d] = n
    return story


def story_similarity(units: list[Unit], documents: int, word_cosine) -> dict[tuple[int, int], float]:
    """{(a, b): similarity} for a < b: the mean of two documents' word cosine and the cosine of the
    names and calendar dates they mention."""
    mentions: list[Counter] = [Counter() for _ in range(documents)]
    for u in units:
        mentions[u.doc].update({f"n:{x}" for x in u.names} | {f"d:{x}" for x in u.dates if x[0] in "dy"})
    seen = Counter(k for m in mentions for k in m)
    vectors = []
    for m in mentions:
        v = {k: math.log1p(c) * math.log((documents + 1) / (seen[k] + 0.5)) for k, c in m.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({k: x / norm for k, x in v.items()})

    def similarity(a: int, b: int) -> float:
        names = sum(x * vectors[b].get(k, 0.0) for k, x in vectors[a].items())
        return (word_cosine(a, b) + names) / 2

    return {(a, b): similarity(a, b) for a in range(documents) for b in range(a + 1, documents)}


def kinship(units: list[Unit], documents: int, word_cosine, cosine_bar: float, names_bar: int):
    """Whether two documents may report one happening: their words are at least `cosine_bar`
    close and, when both name people, places or bodies, they name at least `names_bar` of the
    same (names of three letters or more, so that "al" or "de" left by a name's particles count
    for nothing). A brief that names nobody is judged by its words alone."""
    names: list[set[str]] = [set() for _ in range(documents)]
    for u in units:
        names[u.doc].update(x for x in u.names if len(x) > 2)

    known: dict[tuple[int, int], bool] = {}  # asked once a pair of sentences, answered once a pair of documents

    def kin(a: int, b: int) -> bool:
        key = (a, b) if a < b else (b, a)
        if key not in known:
            shared, fewest = len(names[a] & names[b]), min(len(names[a]), len(names[b]))
            known[key] = word_cosine(a, b) >= cosine_bar and (shared >= names_bar or fewest < names_bar)
        return known[key]

    return kin
