"""The daily totals are the insights app's now (insights 0001 took them over, tables and rows
as they are): they leave reviews' state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_daily_totals_triggers"),
        ("insights", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="DailyCollection"),
                migrations.DeleteModel(name="DailyDuration"),
                migrations.DeleteModel(name="DailyTotal"),
            ],
        ),
    ]
