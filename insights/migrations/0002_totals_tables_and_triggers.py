"""The daily totals' tables take insights' names, and one definition of the triggers keeps them
on PostgreSQL and on SQLite (insights.triggers).

Renaming is a catalogue change (no rows are copied). The triggers reviews 0005 installed name
the old tables in their bodies, so they are dropped first; the new ones are installed after the
rename and the totals recounted from the raw rows. Runs after every migration of the watched
apps so far; later ones are run with the SQLite triggers off (see config.sqlite).
"""

from django.db import migrations

from insights import triggers

# What reviews 0005 installed on PostgreSQL, one function per watched table (CASCADE drops
# their triggers).
REVIEWS_FUNCTIONS = [
    "reviews_totals_notifications_waitlistentry",
    "reviews_totals_inventory_hold",
    "reviews_totals_notifications_smsmessage",
    "reviews_totals_inventory_transfer",
    "reviews_totals_reviews_rating",
]


MOVED = ["dailytotal", "dailycollection", "dailyduration"]


def move_content_types(apps, schema_editor):
    """The models' content types (and any permission on them) follow them to insights."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="insights", model=model).exists():
            ContentType.objects.filter(app_label="reviews", model=model).update(
                app_label="insights"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="reviews", model=model).exists():
            ContentType.objects.filter(app_label="insights", model=model).update(
                app_label="reviews"
            )


def drop_reviews_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # reviews 0005 installed nothing elsewhere
    with schema_editor.connection.cursor() as cursor:
        for function in REVIEWS_FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE;")


def install_triggers(apps, schema_editor):
    triggers.triggers_install(schema_editor.connection)


def uninstall_triggers(apps, schema_editor):
    triggers.triggers_uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("reviews", "0006_move_daily_totals_to_insights"),
        ("inventory", "0016_hold_text_read_at"),
        ("notifications", "0008_demand_moves_out"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_content_types, restore_content_types),
        # Backwards this leaves no triggers: reviews 0005's definition is no longer in the code.
        migrations.RunPython(drop_reviews_triggers, migrations.RunPython.noop),
        migrations.AlterModelTable(name="dailycollection", table=None),
        migrations.AlterModelTable(name="dailyduration", table=None),
        migrations.AlterModelTable(name="dailytotal", table=None),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
