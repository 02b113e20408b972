import django.db.models.deletion
from django.db import migrations, models

PERMISSIONS = ["add", "change", "delete", "view"]


def content_type_follows(apps, schema_editor):
    """Permissions granted on texts stay granted: the content type and the default permissions'
    codenames follow the model's new name (its table keeps its old one)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    if ContentType.objects.filter(app_label="notifications", model="message").exists():
        return
    ContentType.objects.filter(app_label="notifications", model="smsmessage").update(
        model="message"
    )
    for action in PERMISSIONS:
        Permission.objects.filter(
            content_type__app_label="notifications", codename=f"{action}_smsmessage"
        ).update(codename=f"{action}_message")


def content_type_returns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ContentType.objects.filter(app_label="notifications", model="message").update(
        model="smsmessage"
    )
    for action in PERMISSIONS:
        Permission.objects.filter(
            content_type__app_label="notifications", codename=f"{action}_message"
        ).update(codename=f"{action}_smsmessage")


class Migration(migrations.Migration):
    """`SmsMessage` was never only SMS: it is a `Message` on a channel (SMS or WhatsApp). The
    state changes; the table, its rows, indexes and the triggers that read it stay as they
    are."""

    dependencies = [
        ("inventory", "0017_hold_purpose_without_entry_id"),
        ("notifications", "0008_demand_moves_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RenameModel(old_name="SmsMessage", new_name="Message"),
                migrations.AlterModelTable(name="message", table="notifications_smsmessage"),
                migrations.AlterField(
                    model_name="message",
                    name="hold",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="messages",
                        to="inventory.hold",
                        verbose_name="hold",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="transfer",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="messages",
                        to="inventory.transfer",
                        verbose_name="transfer",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
