"""The storefront's reads: availability per size and store (with arrival dates), the catalog
list's filters, search and sorting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalog.models import Product
from catalog.selectors import Sort, product_for_page
from inventory.models import Store
from inventory.selectors import customer_stores, product_availability
from inventory.services import (
    shipment_cancel,
    shipment_create,
    shipment_receive,
    transfer_dispatch,
    transfer_request,
)
from storefront.selectors import ProductFilters, cards, product_list
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
)

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def shoe():
    product = ProductFactory(name="Pegasus 41")
    sizes = {
        size: VariantFactory(
            product=product, eu_size=Decimal(size), us_label=str(size - 33), uk_label=str(size - 34)
        )
        for size in (41, 42, 43)
    }
    return product, sizes


def _size(sizes, eu: int):
    return next(s for s in sizes if s.variant.eu_size == eu)


def _shop(size, store):
    return next(s for s in size.shops if s.store == store)


# --- Availability grid ------------------------------------------------------------------------


def test_product_availability_counts_pairs_per_store(shoe):
    product, variants = shoe
    tlv, jlm, hfa = StoreFactory(), StoreFactory(), StoreFactory()
    put_stock(tlv, variants[42], on_hand=3)
    put_stock(jlm, variants[42], on_hand=1)
    put_stock(hfa, variants[43], on_hand=5)

    sizes = product_availability(product=product)

    assert [s.variant.eu_size for s in sizes] == [41, 42, 43]
    size42 = _size(sizes, 42)
    assert {s.store: s.available for s in size42.in_stock_at} == {tlv: 3, jlm: 1}
    assert [s.store for s in size42.out_at] == [hfa]
    assert size42.total_available == 4
    assert _shop(size42, tlv).confirmed_at is not None
    # Shops with pairs come first.
    assert size42.shops[-1].store == hfa


def test_product_availability_never_shows_warehouse_or_closed_store(shoe):
    product, variants = shoe
    shop = StoreFactory()
    warehouse = StoreFactory(is_warehouse=True)
    closed = StoreFactory(is_active=False)
    put_stock(warehouse, variants[41], on_hand=50)
    put_stock(closed, variants[41], on_hand=4)

    size41 = _size(product_availability(product=product), 41)

    assert [s.store for s in size41.shops] == [shop]
    assert not size41.in_stock
    assert customer_stores() == [shop]


def test_product_availability_reserved_pairs_are_not_for_sale(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    put_stock(tlv, variants[42], on_hand=3, reserved=1)
    put_stock(jlm, variants[42], on_hand=2, reserved=2)

    size42 = _size(product_availability(product=product), 42)

    assert {s.store: s.available for s in size42.in_stock_at} == {tlv: 2}
    assert not _shop(size42, jlm).in_stock


def test_product_availability_marks_size_out_everywhere(shoe):
    product, variants = shoe
    tlv = StoreFactory()
    put_stock(tlv, variants[42], on_hand=1)

    sizes = product_availability(product=product)

    assert [s.in_stock for s in sizes] == [False, True, False]
    assert _size(sizes, 41).total_available == 0


def test_product_availability_eta_is_earliest_open_shipment(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    warehouse = StoreFactory(is_warehouse=True)
    v = variants[41]
    shipment_create(reference="LATE", store=tlv, expected_date=days(10), lines=[(v, 2)])
    shipment_create(reference="SOON", store=tlv, expected_date=days(4), lines=[(v, 2)])
    cancelled = shipment_create(reference="OFF", store=tlv, expected_date=days(2), lines=[(v, 2)])
    shipment_cancel(shipment=cancelled)
    # Bound elsewhere, or for another size: not tlv's arrival of size 41.
    shipment_create(reference="JLM", store=jlm, expected_date=days(1), lines=[(v, 2)])
    shipment_create(reference="WH", store=warehouse, expected_date=days(1), lines=[(v, 9)])
    shipment_create(reference="OTHER", store=tlv, expected_date=days(1), lines=[(variants[43], 2)])

    size41 = _size(product_availability(product=product), 41)

    assert _shop(size41, tlv).eta == days(4)
    assert _shop(size41, jlm).eta == days(1)
    assert size41.next_arrival is not None and size41.next_arrival.store == jlm


def test_product_availability_received_shipment_is_no_longer_an_arrival(shoe):
    product, variants = shoe
    tlv = StoreFactory()
    shipment = shipment_create(
        reference="IN", store=tlv, expected_date=days(3), lines=[(variants[41], 2)]
    )
    shipment_receive(shipment=shipment)

    size41 = _size(product_availability(product=product), 41)

    assert _shop(size41, tlv).available == 2
    assert _shop(size41, tlv).eta is None


def test_product_availability_past_due_shipment_is_not_shown_as_future(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    shipment_create(reference="LATE", store=tlv, expected_date=days(-2), lines=[(variants[41], 2)])
    shipment_create(reference="OLD", store=jlm, expected_date=days(-5), lines=[(variants[41], 2)])
    shipment_create(reference="NEXT", store=jlm, expected_date=days(6), lines=[(variants[41], 2)])

    size41 = _size(product_availability(product=product), 41)

    late = _shop(size41, tlv)
    assert late.eta is None
    assert late.overdue
    # A later open shipment still gives a real date.
    assert _shop(size41, jlm).eta == days(6)
    assert not _shop(size41, jlm).overdue


def test_product_availability_arrival_today_counts(shoe):
    product, variants = shoe
    tlv = StoreFactory()
    shipment_create(reference="TODAY", store=tlv, expected_date=days(0), lines=[(variants[42], 1)])

    assert _shop(_size(product_availability(product=product), 42), tlv).eta == days(0)


def test_product_availability_no_arrival_known(shoe):
    product, _variants = shoe
    tlv = StoreFactory()

    shop = _shop(_size(product_availability(product=product), 41), tlv)

    assert (shop.eta, shop.overdue, shop.available) == (None, False, 0)


def test_product_availability_dispatched_transfer_gives_eta(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    user = UserFactory(is_staff=True)
    v = variants[42]
    put_stock(jlm, v, on_hand=2)
    transfer = transfer_request(variant=v, from_store=jlm, to_store=tlv, user=user)
    transfer_dispatch(transfer=transfer, user=user, expected_date=days(2))
    shipment_create(reference="LATER", store=tlv, expected_date=days(9), lines=[(v, 4)])

    size42 = _size(product_availability(product=product), 42)

    assert _shop(size42, tlv).eta == days(2)
    # The same transfer, seen once its date has passed, is overdue; the shipment's date stays.
    later = _size(product_availability(product=product, today=days(3)), 42)
    assert _shop(later, tlv).eta == days(9)


def test_product_availability_past_due_transfer_is_overdue(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    user = UserFactory(is_staff=True)
    put_stock(jlm, variants[42], on_hand=2)
    transfer = transfer_request(variant=variants[42], from_store=jlm, to_store=tlv, user=user)
    transfer_dispatch(transfer=transfer, user=user, expected_date=days(1))

    shop = _shop(_size(product_availability(product=product, today=days(4)), 42), tlv)

    assert shop.eta is None
    assert shop.overdue


def test_product_availability_transfer_for_a_customer_is_not_an_arrival(shoe):
    product, variants = shoe
    tlv, jlm = StoreFactory(), StoreFactory()
    user = UserFactory(is_staff=True)
    put_stock(jlm, variants[42], on_hand=2)
    transfer = transfer_request(
        variant=variants[42],
        from_store=jlm,
        to_store=tlv,
        user=user,
        customer_name="Dana",
        customer_phone="054-7654321",
    )
    transfer_dispatch(transfer=transfer, user=user, expected_date=days(2))

    shop = _shop(_size(product_availability(product=product), 42), tlv)

    assert shop.eta is None


def test_product_availability_query_count_does_not_grow_with_stores(shoe):
    product, variants = shoe

    def count() -> int:
        page_product = product_for_page(slug=product.slug)
        cache.clear()  # the open stores are read, not served as kept
        with CaptureQueriesContext(connection) as queries:
            sizes = product_availability(product=page_product)
        assert len(sizes[0].shops) == Store.objects.count()
        return len(queries)

    for _ in range(3):
        put_stock(StoreFactory(), variants[42], on_hand=1)
    few = count()
    for _ in range(27):
        store = StoreFactory()
        put_stock(store, variants[41], on_hand=2)
        shipment_create(
            reference=f"S{store.pk}", store=store, expected_date=days(3), lines=[(variants[43], 1)]
        )
    # Stores, levels, shipments, transfers and the stores that could bring a pair.
    assert count() == few <= 5


def test_product_availability_keeps_the_open_stores_until_a_store_is_saved(
    shoe, django_capture_on_commit_callbacks
):
    product, variants = shoe
    put_stock(StoreFactory(name_en="Dizengoff"), variants[42], on_hand=1)

    def shops() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            (size,) = product_availability(product=product, sizes=[variants[42]])
        names = [str(shop.store.name) for shop in size.shops]
        return (
            names
            if any(q["sql"].startswith('SELECT "inventory_store"') for q in queries)
            else ["kept", *names]
        )

    with translation.override("en"):
        assert shops() == ["Dizengoff"]
        assert shops() == ["kept", "Dizengoff"]
        with django_capture_on_commit_callbacks(execute=True):
            StoreFactory(name_en="Azrieli")  # its save renews the catalogue's version
        assert shops() == ["Dizengoff", "Azrieli"]  # in stock first


# --- Catalog list: filters, search, sorting ---------------------------------------------------


@pytest.fixture
def catalog():
    nike, adidas = (
        BrandFactory(name="Nike", slug="nike"),
        BrandFactory(name="Adidas", slug="adidas"),
    )
    running, lifestyle = CategoryFactory(slug="running"), CategoryFactory(slug="lifestyle")
    products = {
        "pegasus": ProductFactory(
            brand=nike,
            category=running,
            name="Pegasus 41",
            style_code="FD2722-002",
            colourway_en="Black/White",
            colourway_he="שחור/לבן",
            price=Decimal("599.90"),
            gender=Product.Gender.MEN,
            release_date=days(-30),
        ),
        "vomero": ProductFactory(
            brand=nike,
            category=running,
            name="Vomero 18",
            style_code="HM6803-100",
            colourway_en="Sail/Volt",
            colourway_he="שמנת/צהוב",
            price=Decimal("699.90"),
            gender=Product.Gender.WOMEN,
            release_date=days(-5),
        ),
        "samba": ProductFactory(
            brand=adidas,
            category=lifestyle,
            name="Samba OG",
            style_code="B75806",
            colourway_en="Cloud White",
            colourway_he="לבן",
            price=Decimal("449.00"),
            gender=Product.Gender.UNISEX,
            release_date=days(-400),
        ),
    }
    ProductFactory(
        brand=adidas, category=lifestyle, name="Old Runner", style_code="OLD-1", is_active=False
    )
    return products


def names(filters: ProductFilters) -> list[str]:
    return [p.name for p in product_list(filters=filters).products]


def test_product_list_shows_only_active_products_newest_first(catalog):
    assert names(ProductFilters()) == ["Vomero 18", "Pegasus 41", "Samba OG"]


def test_product_list_filters_by_brand_category_and_gender(catalog):
    nike = catalog["pegasus"].brand
    lifestyle = catalog["samba"].category
    assert set(names(ProductFilters(brand=nike))) == {"Pegasus 41", "Vomero 18"}
    assert names(ProductFilters(category=lifestyle)) == ["Samba OG"]
    assert names(ProductFilters(gender=Product.Gender.WOMEN)) == ["Vomero 18"]


def test_product_list_filters_by_price_range(catalog):
    assert set(names(ProductFilters(price_min=Decimal("450"), price_max=Decimal("650")))) == {
        "Pegasus 41"
    }
    assert set(names(ProductFilters(price_min=Decimal("600")))) == {"Vomero 18"}
    # Backwards range read the right way round.
    assert set(names(ProductFilters(price_min=Decimal("650"), price_max=Decimal("450")))) == {
        "Pegasus 41"
    }


def test_product_list_filters_by_size_and_store_stock(catalog):
    tlv, jlm = StoreFactory(), StoreFactory()
    warehouse = StoreFactory(is_warehouse=True)
    peg42 = VariantFactory(product=catalog["pegasus"], eu_size=Decimal("42"))
    VariantFactory(product=catalog["pegasus"], eu_size=Decimal("43"))
    vom42 = VariantFactory(product=catalog["vomero"], eu_size=Decimal("42"))
    samba43 = VariantFactory(product=catalog["samba"], eu_size=Decimal("43"))
    put_stock(tlv, peg42, on_hand=1)
    put_stock(jlm, vom42, on_hand=1, reserved=1)  # held for someone: not for sale
    put_stock(warehouse, samba43, on_hand=20)  # the warehouse is not a shop

    assert set(names(ProductFilters(size=Decimal("42")))) == {"Pegasus 41", "Vomero 18"}
    assert names(ProductFilters(store=tlv)) == ["Pegasus 41"]
    assert names(ProductFilters(store=jlm)) == []
    assert names(ProductFilters(in_stock=True)) == ["Pegasus 41"]
    assert names(ProductFilters(size=Decimal("43"), in_stock=True)) == []
    assert names(ProductFilters(size=Decimal("42"), store=tlv)) == ["Pegasus 41"]

    listed = product_list(filters=ProductFilters()).products
    flags = {p.name: p.in_stock for p in cards(list(listed.values_list("pk", flat=True)))}
    assert flags == {"Pegasus 41": True, "Vomero 18": False, "Samba OG": False}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pegasus", {"Pegasus 41"}),
        ("PEG", {"Pegasus 41"}),  # the start of a word
        ("nike", {"Pegasus 41", "Vomero 18"}),
        ("adidas nike", set()),  # each brand named filters by it
        ("FD2722-002", {"Pegasus 41"}),  # a full style code
        ("2722", {"Pegasus 41"}),  # part of a style code
        ("b75806", {"Samba OG"}),
        ("שמנת", {"Vomero 18"}),  # Hebrew colourway
        ("sail", {"Vomero 18"}),
        ("jordan", set()),
        ("Old Runner", set()),  # not on sale
        ("   ", {"Pegasus 41", "Vomero 18", "Samba OG"}),
        ("'); drop table x; --", set()),
    ],
)
def test_product_search_matches_name_brand_and_style_code(catalog, query, expected):
    assert set(names(ProductFilters(q=query))) == expected


def test_product_search_ranks_name_matches_first(catalog):
    ProductFactory(name="Cloud Racer", colourway_en="Pegasus Blue", release_date=days(-1))
    assert names(ProductFilters(q="pegasus"))[0] == "Pegasus 41"


def test_product_search_brand_and_model_lists_the_model_then_the_brand(catalog):
    assert names(ProductFilters(q="nike vomero")) == ["Vomero 18", "Pegasus 41"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.NEWEST, ["Vomero 18", "Pegasus 41", "Samba OG"]),
        (Sort.PRICE_ASC, ["Samba OG", "Pegasus 41", "Vomero 18"]),
        (Sort.PRICE_DESC, ["Vomero 18", "Pegasus 41", "Samba OG"]),
        (Sort.NAME, ["Pegasus 41", "Samba OG", "Vomero 18"]),
        (Sort.RELEVANCE, ["Vomero 18", "Pegasus 41", "Samba OG"]),  # no query: newest
    ],
)
def test_product_list_sorting(catalog, sort, expected):
    assert names(ProductFilters(sort=sort)) == expected
