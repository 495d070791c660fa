"""Views by topic: reader, api, activities, corpus, compare, tokens."""
