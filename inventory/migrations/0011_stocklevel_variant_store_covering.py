"""On PostgreSQL the (variant, store) index of stock levels also carries on-hand and reserved.

The stock finder and the product page read every store's level for a page of sizes; those rows
sit in as many heap pages as there are stores × sizes (10,000 pages for a page of the finder at
100 stores), so the read cost ~11 ms. With the counts in the index it is an index-only scan of a
few hundred pages (~1 ms), measured with benchmarks/stock_bench.py. The index keeps its name and
its key, so the model's state does not change; other databases keep the plain index.
"""

from django.db import migrations

INDEX = "stocklevel_variant_store"


def include_counts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX {INDEX}_counts ON inventory_stocklevel (variant_id, store_id) "
        "INCLUDE (on_hand, reserved)"
    )
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"ALTER INDEX {INDEX}_counts RENAME TO {INDEX}")


def key_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX {INDEX}_key ON inventory_stocklevel (variant_id, store_id)")
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"ALTER INDEX {INDEX}_key RENAME TO {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0010_salespeople_dispatch_and_receive_transfers"),
    ]

    operations = [
        migrations.RunPython(include_counts, key_only, elidable=False),
    ]
