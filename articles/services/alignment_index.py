"""The corpus index of the latest alignment, kept in a file beside the database.

It is derived data: the full alignment writes it, each incremental run rewrites it, and when it is
missing or belongs to another run (its stamp is not the latest AlignmentRun's) the next
alignment is a full one. Written to a temporary file and renamed, so a reader never sees half.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from articles.alignment.index import CorpusIndex

# numpy and the index load here, in the task worker, when an index is read or written: the web
# workers import this module but never align, and numpy would cost each of them ~15 MiB.


def index_path() -> Path:
    return Path(settings.ALIGNMENT_INDEX_DIR) / "corpus-index.npz"


def index_save(index: CorpusIndex, *, stamp: str, revisions: dict[int, int]) -> None:
    """Write `index` with the run's stamp and the revision aligned for each article."""
    import numpy as np

    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        np.savez(
            out,
            stamp=np.frombuffer(stamp.encode(), dtype=np.uint8),
            revision_articles=np.asarray(list(revisions), dtype=np.int64),
            revision_ids=np.asarray(list(revisions.values()), dtype=np.int64),
            **index.arrays(),
        )
    os.replace(partial, path)


def index_load() -> tuple[CorpusIndex, str, dict[int, int]] | None:
    """(index, stamp, {article id: revision id}), or None if there is no readable index."""
    import numpy as np

    from articles.alignment.index import CorpusIndex

    path = index_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError):
        return None
    try:
        stamp = bytes(arrays.pop("stamp")).decode()
        revisions = dict(
            zip(arrays.pop("revision_articles").tolist(), arrays.pop("revision_ids").tolist(), strict=True)
        )
        return CorpusIndex(arrays), stamp, revisions
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
