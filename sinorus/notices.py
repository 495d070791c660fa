"""Messages shown where a page returns to: an action that sends the reader back to a section
further down (#links, #left-out) says what it did there, not at the top, out of sight."""

from __future__ import annotations

from django.contrib import messages


def messages_beside(request, place: str) -> tuple[list, list]:
    """The request's messages: those for the top of the page, and those tagged `place` (added
    with extra_tags=place), to show beside the section the page returns to."""
    shown = list(messages.get_messages(request))
    return [m for m in shown if place not in m.tags.split()], [m for m in shown if place in m.tags.split()]
