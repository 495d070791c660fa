"""Signals other apps listen to. The corpus changed: anything derived from it should be redone."""

from django.dispatch import Signal

corpus_changed = Signal()  # sent with `user` after a web upload, a restored line, a text correction or an added block

# Sent inside the transaction that makes a new current revision of an existing article, with
# `article`, `previous`, `revision` and `cause` ("re-import", "restored line", "correction").
# Receivers move what belongs to the previous revision; each returns a result the caller reports.
revision_created = Signal()
