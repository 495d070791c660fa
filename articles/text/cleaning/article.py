"""What cleaning makes of a page: the article's parts and every line it dropped, with why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Removed:
    number: int
    line: str
    reason: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str  # "paragraph", "heading", "list_item" or "footnote"
    line: int  # raw line number it came from


@dataclass
class CleanedArticle:
    title: str = ""
    standfirst: str = ""
    byline: str = ""
    bio: str = ""
    language: str = ""
    truncated: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    main_block: tuple[int, int] | None = None  # first and last raw line number of the article's main block

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)
