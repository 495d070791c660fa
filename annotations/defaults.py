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


# The roles: groups and the permissions they grant ("app_label.codename"). `annotations.access`
# and `articles.access` ask only for these permissions, never for a group or `is_staff`.
ROLES = {
    "Instructors": [
        "annotations.add_activity",
        "annotations.change_activity",
        "annotations.view_activity",
        "annotations.export_corpus",
    ],
    "Editors": [
        "annotations.add_activity",
        "annotations.change_activity",
        "annotations.view_activity",
        "annotations.add_decision",
        "annotations.change_decision",
        "annotations.export_corpus",
        "annotations.correct_text",
        "articles.change_alignmentgroup",
    ],
    "Curators": [
        "articles.add_article",
        "articles.change_article",
        "articles.change_alignmentgroup",
        "annotations.export_corpus",
        "annotations.correct_text",
    ],
}


def ensure_roles(group_model, permission_model) -> None:
    """Create the role groups and grant their permissions (idempotent; the permissions must exist)."""
    for name, permissions in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            group.permissions.add(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
