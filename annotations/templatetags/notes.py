"""How a stored note or reply reaches the page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(is_safe=True)
def note_html(value: str) -> SafeString:
    """A stored note (sanitized on its way in: annotations.text.sanitize) as HTML. A note typed as
    plain text keeps its line breaks; one with markup (imported HTML, rendered Markdown) is shown
    as it is. Plain text holds no "<": the sanitizer escapes a typed one."""
    value = value or ""
    if "<" not in value and "\n" in value:
        value = value.replace("\r\n", "\n").replace("\n", "<br>\n")
    return mark_safe(value)  # stored notes are sanitized by the one sanitizer on their way in
