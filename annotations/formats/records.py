"""The plain record every format writes from, and the pseudonyms exports use instead of user names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Record:
    id: int
    article_id: int
    article: str  # the imported file's name
    revision: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    tag: str
    note: str
    annotator: str
    layer: str
    activity_id: int | None
    created: datetime
    modified: datetime
    version: int


class Pseudonyms:
    """Stable pseudonyms ("annotator-1", "annotator-2", ...) in order of first appearance."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._names:
            self._names[name] = f"annotator-{len(self._names) + 1}"
        return self._names[name]
