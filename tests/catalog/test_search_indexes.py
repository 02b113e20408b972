"""The catalogue search reads its trigram index on PostgreSQL (catalog migration 0004), and the
stock levels' (variant, store) index carries the counts the finder reads (inventory 0011)."""

import pytest
from django.db import connection

from catalog.models import Product
from catalog.search import find
from tests.factories import BrandFactory, ProductFactory

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of test rows would be scanned anyway: ask what the planner can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the search indexes are PostgreSQL's")


def test_find_reads_the_search_text_through_the_trigram_index(postgresql):
    ProductFactory(name="Pegasus 41", brand=BrandFactory(name="Nike"), colourway_en="Black")
    # "blakc" is read as the colour word "black", looked for in the search text (LIKE).
    explained = plan(find(Product.objects.all(), "blakc").products.order_by().values("pk"))
    assert "product_search_text_trgm" in explained
    assert "Seq Scan on catalog_product" not in explained


def test_find_matches_a_brand_word_with_a_product_word(db):
    nike, asics = BrandFactory(name="Nike"), BrandFactory(name="Asics")
    pegasus = ProductFactory(name="Pegasus 41", brand=nike)
    ProductFactory(name="Gel Pegasus Lookalike", brand=asics)
    found = find(Product.objects.all(), "nike pegasus").products
    assert list(found) == [pegasus]
    assert list(find(Product.objects.all(), "nike asics").products) == []


def test_stock_levels_index_carries_the_counts(postgresql):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["stocklevel_variant_store"]
        )
        (definition,) = cursor.fetchone()
    # The finder's read needs no other column: an index-only scan once the table is vacuumed.
    assert "(variant_id, store_id) INCLUDE (on_hand, reserved)" in definition
