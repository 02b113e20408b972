"""The public storefront pages as a customer sees them (English under /en/ keeps the
assertions readable; tests/test_i18n.py covers the Hebrew default)."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from catalog.models import Product
from inventory.models import StockMovement, Store
from inventory.services import StockChange, shipment_create, stock_apply, transfer_dispatch
from inventory.services import transfer_request as request_transfer
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ReviewLinkFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
)

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, **kwargs)


def text(html: str) -> str:
    """Visible text, tags dropped and whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def size_block(html: str, variant) -> str:
    match = re.search(rf'<details[^>]*id="size-{variant.pk}".*?</details>', html, re.S)
    assert match, f"size EU {variant.size_label} is not on the page"
    return match.group(0)


def shops(html: str, variant) -> dict[str, str]:
    """Store name → what the availability grid says about this size there."""
    result = {}
    for item in re.findall(r'<li class="shop[^"]*">(.*?)</li>', size_block(html, variant), re.S):
        name = re.search(r'class="shop__name"[^>]*>(.*?)</a>', item, re.S)
        assert name, "a store in the grid without its name"
        result[text(name.group(1))] = text(item)
    return result


@pytest.fixture
def shoe():
    product = ProductFactory(name="Pegasus 41", slug="pegasus-41", colourway_en="Black/White",
                             colourway_he="שחור/לבן", price=Decimal("599.90"))
    sizes = {
        size: VariantFactory(product=product, eu_size=Decimal(size), us_label=str(size - 33),
                             uk_label=str(size - 34))
        for size in (41, 42, 43)
    }
    return product, sizes


# --- Product page -----------------------------------------------------------------------------


def test_product_detail_shows_specs_price_and_images(client, shoe):
    product, _sizes = shoe
    product.images.create(image="products/peg.png", alt_en="Pegasus side view")
    product.images.create(image="products/peg2.png", position=1)

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    page = text(html)
    assert "Pegasus 41" in page and "Black/White" in page
    assert "₪599.90" in page
    assert "Weight 250 g" in page and "Drop 10 mm" in page
    assert product.style_code in page
    assert 'alt="Pegasus side view"' in html
    assert html.count('href="#photo-') == 2  # thumbnails


