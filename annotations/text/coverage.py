"""How many highlights cover each stretch of a text, and with which tags: what the reader draws.

Pure module. The text is cut at every highlight boundary (and at the cuts the caller adds, such
as paragraph bounds). Each stretch between two cuts gets its depth (how many highlights cover
it), how many highlights begin there, and its look: the commonest tag and the set of tags
present. Only a shallow stretch (at most DETAIL highlights) names the highlights covering it;
that is a fixed number of layers' worth of detail, so the work and the output grow with the
number of cuts (at most twice the text's length), not with the number of highlights times
their depth. The highlights on a deeper spot are listed on demand instead.

The counting runs in C (Counter, accumulate, map and compress over whole columns): Python loops
run once per tag, or once per highlight of a shallow stretch, never once per highlight.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import accumulate, compress, repeat
from operator import eq, indexOf, itemgetter, lt, sub

DETAIL = 3  # a stretch covered by at most this many highlights names them; a deeper one counts them


class _Columns:
    """Rows held as columns (one list per field), so that whole columns go through C loops."""

    def __len__(self) -> int:
        return len(self.starts)

    def where(self, keep: Sequence[bool]):
        """The rows whose `keep` is true."""
        return type(self)(*(list(compress(getattr(self, column.name), keep)) for column in fields(self)))

    def overlapping(self, start: int, end: int):
        """The rows whose span overlaps [start, end)."""
        return self.where([s < end and e > start for s, e in zip(self.starts, self.ends, strict=True)])


@dataclass(frozen=True)
class Spans(_Columns):
    """What drawing needs of every highlight: span k runs from starts[k] to ends[k] and has tag tags[k]."""

    starts: Sequence[int]
    ends: Sequence[int]
    tags: Sequence[str]


@dataclass(frozen=True)
class Highlights(_Columns):
    """Highlights with who made them: highlight k is (ids[k], starts[k], ends[k], tags[k], annotators[k])."""

    ids: Sequence[int]
    starts: Sequence[int]
    ends: Sequence[int]
    tags: Sequence[str]
    annotators: Sequence[str]

    @classmethod
    def of(cls, rows: Sequence[tuple[int, int, int, str, str]]) -> Highlights:
        """From (id, start, end, tag, annotator) rows."""
        return cls(*(list(map(itemgetter(column), rows)) for column in range(5)))


NOBODY = Highlights((), (), (), (), ())


@dataclass(frozen=True)
class Coverage:
    """The stretches of a text and what covers each; stretch i runs from cuts[i] to cuts[i + 1]."""

    cuts: list[int]
    index: dict[int, int]  # cut position -> the stretch starting there
    tags: list[str]  # every tag present, sorted by name
    depth: list[int]  # per stretch: how many highlights cover it
    begins: list[int]  # per stretch: how many highlights begin at its start
    # Per stretch: (the commonest tag, ties to the first by name; then 1 or 0 for each tag present).
    looks: list[tuple[int, ...]]
    detail: int  # a stretch under 1 to `detail` highlights names them
    named: Highlights = NOBODY  # the highlights the shallow stretches name (see `naming`)
    covering: dict[int, list[int]] = field(default_factory=dict)  # shallow stretch -> positions in `named`

    def stretches(self, start: int, end: int) -> range:
        """The stretches between two cuts."""
        return range(self.index[start], self.index[end])

    def shallow_ranges(self, most: int) -> list[tuple[int, int]]:
        """The text under 1 to `detail` highlights, as at most `most` ranges (the closest ones joined)."""
        runs: list[list[int]] = []
        for stretch in compress(range(len(self.depth)), [0 < d <= self.detail for d in self.depth]):
            start, end = self.cuts[stretch], self.cuts[stretch + 1]
            if runs and runs[-1][1] == start:
                runs[-1][1] = end
            else:
                runs.append([start, end])
        gaps = sorted(range(len(runs) - 1), key=lambda k: runs[k + 1][0] - runs[k][1])
        joined = set(gaps[: max(0, len(runs) - most)])
        ranges: list[tuple[int, int]] = []
        for k, (start, end) in enumerate(runs):
            ranges.append((ranges.pop()[0], end) if k - 1 in joined else (start, end))
        return ranges

    def naming(self, highlights: Highlights) -> Coverage:
        """This coverage with each shallow stretch naming the highlights covering it, outermost first.

        `highlights` may be every highlight or only those overlapping `shallow_ranges()`; one whose
        span does not end on two cuts (written after the spans were read) is left out.
        """
        index = self.index
        known = [s in index and e in index for s, e in zip(highlights.starts, highlights.ends, strict=True)]
        if not all(known):
            highlights = highlights.where(known)
        first = list(map(index.__getitem__, highlights.starts))
        last = list(map(index.__getitem__, highlights.ends))
        return replace(self, named=highlights, covering=_covering(highlights, first, last, self.depth, self.detail))


def _running(first: Iterable[int], last: Iterable[int], size: int) -> list[int]:
    """Per stretch, how many of the spans from stretch first[k] to last[k] cover it."""
    began, ended, every = Counter(first), Counter(last), range(size)
    return list(accumulate(map(sub, map(began.get, every, repeat(0)), map(ended.get, every, repeat(0)))))


def _masks(tags: list[str], column: Sequence[str]) -> list[Sequence[int]]:
    """Per tag, 1 for each span that has it and 0 for the others.

    A byte string of tag numbers turns into each tag's mask in one bytes.translate (C, ~50 µs for
    100,000 spans) rather than a comparison a span per tag; past 255 tags, the comparisons.
    """
    if len(tags) > 255:
        return [list(map(eq, column, repeat(tag))) for tag in tags]
    position = {tag: n for n, tag in enumerate(tags)}
    numbers = bytes(map(position.__getitem__, column))
    return [numbers.translate(bytes(code == n for code in range(256))) for n in range(len(tags))]


def _by_tag(tags: list[str], column: Sequence[str], first: list[int], last: list[int], size: int) -> list[list[int]]:
    """Per tag, how many of its highlights cover each stretch."""
    if len(tags) == 1:
        return [_running(first, last, size)]
    return [_running(compress(first, mine), compress(last, mine), size) for mine in _masks(tags, column)]


def _looks(by_tag: list[list[int]], size: int) -> list[tuple[int, ...]]:
    """Each stretch's commonest tag (ties go to the first by name), then 1 or 0 for each tag present."""
    # max() of one argument would want an iterable: with one tag, it is every stretch's commonest.
    commonest = list(map(indexOf, zip(*by_tag, strict=True), map(max, *by_tag))) if len(by_tag) > 1 else [0] * size
    return list(zip(commonest, *(map(bool, counts) for counts in by_tag), strict=True))


