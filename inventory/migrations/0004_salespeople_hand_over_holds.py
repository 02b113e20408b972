"""Salespeople hand held pairs over at the counter: they mark holds collected or release them
at their own store (the holds desk), as store managers do."""

from django.db import migrations

PERMISSIONS = ["manage_holds", "change_hold"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Salespeople").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="inventory", codename__in=PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Salespeople").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label="inventory", codename__in=PERMISSIONS))


class Migration(migrations.Migration):

    dependencies = [("inventory", "0003_staff_roles")]

    operations = [migrations.RunPython(grant, revoke)]
