"""Put the cleaned article together from the decisions the steps made about each line."""

from __future__ import annotations

from articles.text.cleaning.article import CleanedArticle, Paragraph, Removed
from articles.text.cleaning.lines import Line, ends_sentence, paragraph_kind


class Decisions:
    """Which lines were dropped and why; a line a person restored is never dropped."""

    def __init__(self, kept_lines: frozenset[int]) -> None:
        self.kept_lines = kept_lines
        self.dropped: dict[int, str] = {}

    def drop(self, line: Line, reason: str) -> None:
        if line.number not in self.kept_lines and line.number not in self.dropped:
            self.dropped[line.number] = reason

    def live(self, lines: list[Line]) -> list[Line]:
        return [line for line in lines if line.number not in self.dropped]


def finish(result: CleanedArticle, lines: list[Line], kept: list[Line], decisions: Decisions) -> None:
    """Fill in the paragraphs, the dropped lines, and the warnings about the whole text."""
    taken = {result.title, result.standfirst, result.byline, result.bio} - {""}
    kept_numbers = {line.number for line in kept}
    for line in lines:
        if line.number in decisions.kept_lines and line.number not in kept_numbers and line.text not in taken:
            kept.append(line)
    kept.sort(key=lambda ln: ln.number)
    result.paragraphs = [Paragraph(line.text, paragraph_kind(line), line.number) for line in kept]
    text_of = {line.number: line.text for line in lines}
    result.removed = [Removed(n, text_of[n], r) for n, r in sorted(decisions.dropped.items())]
    last_text = [p for p in result.paragraphs if p.kind in ("paragraph", "list_item")]
    if last_text and not ends_sentence(last_text[-1].text):
        result.truncated = True
        result.warnings.append("truncated: the article ends mid-sentence")
    if len(lines) == 1 and len(lines[0].text) > 2000:
        result.warnings.append("the file has no line breaks; it is read as one paragraph")