def _covering(highlights: Highlights, first: list[int], last: list[int], depth: list[int], detail: int):
    """For each stretch covered by 1 to `detail` highlights, those highlights, outermost first."""
    shallow = [0 < d <= detail for d in depth]
    if not any(shallow):
        return {}
    seen = [0, *accumulate(shallow)]  # seen[i]: how many shallow stretches come before stretch i
    where = list(compress(range(len(shallow)), shallow))
    touching = map(lt, map(seen.__getitem__, first), map(seen.__getitem__, last))
    covering: dict[int, list[int]] = {}
    for k in compress(range(len(first)), touching):
        for stretch in where[seen[first[k]] : seen[last[k]]]:
            covering.setdefault(stretch, []).append(k)
    starts, ends, ids = highlights.starts, highlights.ends, highlights.ids
    for row in covering.values():
        row.sort(key=lambda k: (starts[k], -ends[k], ids[k]))
    return covering


def coverage(spans: Spans | Highlights, cuts: Sequence[int] = (), *, detail: int = DETAIL) -> Coverage:
    """Cut the text at every span's bounds and at `cuts`; count what covers each stretch.

    Given Highlights, the shallow stretches also name them (see Coverage.naming).
    """
    points = sorted({*spans.starts, *spans.ends, *cuts})
    index = dict(zip(points, range(len(points)), strict=True))
    size = max(0, len(points) - 1)
    first = list(map(index.__getitem__, spans.starts))
    last = list(map(index.__getitem__, spans.ends))
    tags = sorted(set(spans.tags))
    by_tag = _by_tag(tags, spans.tags, first, last, size) if tags else []
    depth = list(map(sum, zip(*by_tag, strict=True))) if tags else [0] * size
    began = Counter(first)
    cover = Coverage(
        cuts=points,
        index=index,
        tags=tags,
        depth=depth,
        begins=list(map(began.get, range(size), repeat(0))),
        looks=_looks(by_tag, size) if tags else [()] * size,
        detail=detail,
    )
    if isinstance(spans, Highlights):
        return replace(cover, named=spans, covering=_covering(spans, first, last, depth, detail))
    return cover


class TagCounts:
    """How many highlights of each tag overlap a span, by bisection over each tag's sorted bounds."""

    def __init__(self, spans: Spans | Highlights) -> None:
        bounds: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for start, end, tag in zip(spans.starts, spans.ends, spans.tags, strict=True):
            bounds[tag][0].append(start)
            bounds[tag][1].append(end)
        self._bounds = {tag: (sorted(starts), sorted(ends)) for tag, (starts, ends) in sorted(bounds.items())}

    def overlapping(self, start: int, end: int) -> Counter:
        """Per tag (by name), the highlights with start < `end` and end > `start`."""
        counts: Counter = Counter()
        for tag, (starts, ends) in self._bounds.items():
            # Those beginning before `end`, less those ending by `start` (which all begin before it).
            if n := bisect_left(starts, end) - bisect_right(ends, start):
                counts[tag] = n
        return counts