def test_product_detail_grid_shows_pairs_per_store(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    jlm = StoreFactory(name_en="Malha")
    put_stock(tlv, sizes[42], on_hand=3)
    put_stock(jlm, sizes[42], on_hand=1)

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    grid = shops(html, sizes[42])
    assert "3 pairs" in grid["Dizengoff"]
    assert "1 pair" in grid["Malha"]
    assert "confirmed" in grid["Dizengoff"]
    assert "At 2 stores" in text(size_block(html, sizes[42]))
    assert "4 pairs" in text(size_block(html, sizes[42]))


def test_product_detail_hides_warehouse_and_closed_stores(client, shoe):
    product, sizes = shoe
    StoreFactory(name_en="Dizengoff")
    warehouse = StoreFactory(name_en="Central Warehouse", is_warehouse=True)
    closed = StoreFactory(name_en="Closed Branch", is_active=False)
    put_stock(warehouse, sizes[41], on_hand=40)
    put_stock(closed, sizes[41], on_hand=2)

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    assert "Central Warehouse" not in html
    assert "Closed Branch" not in html
    assert set(shops(html, sizes[41])) == {"Dizengoff"}
    assert "Out of stock everywhere" in text(size_block(html, sizes[41]))


def test_product_detail_reserved_pairs_are_not_shown_as_available(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, sizes[43], on_hand=2, reserved=2)

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    assert "Not in stock here" in shops(html, sizes[43])["Dizengoff"]
    assert "Out of stock everywhere" in text(size_block(html, sizes[43]))
    assert "Out of stock at every store right now" in text(html)


def test_product_detail_out_of_stock_sizes_marked(client, shoe):
    product, sizes = shoe
    put_stock(StoreFactory(), sizes[42], on_hand=1)

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    assert "size--out" in size_block(html, sizes[41])
    assert "size--out" not in size_block(html, sizes[42])
    assert "In stock in 1 size at our stores" in text(html)


def test_product_detail_arrival_dates(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    jlm = StoreFactory(name_en="Malha")
    StoreFactory(name_en="Haifa")
    shipment_create(reference="A", store=tlv, expected_date=days(9), lines=[(sizes[41], 2)])
    shipment_create(reference="B", store=tlv, expected_date=days(4), lines=[(sizes[41], 2)])
    shipment_create(reference="C", store=jlm, expected_date=days(-3), lines=[(sizes[41], 2)])

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    with translation.override("en"):
        soon, later, past = (date_format(days(n)) for n in (4, 9, -3))
    grid = shops(html, sizes[41])
    assert f"Expected {soon}" in grid["Dizengoff"]
    assert later not in grid["Dizengoff"]
    assert "overdue; no confirmed date yet" in grid["Malha"]
    assert past not in grid["Malha"]
    assert "No arrival date known" in grid["Haifa"]
    summary = text(size_block(html, sizes[41]).split("<ul")[0])
    assert f"Expected {soon} at Dizengoff" in summary


def test_product_detail_transfer_arrival_date(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    jlm = StoreFactory(name_en="Malha")
    user = UserFactory(is_staff=True)
    put_stock(jlm, sizes[42], on_hand=1)
    transfer = request_transfer(variant=sizes[42], from_store=jlm, to_store=tlv, user=user)
    transfer_dispatch(transfer=transfer, user=user, expected_date=days(2))

    response = client.get(en("storefront:product", kwargs={"slug": product.slug}))

    size42 = next(s for s in response.context["sizes"] if s.variant == sizes[42])
    assert next(s for s in size42.shops if s.store == tlv).eta == days(2)
    assert "Expected" in shops(response.content.decode(), sizes[42])["Dizengoff"]


def test_product_detail_notify_link_per_missing_size_and_store(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, sizes[42], on_hand=1)
    signup = en("notifications:signup")

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    assert f"{signup}?variant={sizes[41].pk}&amp;store={tlv.pk}" in html
    assert f"?variant={sizes[42].pk}&amp;store={tlv.pk}" not in html  # it is there now


def test_product_detail_unknown_or_withdrawn_product_is_404(client, shoe):
    product, _sizes = shoe
    assert client.get(reverse("storefront:product", kwargs={"slug": "no-such-shoe"})).status_code \
        == 404
    Product.objects.filter(pk=product.pk).update(is_active=False)
    assert client.get(reverse("storefront:product", kwargs={"slug": product.slug})).status_code \
        == 404


def test_product_detail_includes_independent_reviews(client, shoe):
    product, _sizes = shoe
    ReviewLinkFactory(product=product, title="Pegasus 41 tested over 100 km")

    url = en("storefront:product", kwargs={"slug": product.slug})
    page = text(client.get(url).content.decode())

    assert "Pegasus 41 tested over 100 km" in page


def test_missing_page_offers_the_catalog(client):
    response = client.get("/en/sneakers/no-such-shoe/")

    assert response.status_code == 404
    page = text(response.content.decode())
    assert "We could not find that page" in page and "Browse all sneakers" in page


def test_product_detail_empty_product_renders(client):
    product = ProductFactory(specs_en="", specs_he="", description_en="", description_he="")

    response = client.get(en("storefront:product", kwargs={"slug": product.slug}))

    assert response.status_code == 200
    assert "Sizes for this model have not been published yet." in text(response.content.decode())


# --- Catalog list -----------------------------------------------------------------------------


@pytest.fixture
def catalog():
    nike = BrandFactory(name="Nike", slug="nike")
    adidas = BrandFactory(name="Adidas", slug="adidas")
    running = CategoryFactory(slug="running", name_en="Running", name_he="ריצה")
    peg = ProductFactory(brand=nike, category=running, name="Pegasus 41", style_code="FD2722-002",
                         price=Decimal("599.90"), release_date=days(-10))
    ProductFactory(brand=adidas, name="Samba OG", style_code="B75806", price=Decimal("449"),
                   release_date=days(-100))
    store = StoreFactory(code="tlv", name_en="Dizengoff")
    put_stock(store, VariantFactory(product=peg, eu_size=Decimal("42")), on_hand=2)
    return {"nike": nike, "store": store}


def cards(response) -> list[str]:
    return [p.name for p in response.context["products"]]


def test_product_list_cards_show_brand_price_and_stock(client, catalog):
    response = client.get(en("storefront:product_list"))

    page = text(response.content.decode())
    assert cards(response) == ["Pegasus 41", "Samba OG"]
    assert "Nike" in page and "₪599.90" in page and "₪449" in page
    assert "In stock" in page and "Out of stock" in page
    assert "2 models" in page


def test_product_list_filters_from_query_string(client, catalog):
    url = en("storefront:product_list")
    assert cards(client.get(url, {"brand": "nike"})) == ["Pegasus 41"]
    assert cards(client.get(url, {"store": "tlv"})) == ["Pegasus 41"]
    assert cards(client.get(url, {"size": "42"})) == ["Pegasus 41"]
    assert cards(client.get(url, {"category": "running"})) == ["Pegasus 41"]
    assert cards(client.get(url, {"price_max": "500"})) == ["Samba OG"]
    assert cards(client.get(url, {"q": "samba"})) == ["Samba OG"]
    assert cards(client.get(url, {"q": "2722"})) == ["Pegasus 41"]
    assert cards(client.get(url, {"sort": "price"})) == ["Samba OG", "Pegasus 41"]


def test_product_list_active_filters_can_be_removed(client, catalog):
    response = client.get(en("storefront:product_list"), {"brand": "nike", "size": "42"})

    chips = {chip.label: chip.url for chip in response.context["chips"]}
    assert set(chips) == {"Nike", "EU 42"}
    assert chips["Nike"] == f"{en('storefront:product_list')}?size=42"
    # A size chosen in the list opens that size on the product page.
    peg = Product.objects.get(name="Pegasus 41")
    assert f'href="{en("storefront:product", kwargs={"slug": peg.slug})}?size=42"' in \
        response.content.decode()


def test_product_list_store_filter_offers_only_customer_stores(client, catalog):
    StoreFactory(code="wh", name_en="Central Warehouse", is_warehouse=True)
    StoreFactory(code="old", name_en="Closed Branch", is_active=False)

    html = client.get(en("storefront:product_list")).content.decode()

    assert 'value="tlv"' in html
    assert 'value="wh"' not in html and 'value="old"' not in html
    assert cards(client.get(en("storefront:product_list"), {"store": "wh"})) == [
        "Pegasus 41", "Samba OG"]  # ignored, not an error


@pytest.mark.parametrize("query", [
    {"price_min": "abc"},
    {"price_max": "-5"},
    {"price_min": "1e999"},
    {"price_min": "NaN"},
    {"price_max": "99999999999999"},
    {"size": "xyz"},
    {"size": "42.0000001"},
    {"brand": "no-such-brand"},
    {"category": "<script>alert(1)</script>"},
    {"store": "999"},
    {"gender": "alien"},
    {"sort": "drop table"},
    {"page": "999"},
    {"page": "-1"},
    {"page": "abc"},
    {"page": "99999999999999999999999"},
    {"q": "x" * 5000},
    {"q": "nike\x00"},
    {"brand": "nike\x00"},
    {"store": "\x00"},
    {"in_stock": "maybe"},
    {"q": "'\"&|!:*()<>"},
])
def test_product_list_bad_input_never_fails(client, catalog, query):
    response = client.get(en("storefront:product_list"), query)

    assert response.status_code == 200
    assert response.context["page_obj"].number >= 1


def test_product_list_pagination_keeps_filters(client):
    nike = BrandFactory(slug="nike")
    for n in range(30):
        ProductFactory(brand=nike, name=f"Model {n:02d}", release_date=days(-n))
    ProductFactory(name="Other brand")
    url = en("storefront:product_list")

    first = client.get(url, {"brand": "nike"})
    assert len(first.context["products"]) == 24
    html = first.content.decode()
    assert "?brand=nike&amp;page=2" in html

    second = client.get(url, {"brand": "nike", "page": "2"})
    assert cards(second) == [f"Model {n:02d}" for n in range(24, 30)]
    assert "?brand=nike&amp;page=1" in second.content.decode()

    # Past the end: the last page, not an error.
    assert cards(client.get(url, {"brand": "nike", "page": "999"})) == cards(second)


def test_product_list_empty_result_offers_a_way_back(client, catalog):
    response = client.get(en("storefront:product_list"), {"q": "jordan"})

    assert "No sneakers match these filters." in text(response.content.decode())
    assert 'Results for “jordan”' in text(response.content.decode())


def test_catalog_pages_render_on_an_empty_database(client):
    for name in ("storefront:home", "storefront:product_list", "storefront:stores"):
        assert client.get(reverse(name)).status_code == 200
        assert client.get(en(name)).status_code == 200


# --- Home and stores --------------------------------------------------------------------------


def test_home_shows_categories_and_new_products(client, catalog):
    html = client.get(en("storefront:home")).content.decode()

    page = text(html)
    assert "Running" in page and "1 model" in page
    assert "Pegasus 41" in page
    assert f'{en("storefront:product_list")}?category=running' in html
    assert en("storefront:stores") in html


def test_store_list_shows_customer_stores_with_phone_hours_and_map(client):
    StoreFactory(name_en="Dizengoff", address_en="50 Dizengoff St", phone="03-528 7410",
                 opening_hours_en="Sun–Thu 10:00–21:00\nFri 09:00–14:00",
                 latitude=Decimal("32.075370"), longitude=Decimal("34.775620"))
    StoreFactory(name_en="Central Warehouse", is_warehouse=True)
    StoreFactory(name_en="Closed Branch", is_active=False)

    html = client.get(en("storefront:stores")).content.decode()

    assert "Dizengoff" in html and "50 Dizengoff St" in html
    assert 'href="tel:035287410"' in html
    assert "Sun–Thu 10:00–21:00<br>Fri 09:00–14:00" in html
    assert "openstreetmap.org/?mlat=32.075370&amp;mlon=34.775620" in html
    assert "Central Warehouse" not in html and "Closed Branch" not in html


def test_staff_see_a_link_to_their_pages(client, catalog):
    assert "Staff area" not in text(client.get(en("storefront:home")).content.decode())
    client.force_login(UserFactory(is_staff=True))
    assert "Staff area" in text(client.get(en("storefront:home")).content.decode())


# --- Fixed number of queries ------------------------------------------------------------------


def _bench_product() -> Product:
    """A product in 12 sizes with photos, other products beside it, and a warehouse."""
    product = cast(Product, ProductFactory(slug="bench-shoe"))
    product.images.create(image="products/a.png")
    product.images.create(image="products/b.png", position=1)
    for n in range(12):
        VariantFactory(product=product, eu_size=Decimal(36 + n))
    for n in range(5):
        VariantFactory(product=ProductFactory(), eu_size=Decimal(40 + n))
    warehouse = cast(Store, StoreFactory(is_warehouse=True))
    stock_apply(changes=[
        StockChange(warehouse.pk, v.pk, reason=StockMovement.Reason.RECEIPT, delta=50)
        for v in product.variants.all()
    ])
    return product


def _add_shops(product: Product, count: int) -> None:
    """`count` more shops with uneven stock, a shipment and a transfer on the way to each."""
    variants = list(product.variants.order_by("eu_size"))
    warehouse = Store.objects.get(is_warehouse=True)
    user = UserFactory(is_staff=True)
    shops = StoreFactory.create_batch(count)
    stock_apply(changes=[
        StockChange(store.pk, variant.pk, reason=StockMovement.Reason.RECEIPT,
                    delta=1 + (store.pk + variant.pk) % 3)
        for store in shops for variant in variants if (store.pk + variant.pk) % 3
    ])
    for i, store in enumerate(shops):
        shipment_create(reference=f"PO-{store.pk}", store=store, expected_date=days(i % 7 - 2),
                        lines=[(variants[i % 12], 2)])
        transfer = request_transfer(variant=variants[i % 12], from_store=warehouse,
                                    to_store=store, user=user)
        if i % 2:
            transfer_dispatch(transfer=transfer, user=user, expected_date=days(3))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("product page", lambda: reverse("storefront:product", kwargs={"slug": "bench-shoe"})),
    ("catalog list", lambda: reverse("storefront:product_list")),
    ("filtered list", lambda: reverse("storefront:product_list")
        + "?brand=none&size=40&store=x&in_stock=on&q=runner&sort=price"),
    ("home", lambda: reverse("storefront:home")),
    ("stores", lambda: reverse("storefront:stores")),
]


@pytest.mark.parametrize(("page", "url"), PAGES, ids=[name for name, _url in PAGES])
def test_storefront_query_count_is_the_same_for_3_and_30_stores(
    client, django_assert_max_num_queries, page, url
):
    product = _bench_product()
    _add_shops(product, 3)
    with django_assert_max_num_queries(12):
        few = _queries(client, url())

    _add_shops(product, 27)
    with django_assert_max_num_queries(12):
        many = _queries(client, url())

    assert many == few, f"{page}: {few} queries with 3 stores, {many} with 30"
