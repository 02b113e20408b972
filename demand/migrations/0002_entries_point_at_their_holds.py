from django.db import migrations


def entries_point_at_their_holds(apps, schema_editor):
    """Before `inventory` forgets which entry a hold was for (0018), every entry points at its
    hold: a hold placed for an entry whose own link was never written is linked now (the newest
    such hold, if there were several)."""
    Hold = apps.get_model("inventory", "Hold")
    WaitlistEntry = apps.get_model("demand", "WaitlistEntry")
    linked = set(WaitlistEntry.objects.exclude(hold=None).values_list("hold_id", flat=True))
    holds = (
        Hold.objects.filter(purpose="waitlist", waitlist_entry_id__isnull=False)
        .exclude(pk__in=linked)
        .order_by("-pk")
        .values_list("pk", "waitlist_entry_id")
    )
    for hold_id, entry_id in holds:
        WaitlistEntry.objects.filter(pk=entry_id, hold__isnull=True).update(hold_id=hold_id)


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0001_initial"),
        ("inventory", "0016_hold_text_read_at"),
    ]

    operations = [
        migrations.RunPython(entries_point_at_their_holds, migrations.RunPython.noop),
    ]
