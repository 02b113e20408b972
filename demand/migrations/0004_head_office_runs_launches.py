"""Head office runs launch draws: its role group gets `demand.manage_launches` (the staff
pages under /staff/launches/)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {"Head office": ["manage_launches"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("demand")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="demand", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="demand", codename__in=codenames
                )
            )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0003_review_roles"),
        ("demand", "0003_launch_draws"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
