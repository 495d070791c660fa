"""What an import of annotations says it did, and the one error that stops it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class ImportFileError(ValueError):
    """The file cannot be read at all; nothing was imported."""


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    links: int = 0  # links between passages of two articles, imported
    replies: int = 0  # replies in a thread, imported onto the annotation they answer
    methods: Counter = field(default_factory=Counter)
    orphans: list[str] = field(default_factory=list)
    authors: dict[str, str] = field(default_factory=dict)  # name in the file -> the account it went to

    def summary(self) -> str:
        how = ", ".join(f"{n} by {m}" for m, n in sorted(self.methods.items()))
        skipped = f", {self.skipped} already there (skipped)" if self.skipped else ""
        links = f", {self.links} link{'s' if self.links != 1 else ''} between passages imported" if self.links else ""
        replies = f", {self.replies} repl{'y' if self.replies == 1 else 'ies'} added to threads" if self.replies else ""
        return (
            f"{self.created} annotation{'' if self.created == 1 else 's'} imported ({how or 'none'}){replies}{skipped}, "
            f"{len(self.orphans)} kept as orphans{links}"
        )
