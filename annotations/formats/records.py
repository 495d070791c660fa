"""The plain record every format writes from, and the pseudonyms exports use instead of user names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Imported authors are accounts named IMPORT_PREFIX + the file's name: sign-up refuses ":" in a
# name, so they never collide with a real account; exports show the file's name without it.
IMPORT_PREFIX = "import:"

# What a reader hands on for a W3C linking annotation: imports count links and do not import them.


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
    labels: tuple[str, ...] = ()  # free labels beside the tag (imported tags outside the tag set)
    title: str = ""  # the article's title in that revision, for people reading a spreadsheet
    # the account whose page /users/<account> is, when `annotator` is not its name: an import
    # identity's full name ("import:Rita"), or "" for a pseudonym, which names no account
    account: str | None = None


@dataclass(frozen=True)
class LinkEndRecord:
    """One passage a link joins, on the revision it is anchored to."""

    article_id: int
    article: str  # the imported file's name
    revision: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class LinkRecord:
    """A link between two passages of different articles, as the W3C export writes it."""

    id: int
    kind: str  # same-event, same-point, contradicts, adds-detail
    note: str
    annotator: str
    layer: str
    activity_id: int | None
    created: datetime
    modified: datetime
    ends: tuple[LinkEndRecord, ...]
    account: str | None = None  # as Record.account


@dataclass(frozen=True)
class Document:
    """One article revision with the records on it, for the formats that write whole documents."""

    name: str  # the article's file name
    article_id: int
    revision: int
    text: str
    records: list  # of Record


def by_annotator(records) -> dict[str, list]:
    """Records grouped by annotator, in order of first appearance."""
    groups: dict[str, list] = {}
    for record in records:
        groups.setdefault(record.annotator, []).append(record)
    return groups


def incoming(**fields) -> dict:
    """An annotation read from a file, as every reader hands it to the import service.

    Values are as the file gave them (the service checks their types): article (a file name),
    article_id, revision, start, end, exact, prefix, suffix, tags (a list: the first one in the
    tag set becomes the tag, the rest free labels), note, note_format ("html" or "markdown"),
    annotator, layer, created, modified, version, source_id (the file's own id for it),
    text (the whole document text, when the file carries it) and reply_to (for a reply in a
    thread: the file's id of the annotation it answers).
    """
    item = dict.fromkeys(INCOMING_KEYS)
    item.update(tags=[], note="", note_format="html", exact="", prefix="", suffix="")
    item.update(fields)
    return item


INCOMING_KEYS = (
    "article",
    "article_id",
    "revision",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "tags",
    "note",
    "note_format",
    "annotator",
    "layer",
    "created",
    "modified",
    "version",
    "source_id",
    "text",
    "reply_to",
)


class Pseudonyms:
    """Stable pseudonyms ("annotator-1", "annotator-2", ...) in order of first appearance; the
    exercise's answer key is "answer-key" in every format, never taken for one more student."""

    KEY = "answer-key"

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def author(self, account: str, layer: str, *, hidden: bool) -> tuple[str, str | None]:
        """The name an export shows for `account`'s work (a pseudonym when `hidden`, an import
        identity without its prefix), and the account a creator id names: None when it is the
        name shown, "" for a pseudonym (no id: never a real person who shares it)."""
        shown = account.removeprefix(IMPORT_PREFIX)
        if hidden:
            return self(shown, layer), ""
        return shown, (account if account != shown else None)

    def __call__(self, name: str, layer: str = "individual") -> str:
        if layer == "key":
            return self.KEY
        if name not in self._names:
            self._names[name] = f"annotator-{len(self._names) + 1}"
        return self._names[name]
