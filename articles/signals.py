"""Signals other apps listen to. The corpus changed: anything derived from it should be redone."""

from django.dispatch import Signal

corpus_changed = Signal()  # sent with `user` after a web upload or a restored line
