"""The stock finder's read: what matches, where it is, nearest store first."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog.search import lexicon
from inventory import services
from inventory.geo import CITIES, city_by_slug, city_choices, great_circle_km
from inventory.models import Transfer
from inventory.selectors import FINDER_PAGE_SIZE, stock_finder, stock_finder_product
from tests.factories import BrandFactory, ProductFactory, StoreFactory, VariantFactory

pytestmark = pytest.mark.django_db

TEL_AVIV = (32.0853, 34.7818)


def store_in(slug: str, **kwargs):
    city = city_by_slug(slug)
    assert city is not None
    return StoreFactory(
        code=kwargs.pop("code", slug),
        name_en=kwargs.pop("name_en", city.name_en),
        name_he=kwargs.pop("name_he", city.name_he),
        city_en=city.name_en,
        city_he=city.name_he,
        latitude=Decimal(str(city.latitude)),
        longitude=Decimal(str(city.longitude)),
        **kwargs,
    )


def stock(store, variant, pairs: int, reserved: int = 0) -> None:
    services.stock_receive(store=store, variant=variant, quantity=pairs)
    if reserved:
        services.stock_reserve(store=store, variant=variant, quantity=reserved)


def codes(result) -> list[str]:
    return [s.store.code for s in result.stores]


def test_great_circle_km_tel_aviv_to_jerusalem_is_about_54_km():
    assert great_circle_km(TEL_AVIV, city_by_slug("jerusalem").point) == pytest.approx(54, abs=2)
    assert great_circle_km(TEL_AVIV, TEL_AVIV) == 0


def test_city_choices_lists_at_least_thirty_israeli_cities_in_both_languages():
    assert len(CITIES) >= 30
    assert len({c.slug for c in CITIES}) == len(CITIES)
    assert all(c.name_he and c.name_en for c in CITIES)
    assert all(29 < c.latitude < 34 and 34 < c.longitude < 36 for c in CITIES)
    with translation.override("he"):
        assert ("haifa", "חיפה") in city_choices()
    with translation.override("en"):
        names = [name for _slug, name in city_choices()]
        assert "Haifa" in names and names == sorted(names)


def test_stock_finder_by_name_brand_and_style_code():
    nike = BrandFactory(name="Nike", slug="nike")
    pegasus = ProductFactory(name="Pegasus 41", brand=nike, style_code="FD2722-002")
    ProductFactory(name="Gel-Kayano 31", style_code="1011B867-400")
    VariantFactory(product=pegasus)

    assert [p.product for p in stock_finder(query="pegasus", origin=None).products] == [pegasus]
    assert [p.product for p in stock_finder(query="nike peg", origin=None).products] == [pegasus]
    assert [p.product for p in stock_finder(query="FD2722", origin=None).products] == [pegasus]
    assert stock_finder(query="pegasus kayano", origin=None).products == []


def test_stock_finder_exact_sku_or_barcode_jumps_to_that_size():
    product = ProductFactory(name="Pegasus 41")
    VariantFactory(product=product, eu_size=Decimal("41"))
    wanted = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    ProductFactory(name="FD2722-002-42 lookalike")  # a name containing the SKU is not "exact"

    for query in ("fd2722-002-42", wanted.barcode):
        result = stock_finder(query=query, origin=None)
        assert result.exact == wanted
        assert [p.product for p in result.products] == [product]
        assert result.products[0].matched_variant_id == wanted.pk


def test_stock_finder_grid_shows_available_reserved_and_incoming():
    here, there = store_in("tel-aviv"), store_in("haifa")
    variant = VariantFactory()
    stock(there, variant, pairs=5, reserved=2)
    stock(here, variant, pairs=1)
    transfer = services.transfer_request(
        variant=variant, from_store=here, to_store=there, user=None
    )
    services.transfer_dispatch(transfer=transfer, user=None)
    assert Transfer.objects.get().status == Transfer.Status.DISPATCHED

    result = stock_finder(query=variant.sku, origin=TEL_AVIV)
    rows = {row.store.store.code: row.cells[0] for row in result.products[0].rows}
    assert (rows["haifa"].available, rows["haifa"].reserved, rows["haifa"].incoming) == (3, 2, 1)
    assert (rows["tel-aviv"].available, rows["tel-aviv"].on_hand) == (0, 0)


def test_stock_finder_orders_stores_home_first_then_nearest():
    far = store_in("eilat")
    haifa = store_in("haifa")
    jerusalem = store_in("jerusalem")
    home = store_in("tel-aviv")
    # Same spot as the home store: still after it.
    twin = store_in("tel-aviv", code="tel-aviv-2", name_en="Dizengoff")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    store_in("ashdod", code="closed", is_active=False)

    result = stock_finder(query="", origin=TEL_AVIV, home_store_id=home.pk)

    assert codes(result) == ["tel-aviv", "tel-aviv-2", "warehouse", "jerusalem", "haifa", "eilat"]
    assert result.stores[0].is_home
    assert [s.store for s in result.shops] == [home, twin, jerusalem, haifa, far]
    by_code = {s.store.code: s for s in result.stores}
    assert by_code["haifa"].distance_km == pytest.approx(82, abs=4)
    assert by_code["warehouse"].is_warehouse and by_code["warehouse"].store == warehouse


def test_stock_finder_from_a_customers_city_puts_the_nearest_store_first():
    store_in("tel-aviv")
    store_in("jerusalem")
    store_in("haifa")
    store_in("beersheba")

    result = stock_finder(query="", origin=city_by_slug("nahariya").point)
    assert codes(result) == ["haifa", "tel-aviv", "jerusalem", "beersheba"]

    result = stock_finder(query="", origin=city_by_slug("dimona").point)
    assert codes(result) == ["beersheba", "jerusalem", "tel-aviv", "haifa"]


def test_stock_finder_includes_the_warehouse_with_its_stock():
    store_in("tel-aviv")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    variant = VariantFactory()
    stock(warehouse, variant, pairs=40)

    result = stock_finder(query=variant.sku, origin=TEL_AVIV)
    row = next(r for r in result.products[0].rows if r.store.is_warehouse)
    assert row.store.store == warehouse
    assert row.cells[0].available == 40
    assert warehouse not in [s.store for s in result.shops]


def test_stock_finder_pages_through_many_matches():
    for n in range(FINDER_PAGE_SIZE + 3):
        ProductFactory(name=f"Trail {n:02d}")

    first = stock_finder(query="trail", origin=None)
    second = stock_finder(query="trail", origin=None, page=2)
    beyond = stock_finder(query="trail", origin=None, page=99)

    assert first.total == FINDER_PAGE_SIZE + 3 and first.num_pages == 2
    assert len(first.products) == FINDER_PAGE_SIZE and first.has_next
    assert len(second.products) == 3 and second.has_previous
    assert beyond.page == 2


def _build(stores: int, sizes: int):
    product = ProductFactory(name="Query Bound")
    variants = [VariantFactory(product=product, eu_size=Decimal(36 + n)) for n in range(sizes)]
    for n in range(stores):
        store = StoreFactory(latitude=Decimal("31") + Decimal(n) / 10)
        for variant in variants[: n % sizes + 1]:
            stock(store, variant, pairs=n + 1)
    return product.name


@pytest.mark.parametrize("stores, sizes", [(3, 2), (30, 12)])
def test_stock_finder_query_count_does_not_grow_with_stores_or_sizes(stores, sizes):
    query = _build(stores, sizes)
    lexicon()  # the search's vocabulary, built once per catalogue version
    with CaptureQueriesContext(connection) as ctx:
        result = stock_finder(query=query, origin=TEL_AVIV)
    assert len(result.stores) == stores and len(result.products[0].sizes) == sizes
    # stores, exact code, matching ids, products, sizes, levels, transfers on the way
    assert len(ctx.captured_queries) == 7


@pytest.mark.parametrize("stores, sizes", [(3, 2), (30, 12)])
def test_stock_finder_exact_sku_query_count_does_not_grow(stores, sizes):
    _build(stores, sizes)
    sku = VariantFactory._meta.model.objects.order_by("-pk").first().sku
    with CaptureQueriesContext(connection) as ctx:
        result = stock_finder(query=sku, origin=TEL_AVIV)
    assert result.exact is not None and len(result.products[0].rows) == stores
    # stores, exact code (with its product and brand), sizes, levels, transfers on the way
    assert len(ctx.captured_queries) == 5


def test_stock_finder_name_search_query_count_same_for_two_and_ten_products():
    StoreFactory()
    counts = []
    for n in range(10):
        product = ProductFactory(name=f"Counted {n}")
        VariantFactory(product=product)
        if n in (1, 9):
            lexicon()  # the search's vocabulary, built once per catalogue version
            with CaptureQueriesContext(connection) as ctx:
                result = stock_finder(query="counted", origin=TEL_AVIV)
            counts.append((len(result.products), len(ctx.captured_queries)))
    # stores, exact code, matching ids, products, sizes, the summaries' one grouped query
    assert counts == [(2, 6), (10, 6)]


def test_stock_finder_one_match_comes_with_its_grid_several_with_summaries():
    store_in("tel-aviv")
    one = ProductFactory(name="Pegasus 41")
    VariantFactory(product=one)

    result = stock_finder(query="pegasus", origin=TEL_AVIV)
    assert [(p.is_open, len(p.rows), p.summary) for p in result.products] == [(True, 1, [])]
    assert not result.summarised

    VariantFactory(product=ProductFactory(name="Pegasus Trail 5"))
    result = stock_finder(query="pegasus", origin=TEL_AVIV)
    assert [(p.is_open, p.rows) for p in result.products] == [(False, []), (False, [])]
    assert result.summarised


@pytest.mark.parametrize("portable", [False, True], ids=["postgresql", "other databases"])
def test_stock_finder_summary_per_size_pairs_stores_and_nearest(portable, monkeypatch):
    if portable:  # the ORM query used off PostgreSQL, run here on PostgreSQL
        monkeypatch.setattr(connection, "vendor", "other")
    home, haifa = store_in("tel-aviv"), store_in("haifa")
    jerusalem = store_in("jerusalem")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    store_in("ashdod", code="closed", is_active=False)
    closed = StoreFactory(code="closed-2", is_active=False)
    product = ProductFactory(name="Pegasus 41")
    small, large, none = (
        VariantFactory(product=product, eu_size=Decimal(size)) for size in ("41", "42", "43")
    )
    VariantFactory(product=ProductFactory(name="Pegasus Trail 5"))
    stock(haifa, small, pairs=5, reserved=2)  # 3 available
    stock(jerusalem, small, pairs=1)
    stock(home, small, pairs=1, reserved=1)  # none available: not "nearest"
    stock(closed, small, pairs=9)  # an inactive store is not counted
    stock(warehouse, large, pairs=40)
    stock(haifa, large, pairs=2)

    result = stock_finder(query="pegasus", origin=TEL_AVIV, home_store_id=home.pk)
    item = next(p for p in result.products if p.product == product)
    figures = [
        (s.variant, s.available, s.stores, s.nearest and s.nearest.store) for s in item.summary
    ]
    assert figures == [(small, 4, 2, jerusalem), (large, 42, 2, warehouse), (none, 0, 0, None)]
    assert item.total_available == 46

    # From Nahariya, Haifa is nearest.
    result = stock_finder(query="pegasus", origin=city_by_slug("nahariya").point)
    item = next(p for p in result.products if p.product == product)
    assert [s.nearest and s.nearest.store for s in item.summary] == [haifa, haifa, None]


def test_stock_finder_opens_the_asked_product_of_a_page_of_summaries():
    store_in("tel-aviv")
    first, second = ProductFactory(name="Pegasus 41"), ProductFactory(name="Pegasus Trail 5")
    for product in (first, second):
        VariantFactory(product=product)

    result = stock_finder(query="pegasus", origin=TEL_AVIV, open_product_id=second.pk)
    assert [(p.product, p.is_open) for p in result.products] == [(first, False), (second, True)]
    assert len(result.products[1].rows) == 1
    # A product the search did not find is not opened, nor added.
    other = ProductFactory(name="Gel-Kayano 31")
    result = stock_finder(query="pegasus", origin=TEL_AVIV, open_product_id=other.pk)
    assert [p.is_open for p in result.products] == [False, False]


@pytest.mark.parametrize("stores, sizes", [(3, 2), (30, 12)])
def test_stock_finder_summary_query_count_does_not_grow_with_stores_or_sizes(stores, sizes):
    query = _build(stores, sizes)
    ProductFactory(name=f"{query} Two")
    lexicon()  # the search's vocabulary, built once per catalogue version
    with CaptureQueriesContext(connection) as ctx:
        result = stock_finder(query=query, origin=TEL_AVIV)
    assert len(result.products) == 2 and len(result.products[0].summary) == sizes
    # The last size is at every store whose turn it is (`_build`), with n + 1 pairs at store n.
    having = [n for n in range(stores) if n % sizes == sizes - 1]
    last = result.products[0].summary[-1]
    assert (last.stores, last.available) == (len(having), sum(n + 1 for n in having))
    assert len(ctx.captured_queries) == 6


def test_stock_finder_product_is_one_products_grid():
    here = store_in("tel-aviv")
    variant = VariantFactory()
    stock(here, variant, pairs=2, reserved=1)

    with CaptureQueriesContext(connection) as ctx:
        result = stock_finder_product(product_id=variant.product_id, origin=TEL_AVIV)
    # stores, product, sizes, levels, transfers on the way
    assert len(ctx.captured_queries) == 5
    [item] = result.products
    assert item.is_open and item.rows[0].cells[0] == (here.pk, variant.pk, 2, 1, 0)
    assert stock_finder_product(product_id=variant.product_id + 1000, origin=None).products == []
