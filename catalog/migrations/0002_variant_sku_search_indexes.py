"""Indexes for finding a size by its SKU, measured with benchmarks/stock_bench.py.

- `variant_sku_upper` (every database): the stock finder's exact lookup is `sku__iexact`, i.e.
  `UPPER(sku) = UPPER(...)`, which the plain unique index on `sku` cannot serve; with 50,000
  sizes it was a sequential scan of ~40 ms per search, now well under a millisecond.
- `variant_sku_upper_trgm` (PostgreSQL only, with the pg_trgm extension): a search word is also
  matched inside SKUs (`sku__icontains`, i.e. `UPPER(sku) LIKE '%...%'`), once per word; the
  trigram index turns each of those 50,000-row scans into an index lookup. Other databases
  (SQLite in development) simply scan.
"""

import django.db.models.functions.text
from django.db import migrations, models

TRGM_INDEX = "variant_sku_upper_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON catalog_variant "
        "USING gin (UPPER(sku) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="variant",
            index=models.Index(django.db.models.functions.text.Upper("sku"),
                               name="variant_sku_upper"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
