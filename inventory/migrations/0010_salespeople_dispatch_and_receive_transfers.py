"""Salespeople move the pairs between stores: whoever packs the pair at the source store
dispatches it, and whoever unpacks it at the destination receives it (inventory.permissions
still limits each to the staff member's home store). Managers keep both, and cancelling
someone else's request stays theirs."""

from django.db import migrations

PERMISSIONS = ["dispatch_transfer", "receive_transfer"]


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

    dependencies = [("inventory", "0009_shipment_received_by_cancelled_by")]

    operations = [migrations.RunPython(grant, revoke)]
