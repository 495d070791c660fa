from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0017_annotation_document_order"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="annotation", name="annotation_document_order"),
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["revision", "activity", "start", "-end", "id", "tag", "annotator", "layer"],
                name="annotation_document_order",
            ),
        ),
    ]
