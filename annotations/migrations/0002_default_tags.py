from django.db import migrations

DEFAULT_TAGS = [
    ("claim", "Claim", "A checkable statement of fact.", "1", "#0072b2", "solid", 1),
    ("opinion", "Opinion", "A judgement or evaluation.", "2", "#e69f00", "dashed", 2),
    ("quote", "Quote", "Reported speech or a quoted source.", "3", "#009e73", "dotted", 3),
    ("unsupported", "Unsupported", "An assertion given without evidence or attribution.", "4", "#cc79a7", "wavy", 4),
]


def create_tags(apps, schema_editor):
    Tag = apps.get_model("annotations", "Tag")
    for slug, name, definition, key, colour, underline, order in DEFAULT_TAGS:
        Tag.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "definition": definition, "key": key, "colour": colour,
                      "underline": underline, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(create_tags, migrations.RunPython.noop)]
