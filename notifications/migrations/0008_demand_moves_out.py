from django.db import migrations


class Migration(migrations.Migration):
    """Waitlist entries and suggested transfers now belong to `demand` (their tables stay as
    they are: the state moves, no row does). A text no longer points at a waitlist entry: a
    hold text names its hold, and the entry is found from the hold (`WaitlistEntry.hold`)."""

    dependencies = [
        ("notifications", "0007_whatsapp_channel"),
        ("demand", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="smsmessage", name="entry"),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="waitlistentry", name="hold"),
                migrations.RemoveField(model_name="waitlistentry", name="store"),
                migrations.RemoveField(model_name="waitlistentry", name="transfer"),
                migrations.RemoveField(model_name="waitlistentry", name="variant"),
                migrations.DeleteModel(name="TransferSuggestion"),
                migrations.DeleteModel(name="WaitlistEntry"),
            ],
        ),
    ]
