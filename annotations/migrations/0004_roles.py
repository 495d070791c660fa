from django.db import migrations

ROLES = {
    "Instructors": ["add_activity", "change_activity", "view_activity"],
    "Editors": ["add_activity", "change_activity", "view_activity", "add_decision", "change_decision"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="annotations", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_activities"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
