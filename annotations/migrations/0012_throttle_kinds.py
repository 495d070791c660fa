from django.db import migrations, models


class Migration(migrations.Migration):
    """LoginFailure counts several kinds of attempt (sign-in, join code, sign-up, password reset)."""

    dependencies = [
        ("annotations", "0011_orphan_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="loginfailure",
            name="kind",
            field=models.CharField(default="signin", max_length=16),
        ),
    ]
