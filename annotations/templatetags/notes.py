"""How a stored note or reply reaches the page."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


# Markup that lays out lines itself (imported HTML, rendered Markdown): its newlines are not breaks.
TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")  # a tag whole, quoted attribute values and all
BLOCKS = re.compile(r"<(?:p|div|br|ul|ol|li|blockquote|pre|h[1-6]|table|tr|td|th|dl|dt|dd|hr)\b", re.I)


@register.filter(is_safe=True)
def note_html(value: str) -> SafeString:
    """A stored note (sanitized on its way in: annotations.text.sanitize) as HTML. A note typed in
    the form keeps its line breaks, with or without the bold, italic and links the form allows;
    one laid out in blocks (imported HTML, rendered Markdown) is shown as it is."""
    value = value or ""
    if "\n" in value and not BLOCKS.search(value):
        pieces = TAG.split(value.replace("\r\n", "\n"))  # text, tag, text, ...: a break goes in text only
        value = "".join(p if n % 2 else p.replace("\n", "<br>\n") for n, p in enumerate(pieces))
    return mark_safe(value)  # stored notes are sanitized by the one sanitizer on their way in
