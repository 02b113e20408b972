"""Installed the daily totals' triggers (PostgreSQL) when reviews kept the totals.

The totals and their triggers are the insights app's now: insights 0002 drops what this
installed and installs the one definition on PostgreSQL and SQLite alike. On a database that
has not run this yet it does nothing; it stays so the databases that ran it keep their history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_daily_totals"),
        ("inventory", "0013_hold_collected_price"),
        ("notifications", "0003_dashboard_indexes"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
