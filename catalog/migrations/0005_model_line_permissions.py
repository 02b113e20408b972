"""Model lines are edited where brands are: catalog editors add and change them (and their
spellings); salespeople and store managers see them, as they see every catalog model."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Catalog editors": ["add_productline", "change_productline", "view_productline"],
    "Salespeople": ["view_productline"],
    "Store managers": ["view_productline"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="catalog", codename__in=codenames
                )
            )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0004_search_spellings_and_lines"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
