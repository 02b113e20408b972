"""Indexes for the product word search (`catalog.selectors.product_search`), measured with
benchmarks/stock_bench.py (PostgreSQL only; SQLite in development simply scans).

- `product_search_document`: a GIN index on the product's own words (name, style code,
  colourways), the exact expression `catalog.selectors.product_document()` builds. Without it
  every search parsed the words of every product (~21 ms at 5,000 products).
- `product_style_code_upper_trgm`: the style code is also matched anywhere inside
  (`style_code__icontains`, i.e. `UPPER(style_code) LIKE '%...%'`); a trigram index lets that
  branch of the search be an index scan too, so the whole filter is one bitmap of index scans.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

DOCUMENT_INDEX = "product_search_document"
TRGM_INDEX = "product_style_code_upper_trgm"


def document_index() -> GinIndex:
    # Frozen copy of catalog.selectors.product_document(); a test checks the search uses it.
    return GinIndex(
        SearchVector("name", "style_code", weight="A", config="simple")
        + SearchVector("colourway_he", "colourway_en", weight="B", config="simple"),
        name=DOCUMENT_INDEX,
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.add_index(apps.get_model("catalog", "Product"), document_index())
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON catalog_product "
        "USING gin (UPPER(style_code) gin_trgm_ops)"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENT_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0002_variant_sku_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
