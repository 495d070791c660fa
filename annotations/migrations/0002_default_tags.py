from django.db import migrations

from annotations.defaults import ensure_default_tags


def create_tags(apps, schema_editor):
    ensure_default_tags(apps.get_model("annotations", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(create_tags, migrations.RunPython.noop)]
