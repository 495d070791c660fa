from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.text.leftout import kept_texts, left_out, page_blocks


class Article(models.Model):
    """One article of the corpus, known by the name of the file it was imported from."""

    source = models.CharField(max_length=255, unique=True)
    current = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return self.current.title if self.current else self.source

    def get_absolute_url(self) -> str:
        # The project decides which page reads an article (the annotating reader, when installed).
        return reverse(settings.ARTICLE_READER_URL, args=[self.pk])


class Revision(models.Model):
    """One imported version of an article: the raw bytes verbatim and what cleaning made of them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    raw = models.BinaryField()
    content_hash = models.CharField(max_length=64, db_index=True)
    encoding = models.CharField(max_length=40)
    is_html = models.BooleanField(default=False)
    kept_lines = models.JSONField(default=list, blank=True)  # raw line numbers restored by staff
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=300, blank=True)
    bio = models.TextField(blank=True)
    language = models.CharField(max_length=12, blank=True)
    truncated = models.BooleanField(default=False)
    text = models.TextField()
    paragraphs = models.JSONField(default=list, blank=True)  # [[start, end, kind, raw_line], ...]
    sentences = models.JSONField(default=list, blank=True)  # [[start, end], ...]
    removed = models.JSONField(default=list, blank=True)  # [{"number", "line", "reason"}, ...]
    warnings = models.JSONField(default=list, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    # What followed this revision from the previous one: {"moved": n, "orphaned": m} annotations.
    carried = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.article.source} r{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("articles:report", args=[self.article_id]) + f"?revision={self.number}"

    @property
    def raw_text(self) -> str:
        return bytes(self.raw).decode(self.encoding if self.encoding else "utf-8", errors="replace")

    def removed_by_reason(self) -> list[dict]:
        """Dropped lines grouped by reason (line numbers inside a reason set aside), most frequent first."""
        groups: dict[str, list[dict]] = {}
        for row in self.removed:
            groups.setdefault(re.sub(r"\bline \d+", "another line", row["reason"]), []).append(row)
        return [{"reason": reason, "lines": rows} for reason, rows in sorted(groups.items(), key=lambda g: -len(g[1]))]

    CORRECTED = "text corrected by an editor"  # the start of the warning a corrected revision carries

    @property
    def corrected_by_hand(self) -> bool:
        """Whether an editor wrote this text (it is no longer what cleaning kept of the file)."""
        return any(w.startswith(self.CORRECTED) for w in self.warnings)

    def kept_block(self) -> tuple[int, int] | None:
        """First and last raw line number of the text kept as the article, or None if nothing was kept."""
        numbers = [p[3] for p in self.paragraphs if len(p) > 3 and p[3]]
        return (min(numbers), max(numbers)) if numbers else None

    def left_out_of_page(self, *, cut: bool = True) -> list[str]:
        """For an HTML page, the blocks of it the extractor left out of the article, in page order:
        menus, footers, related links, and any paragraph of the article it missed (after an
        editor's correction, what is still not in the corrected text). `cut`: long blocks end
        in "…", as the report shows them."""
        if not self.is_html:
            return []
        kept = kept_texts(self.text, self.paragraphs, self.removed, self.title, self.standfirst, self.byline, self.bio)
        return left_out(page_blocks(self.raw_text), kept, cut=cut)

    def paragraph_blocks(self) -> list[dict]:
        """Paragraph texts with their kind and offsets, for templates."""
        return [
            {
                "index": i,
                "start": start,
                "end": end,
                "kind": kind,
                "text": self.text[start:end],
                "line": rest[0] if rest else 0,
            }
            for i, (start, end, kind, *rest) in enumerate(self.paragraphs)
        ]


class AlignmentEvent(models.Model):
    """One happening the articles report (the visit, the earthquake); its groups are the points."""

    key = models.CharField(max_length=64)  # the key of its first group
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class AlignmentGroup(models.Model):
    """Passages of two or more articles making one point about an event (computed, then overridden)."""

    key = models.CharField(max_length=64)  # "article_id:start" of its first passage
    label = models.CharField(max_length=200)
    event = models.ForeignKey(AlignmentEvent, on_delete=models.CASCADE, related_name="groups", null=True, blank=True)
    discrepancy = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=10, choices=[("event", "same event"), ("point", "same point")], default="point")
    cohesion = models.FloatField(default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class AlignmentPassage(models.Model):
    group = models.ForeignKey(AlignmentGroup, on_delete=models.CASCADE, related_name="passages")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="alignment_passages")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["article_id", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="alignment_passage_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"

    @property
    def text(self) -> str:
        return self.revision.text[self.start : self.end]


class AlignmentOverride(models.Model):
    """An editor's correction, replayed after every recomputation.

    Passages are named by (article, start offset in the article's text), so a correction holds
    as long as that passage is still found by the engine.
    """

    class Kind(models.TextChoices):
        RENAME = "rename", "rename a group"
        MOVE = "move", "move a passage to another group"
        MERGE = "merge", "merge two groups"
        SPLIT = "split", "split a passage out of its group"
        ACCEPT = "accept", "accept a suggested link"
        REJECT = "reject", "reject a suggested link"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    target_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    target_start = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(max_length=200, blank=True)
    # a point inside each passage of the row the correction named, [[article, offset], ...]: the
    # row renamed, or the one a passage left; a later run's row takes a name only if it is mostly
    # that row, and a sentence in two rows is taken out of the one named (see alignment/overrides.py)
    members = models.JSONField(default=list, blank=True)
    # the same of the row a move or a merge went into (alignment/overrides.py finds both rows by them)
    target_members = models.JSONField(default=list, blank=True)
    # a new revision of its article took out the passage it names: it names nothing, and is not replayed
    lost = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.article_id}:{self.start}"


class AlignmentSuggestion(models.Model):
    """Two passages the engine found likely the same but did not group, with its probability."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    target_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    target_start = models.PositiveIntegerField()
    target_end = models.PositiveIntegerField()
    probability = models.FloatField()

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=1), name="suggestion_probability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.start} ~ {self.target_article_id}:{self.target_start} ({self.probability:.2f})"


class AlignmentRun(models.Model):
    """One write of the alignment: a full computation, or articles added to the stored one.

    `stamp` names the corpus index (a file beside the database) written with it: an incremental
    run needs the index of the latest run, else it aligns the whole corpus again.
    """

    class Kind(models.TextChoices):
        FULL = "full", "whole corpus"
        ADD = "add", "articles added"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    stamp = models.CharField(max_length=40, unique=True)
    articles = models.PositiveIntegerField(default=0)  # articles aligned by the run
    added_since_full = models.PositiveIntegerField(default=0)  # articles aligned one by one since the last full run
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.stamp}"
