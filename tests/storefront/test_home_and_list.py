"""The catalog list, the home page and the store list as a customer sees them (English under
/en/; tests/test_i18n.py covers the Hebrew default)."""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from catalog.models import Product
from inventory.models import StoreHours, StoreSpecialHours
from tests.factories import BrandFactory, ProductFactory, StoreFactory, UserFactory
from tests.storefront.helpers import days, en, text

pytestmark = pytest.mark.django_db


# --- Catalog list -----------------------------------------------------------------------------


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
    assert (
        f'href="{en("storefront:product", kwargs={"slug": peg.slug})}?size=42"'
        in response.content.decode()
    )


def test_product_list_store_filter_offers_only_customer_stores(client, catalog):
    StoreFactory(code="wh", name_en="Central Warehouse", is_warehouse=True)
    StoreFactory(code="old", name_en="Closed Branch", is_active=False)

    html = client.get(en("storefront:product_list")).content.decode()

    assert 'value="tlv"' in html
    assert 'value="wh"' not in html and 'value="old"' not in html
    assert cards(client.get(en("storefront:product_list"), {"store": "wh"})) == [
        "Pegasus 41",
        "Samba OG",
    ]  # ignored, not an error


@pytest.mark.parametrize(
    "query",
    [
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
    ],
)
def test_product_list_bad_input_never_fails(client, catalog, query):
    # A value the page cannot read (a page number that is not one) is dropped from the
    # address by one redirect; the list answers either way.
    response = client.get(en("storefront:product_list"), query, follow=True)

    assert response.status_code == 200 and len(response.redirect_chain) <= 1
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

    assert "Nothing found for “jordan”." in text(response.content.decode())
    assert "Show all sneakers" in text(response.content.decode())
    assert "Results for “jordan”" in text(response.content.decode())


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
    assert f"{en('storefront:product_list')}?category=running" in html
    assert en("storefront:stores") in html


def test_store_list_shows_customer_stores_with_phone_hours_and_map(client):
    StoreFactory(
        name_en="Dizengoff",
        address_en="50 Dizengoff St",
        phone="03-528 7410",
        opening_hours_en="Sun–Thu 10:00–21:00\nFri 09:00–14:00",
        latitude=Decimal("32.075370"),
        longitude=Decimal("34.775620"),
    )
    StoreFactory(name_en="Central Warehouse", is_warehouse=True)
    StoreFactory(name_en="Closed Branch", is_active=False)

    html = client.get(en("storefront:stores")).content.decode()

    assert "Dizengoff" in html and "50 Dizengoff St" in html
    assert 'href="tel:035287410"' in html
    assert "Sun–Thu 10:00–21:00<br>Fri 09:00–14:00" in html
    assert "openstreetmap.org/?mlat=32.075370&amp;mlon=34.775620" in html
    assert "Central Warehouse" not in html and "Closed Branch" not in html


def test_store_list_shows_the_coming_dates_with_other_hours_in_both_languages(
    client, django_capture_on_commit_callbacks
):
    store = StoreFactory(name_en="Dizengoff", opening_hours_en="Sun–Thu 10:00–21:00")
    for weekday in range(7):
        StoreHours.objects.create(store=store, weekday=weekday, opens=time(10), closes=time(21))
    soon, later = days(3), days(20)
    StoreSpecialHours.objects.create(store=store, date=later, closed=True, note_en="Far off")
    assert "Stock count" not in client.get(en("storefront:stores")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the kept page is renewed
        StoreSpecialHours.objects.create(
            store=store,
            date=soon,
            opens=time(8),
            closes=time(12, 30),
            note_he="ספירת מלאי",
            note_en="Stock count",
        )
    with translation.override("he"):
        hebrew = client.get(reverse("storefront:stores")).content.decode()
    english = text(client.get(en("storefront:stores")).content.decode())

    with translation.override("en"):
        day = f"{date_format(soon, 'l')} {date_format(soon, 'j/n')}"
    assert f"Holiday and special hours {day} · Stock count: 08:00–12:30" in english
    assert "Far off" not in english  # beyond the next two weeks
    assert "ספירת מלאי" in hebrew and "שעות פתיחה בחגים" in hebrew
    assert '<bdi dir="ltr">08:00–12:30</bdi>' in hebrew
    assert f'<bdi dir="ltr">{soon.day}/{soon.month}</bdi>' in hebrew


def test_staff_see_a_link_to_their_pages(client, catalog):
    assert "Staff area" not in text(client.get(en("storefront:home")).content.decode())
    client.force_login(UserFactory(is_staff=True))
    assert "Staff area" in text(client.get(en("storefront:home")).content.decode())


def test_product_list_filters_start_closed_and_count_what_is_active(client, catalog):
    html = client.get(en("storefront:product_list") + "?brand=nike&in_stock=on").content.decode()

    details = re.search(r"<details[^>]*class=\"filters\"[^>]*>", html).group(0)
    assert " open" not in details  # on a phone the results come first
    summary = text(re.search(r"<summary.*?</summary>", html, re.S).group(0))
    assert summary == "Filters 2 (active filters: 2)"
