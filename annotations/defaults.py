"""The default tag set. Plain data, shared by the data migration and the tests."""

DEFAULT_TAGS = [
    # slug, name, definition, key, colour (Okabe–Ito), underline, order
    ("claim", "Claim", "A checkable statement of fact.", "1", "#0072b2", "solid", 1),
    ("opinion", "Opinion", "A judgement or evaluation.", "2", "#e69f00", "dashed", 2),
    ("quote", "Quote", "Reported speech or a quoted source.", "3", "#009e73", "dotted", 3),
    ("unsupported", "Unsupported", "An assertion given without evidence or attribution.", "4", "#cc79a7", "wavy", 4),
]


def ensure_default_tags(tag_model) -> None:
    """Create or refresh the four default tags (idempotent)."""
    for slug, name, definition, key, colour, underline, order in DEFAULT_TAGS:
        tag_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "definition": definition,
                "key": key,
                "colour": colour,
                "underline": underline,
                "order": order,
            },
        )
