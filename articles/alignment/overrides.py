"""Editors' corrections, replayed on freshly computed groups after every recomputation.

Groups are dicts with "label", "passages" [(article_id, start, end)] and their other fields;
a correction names passages by (article id, an offset inside the passage), so it holds as long
as the engine still finds that passage.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Override:
    kind: str  # rename, split, move, merge, accept (a suggested link), reject (a suggested link)
    article_id: int
    start: int
    target_article_id: int | None = None
    target_start: int | None = None
    label: str = ""
    # a point inside each passage of the row the correction named (the row renamed, or the one a
    # passage was split or moved out of, or merged away), and of the row it moved or merged into:
    # a sentence can be in two rows, and a later run may order them otherwise
    members: tuple[tuple[int, int], ...] = ()
    target_members: tuple[tuple[int, int], ...] = ()


class _Groups:
    def __init__(self, groups: list[dict], only_in: list[tuple[int, int, int]]) -> None:
        self.groups, self.only_in = groups, only_in

    def find(self, article_id, start, members=()) -> tuple[int, int] | None:
        """(row, passage) of the passage holding the point: in the row that holds most of
        `members` and least besides (the row the correction named, as it was; a row that took all
        of it in and more is another), else in the first row."""
        found = self.holding(article_id, start)
        if len(found) < 2 or not members:
            return found[0] if found else None

        def fit(g: int) -> tuple[int, int]:  # most of the members, then the fewest passages besides
            passages = self.groups[g]["passages"]
            held = sum(1 for a, x in members if any(pa == a and s <= x < e for pa, s, e in passages))
            extra = sum(1 for pa, s, e in passages if not any(pa == a and s <= x < e for a, x in members))
            return held, -extra

        return max(found, key=lambda at: (*fit(at[0]), -at[0]))

    def holding(self, article_id, start) -> list[tuple[int, int]]:
        return [
            (g, p)
            for g, group in enumerate(self.groups)
            for p, (a, s, e) in enumerate(group["passages"])
            if a == article_id and s <= start < e
        ]

    def together(self, o: Override) -> int | None:
        """The first row that holds both passages the correction names, if one does."""
        other = {g for g, _p in self.holding(o.target_article_id, o.target_start)}
        return next((g for g, _p in self.holding(o.article_id, o.start) if g in other), None)

    def lone(self, article_id, start) -> tuple[int, int, int] | None:
        return next((x for x in self.only_in if x[0] == article_id and x[1] <= start < x[2]), None)

    def changed(self, *indices: int) -> None:
        for g in indices:
            self.groups[g]["changed"] = True

    def new_group(self, passage: tuple[int, int, int], label: str) -> tuple[int, int]:
        self.only_in.remove(passage)
        self.groups.append(
            {
                "label": label,
                "changed": True,  # its label is read off its passages (alignment.points.row_label)
                "discrepancy": "",
                "cohesion": 0.0,
                "level": "point",
                "event": "",
                "passages": [passage],
            }
        )
        return len(self.groups) - 1, 0


def _move(state: _Groups, o: Override) -> None:
    if o.kind == "accept" and state.together(o) is not None:
        return  # already in one row: nothing to do (and no row to take either out of)
    where = state.find(o.article_id, o.start, o.members)
    passage = state.groups[where[0]]["passages"][where[1]] if where else state.lone(o.article_id, o.start)
    target = state.find(o.target_article_id, o.target_start, o.target_members)
    if o.kind == "accept" and where and target is None:  # the grouped side takes the lone one in
        o = Override("accept", o.target_article_id, o.target_start, o.article_id, o.start, o.label)
        where, target = None, where
        passage = state.lone(o.article_id, o.start)
    if passage is None:
        return
    if target is None:
        target_passage = state.lone(o.target_article_id, o.target_start)
        if target_passage is None:
            return
        target = state.new_group(target_passage, o.label)
    if where and where[0] == target[0]:
        return
    if o.kind == "merge" and where:
        into = state.groups[target[0]]["passages"]
        into[:] = _union(into, state.groups[where[0]]["passages"])
        state.groups[where[0]]["passages"] = []
        state.changed(target[0])
        return
    if where:
        state.groups[where[0]]["passages"].pop(where[1])
        state.changed(where[0])
    else:
        state.only_in.remove(passage)
    into = state.groups[target[0]]["passages"]
    into[:] = _union(into, [passage])
    state.changed(target[0])


def _union(passages: list, more: list) -> list:
    """`passages` and `more`, each text once: a passage inside another of the same article (two
    rows merged that both held it) is not shown twice."""
    out = list(passages)
    for a, s, e in more:
        if any(a == a2 and s2 <= s and e <= e2 for a2, s2, e2 in out):
            continue
        out = [(a2, s2, e2) for a2, s2, e2 in out if not (a2 == a and s <= s2 and e2 <= e)]
        out.append((a, s, e))
    return out


def _reject(state: _Groups, o: Override) -> None:
    """Two passages judged not the same: if they share rows, the first leaves them."""
    while (g := state.together(o)) is not None:  # out of every row they share
        p = next(p for row, p in state.holding(o.article_id, o.start) if row == g)
        passage = state.groups[g]["passages"].pop(p)
        if passage not in state.only_in:
            state.only_in.append(passage)
        state.changed(g)


def _renamed(state: _Groups, o: Override, where) -> int | None:
    """The row a rename names: the one holding its passage, if it is still mostly the row that
    was renamed (at least half its passages hold a point of that row, and it holds at least half
    of those points); else another row that is; else none. A later run may have grouped the
    passage anew (into its event's own row, say), and the name meant for three passages must not
    land on twenty-three. A rename recorded with no members is applied where its passage is."""
    if not o.members:
        return where[0] if where else None

    def holds(passage, point) -> bool:
        return passage[0] == point[0] and passage[1] <= point[1] < passage[2]

    def fits(g: int) -> bool:
        passages = state.groups[g]["passages"]
        points = sum(1 for m in o.members if any(holds(p, m) for p in passages))
        mine = sum(1 for p in passages if any(holds(p, m) for m in o.members))
        return 2 * points >= len(o.members) and 2 * mine >= len(passages)

    candidates = [where[0]] if where else []
    for article_id, offset in o.members:
        found = state.find(article_id, offset)
        if found and found[0] not in candidates:
            candidates.append(found[0])
    return next((g for g in candidates if fits(g)), None)


def apply_overrides(groups: list[dict], only_in: list[tuple[int, int, int]], overrides: list[Override]) -> list[dict]:
    """The groups after the corrections, in order; groups left with one article are dropped.

    A group whose passages a correction changed is marked "changed" (its label named what it
    held before); one an editor named is marked "renamed" (that name stays, whatever changes)."""
    state = _Groups(groups, only_in)
    for o in overrides:
        where = state.find(o.article_id, o.start, o.members)
        if o.kind == "rename" and (renamed := _renamed(state, o, where)) is not None:
            groups[renamed]["label"] = o.label
            groups[renamed]["renamed"] = True
        elif o.kind == "split" and where:
            only_in.append(groups[where[0]]["passages"].pop(where[1]))
            state.changed(where[0])
        elif o.kind in ("move", "merge", "accept"):
            _move(state, o)
        elif o.kind == "reject":
            _reject(state, o)
    return [g for g in groups if len({a for a, _s, _e in g["passages"]}) >= 2]
