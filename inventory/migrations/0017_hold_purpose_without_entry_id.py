from django.conf import settings
from django.db import migrations, models


def entry_ids_back(apps, schema_editor):
    """Going back: each waitlist hold names its entry again, from the entry's own link; a
    hold whose entry is gone (purged) names entry 0, so the old constraint holds."""
    Hold = apps.get_model("inventory", "Hold")
    WaitlistEntry = apps.get_model("demand", "WaitlistEntry")
    links = WaitlistEntry.objects.exclude(hold=None).values_list("hold_id", "pk")
    for hold_id, entry_id in links:
        Hold.objects.filter(pk=hold_id, purpose="waitlist").update(waitlist_entry_id=entry_id)
    Hold.objects.filter(purpose="waitlist", waitlist_entry_id=None).update(waitlist_entry_id=0)


class Migration(migrations.Migration):
    """A hold no longer names the waitlist entry it is for: the entry, in `demand`, points at its
    hold (`WaitlistEntry.hold`), and `demand` 0002 linked any entry that did not yet."""

    dependencies = [
        ("demand", "0002_entries_point_at_their_holds"),
        ("catalog", "0003_product_search_indexes"),
        ("inventory", "0016_hold_text_read_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="hold",
            name="hold_one_active_per_waitlist_entry",
        ),
        migrations.RemoveConstraint(
            model_name="hold",
            name="hold_purpose_matches_fields",
        ),
        migrations.RunPython(migrations.RunPython.noop, entry_ids_back),
        migrations.RemoveField(
            model_name="hold",
            name="waitlist_entry_id",
        ),
        migrations.AddConstraint(
            model_name="hold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("purpose", "waitlist"), ("transfer__isnull", True)),
                    models.Q(("purpose", "transfer"), ("transfer__isnull", False)),
                    models.Q(
                        ("purpose", "request"),
                        ("transfer__isnull", True),
                        models.Q(("customer_phone", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="hold_purpose_matches_fields",
            ),
        ),
    ]
