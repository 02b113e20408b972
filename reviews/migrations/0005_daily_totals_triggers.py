from django.db import migrations

from reviews import totals


def install_triggers(apps, schema_editor):
    """Keep the totals from now on, and count what is already there."""
    if schema_editor.connection.vendor != "postgresql":
        return  # other databases: the dashboard reads the raw rows
    with schema_editor.connection.cursor() as cursor:
        for statement in totals.install_sql():
            cursor.execute(statement)
    totals.daily_totals_rebuild()


def uninstall_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in totals.uninstall_sql():
            cursor.execute(statement)


class Migration(migrations.Migration):
    """Apart from the tables: their constraints must exist before the triggers use them."""

    dependencies = [
        ("reviews", "0004_daily_totals"),
        ("inventory", "0013_hold_collected_price"),
        ("notifications", "0003_dashboard_indexes"),
    ]

    operations = [
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
