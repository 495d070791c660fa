"""Writes to the corpus, by topic: processing (file to fields), revisions (imports and new revisions), alignment."""
