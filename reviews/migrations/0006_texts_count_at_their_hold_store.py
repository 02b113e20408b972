from django.db import migrations

from reviews import totals


def reinstall_triggers(apps, schema_editor):
    """The texts' trigger joined the waitlist entry a text pointed at; texts now count at their
    hold's store only. Triggers are made again from `totals` and the totals recounted."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in [*totals.uninstall_sql(), *totals.install_sql()]:
            cursor.execute(statement)
    totals.daily_totals_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_daily_totals_triggers"),
        ("notifications", "0008_demand_moves_out"),
    ]

    operations = [
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
