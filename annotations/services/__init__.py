"""Writes that carry a rule, one module per topic (annotations, tokens, activities, exports, imports, corrections, jobs)."""
