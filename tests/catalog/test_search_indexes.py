"""The product word search reads its indexes on PostgreSQL (catalog migration 0003), and the
stock levels' (variant, store) index carries the counts the finder reads (inventory 0011)."""

import pytest
from django.db import connection

from catalog.models import Product
from catalog.selectors import product_search
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


def test_product_search_words_and_style_code_use_the_indexes(postgresql):
    ProductFactory(name="Pegasus 41", brand=BrandFactory(name="Nike"))
    explained = plan(product_search(Product.objects.all(), "nike peg").values("pk"))
    assert "product_search_document" in explained
    assert "product_style_code_upper_trgm" in explained
    assert "Seq Scan on catalog_product" not in explained


def test_product_search_matches_a_brand_word_with_a_product_word(db):
    nike, asics = BrandFactory(name="Nike"), BrandFactory(name="Asics")
    pegasus = ProductFactory(name="Pegasus 41", brand=nike)
    ProductFactory(name="Gel Pegasus Lookalike", brand=asics)
    found = product_search(Product.objects.all(), "nike pegasus")
    assert list(found) == [pegasus]
    assert list(product_search(Product.objects.all(), "nike asics")) == []


def test_stock_levels_index_carries_the_counts(postgresql):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["stocklevel_variant_store"]
        )
        (definition,) = cursor.fetchone()
    # The finder's read needs no other column: an index-only scan once the table is vacuumed.
    assert "(variant_id, store_id) INCLUDE (on_hand, reserved)" in definition
