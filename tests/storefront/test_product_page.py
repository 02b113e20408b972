"""The product page as a customer sees it (English under /en/ keeps the assertions readable;
tests/test_i18n.py covers the Hebrew default)."""

import re
from datetime import timedelta
from decimal import Decimal

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from catalog.models import Product
from inventory.holiday_calendar import is_delivery_day
from inventory.leadtime import transfer_arrival_date
from inventory.services import shipment_create, transfer_dispatch
from inventory.services import transfer_request as request_transfer
from tests.factories import (
    ProductFactory,
    ReviewLinkFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
)
from tests.storefront.helpers import days, en, text

pytestmark = pytest.mark.django_db


def size_block(html: str, variant) -> str:
    match = re.search(rf'<details[^>]*id="size-{variant.pk}".*?</details>', html, re.S)
    assert match, f"size EU {variant.size_label} is not on the page"
    return match.group(0)


def page_with_size(client, product, variant) -> str:
    """The product page (English) with this size open, as its "every store" link asks."""
    url = en("storefront:product", kwargs={"slug": product.slug})
    return client.get(url, {"size": variant.size_label}).content.decode()


def shops(html: str, variant) -> dict[str, str]:
    """Store name → what the open size's store list says about this size there."""
    result = {}
    for item in re.findall(r'<li class="shop[^"]*">(.*?)</li>', size_block(html, variant), re.S):
        name = re.search(r'class="shop__name"[^>]*>(.*?)</a>', item, re.S)
        assert name, "a store in the grid without its name"
        result[text(name.group(1))] = text(item)
    return result


@pytest.fixture
def shoe():
    product = ProductFactory(
        name="Pegasus 41",
        slug="pegasus-41",
        colourway_en="Black/White",
        colourway_he="שחור/לבן",
        price=Decimal("599.90"),
    )
    sizes = {
        size: VariantFactory(
            product=product, eu_size=Decimal(size), us_label=str(size - 33), uk_label=str(size - 34)
        )
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

    html = page_with_size(client, product, sizes[42])

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

    html = page_with_size(client, product, sizes[41])

    assert "Central Warehouse" not in html
    assert "Closed Branch" not in html
    assert set(shops(html, sizes[41])) == {"Dizengoff"}
    assert "Out of stock everywhere" in text(size_block(html, sizes[41]))


def test_product_detail_reserved_pairs_are_not_shown_as_available(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, sizes[43], on_hand=2, reserved=2)

    html = page_with_size(client, product, sizes[43])

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

    html = page_with_size(client, product, sizes[41])

    with translation.override("en"):
        soon, later, past = (date_format(days(n)) for n in (4, 9, -3))
    grid = shops(html, sizes[41])
    assert f"Expected {soon}" in grid["Dizengoff"]
    assert later not in grid["Dizengoff"]
    assert "overdue; no confirmed date yet" in grid["Malha"]
    assert past not in grid["Malha"]
    assert "No arrival date known" in grid["Haifa"]
    summary = text(size_block(html, sizes[41]).split("</summary>")[0])
    assert f"Expected {soon} at Dizengoff" in summary


def test_product_detail_transfer_arrival_date(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    jlm = StoreFactory(name_en="Malha")
    user = UserFactory(is_staff=True)
    put_stock(jlm, sizes[42], on_hand=1)
    transfer = request_transfer(variant=sizes[42], from_store=jlm, to_store=tlv, user=user)
    transfer_dispatch(transfer=transfer, user=user, expected_date=days(2))

    html = page_with_size(client, product, sizes[42])

    with translation.override("en"):
        assert f"Expected {date_format(days(2))}" in shops(html, sizes[42])["Dizengoff"]


def test_product_detail_notify_link_per_missing_size_and_store(client, shoe):
    product, sizes = shoe
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, sizes[42], on_hand=1)
    signup = en("demand:signup")

    missing = page_with_size(client, product, sizes[41])
    there = page_with_size(client, product, sizes[42])

    assert f"{signup}?variant={sizes[41].pk}&amp;store={tlv.pk}" in missing
    # It is there now: no alert, the pair can be held instead.
    assert f"{signup}?variant={sizes[42].pk}&amp;store={tlv.pk}" not in there
    assert f"{en('demand:pair_hold')}?variant={sizes[42].pk}&amp;store={tlv.pk}" in there


def test_product_detail_unknown_or_withdrawn_product_is_404(client, shoe):
    product, _sizes = shoe
    assert (
        client.get(reverse("storefront:product", kwargs={"slug": "no-such-shoe"})).status_code
        == 404
    )
    Product.objects.filter(pk=product.pk).update(is_active=False)
    assert (
        client.get(reverse("storefront:product", kwargs={"slug": product.slug})).status_code == 404
    )


def test_product_detail_includes_independent_reviews(client, shoe):
    product, _sizes = shoe
    ReviewLinkFactory(product=product, title="Pegasus 41 tested over 100 km")

    url = en("storefront:product", kwargs={"slug": product.slug})
    page = text(client.get(url).content.decode())

    assert "Pegasus 41 tested over 100 km" in page


def test_product_detail_review_line_keeps_each_run_whole(client, shoe):
    product, _sizes = shoe
    ReviewLinkFactory(
        product=product,
        source__name="Runpanel",
        published_on=days(-30),
        score=Decimal("9"),
        score_scale=Decimal("10"),
        is_featured=True,
    )

    html = client.get(reverse("storefront:product", kwargs={"slug": product.slug})).content.decode()

    meta = re.search(r'<p class="review-card__meta">(.*?)</p>', html, re.S).group(1)
    runs = [text(run) for run in re.findall(r"<bdi[^>]*>(.*?)</bdi>", meta, re.S)]
    # Hebrew page: source, date and score each isolated, so a phone shows them in this order.
    assert runs[:3] == ["Runpanel", days(-30).strftime("%d/%m/%Y"), "9 מתוך 10"]


def test_product_detail_video_review_is_a_facade_until_pressed(client, shoe):
    product, _sizes = shoe
    ReviewLinkFactory(
        product=product,
        kind="video",
        title="Pegasus 41 on the track",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    assert "<iframe" not in html
    facade = re.search(r'<a class="video-facade__play"[^>]*>.*?</a>', html, re.S).group(0)
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in facade
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in facade  # works without JS
    assert "Pegasus 41 on the track" in text(facade) and "YouTube" in text(facade)


def test_product_detail_english_dates_are_day_first(client, shoe):
    product, _sizes = shoe
    product.release_date = days(0).replace(month=3, day=4)
    product.save()
    ReviewLinkFactory(product=product, published_on=days(0).replace(month=6, day=4))

    html = client.get(en("storefront:product", kwargs={"slug": product.slug})).content.decode()

    page = text(html)
    year = days(0).year
    assert f"4 Mar {year}" in page
    assert f"04/06/{year}" in page and f"06/04/{year}" not in page


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


# --- Size summary, one size's stores, the customer's city ---------------------------------------


def test_product_page_summarises_each_size_and_lists_stores_only_for_the_open_size(client, shoe):
    product, sizes = shoe
    tlv, jlm = StoreFactory(name_en="Dizengoff"), StoreFactory(name_en="Malha")
    put_stock(tlv, sizes[42], on_hand=3)
    put_stock(jlm, sizes[42], on_hand=1)
    url = en("storefront:product", kwargs={"slug": product.slug})

    html = client.get(url).content.decode()

    block = size_block(html, sizes[42])
    assert "At 2 stores" in text(block) and "4 pairs" in text(block)
    assert 'class="shop-list"' not in html  # no size is open
    fragment = en(
        "storefront:product_size", kwargs={"slug": product.slug, "variant_id": sizes[42].pk}
    )
    assert f'hx-get="{fragment}"' in block and 'hx-trigger="toggle once"' in block
    # Without JavaScript the size's link opens the page with that size's stores.
    assert f'href="{url}?size=42#size-{sizes[42].pk}"' in block
    assert set(shops(page_with_size(client, product, sizes[42]), sizes[42])) == {
        "Dizengoff",
        "Malha",
    }


def test_size_stores_fragment_for_htmx_and_the_page_without_it(client, shoe):
    product, sizes = shoe
    put_stock(StoreFactory(name_en="Dizengoff"), sizes[42], on_hand=3)
    fragment = en(
        "storefront:product_size", kwargs={"slug": product.slug, "variant_id": sizes[42].pk}
    )

    htmx = client.get(fragment, headers={"HX-Request": "true"})
    plain = client.get(fragment)
    other = VariantFactory(product=ProductFactory())
    foreign = client.get(
        en("storefront:product_size", kwargs={"slug": product.slug, "variant_id": other.pk}),
        headers={"HX-Request": "true"},
    )

    assert htmx.status_code == 200
    assert "<html" not in htmx.content.decode()
    assert "3 pairs" in text(htmx.content.decode())
    assert plain.status_code == 302
    assert plain["Location"] == (
        en("storefront:product", kwargs={"slug": product.slug}) + f"?size=42#size-{sizes[42].pk}"
    )
    assert foreign.status_code == 404


def test_a_chosen_city_names_the_nearest_store_and_lists_stores_nearest_first(client, shoe):
    product, sizes = shoe
    haifa = StoreFactory(
        name_en="Grand Canyon",
        city_en="Haifa",
        latitude=Decimal("32.79"),
        longitude=Decimal("35.00"),
    )
    eilat = StoreFactory(
        name_en="Ice Mall", city_en="Eilat", latitude=Decimal("29.55"), longitude=Decimal("34.95")
    )
    put_stock(haifa, sizes[42], on_hand=1)
    put_stock(eilat, sizes[42], on_hand=5)
    url = en("storefront:product", kwargs={"slug": product.slug})

    near_haifa = client.get(url, {"city": "haifa", "size": "42"}).content.decode()
    near_eilat = client.get(url, {"city": "eilat", "size": "42"}).content.decode()
    # An unknown city is dropped from the address (one redirect), then the page shows no city.
    unknown = client.get(url, {"city": "<script>", "size": "42"}, follow=True)

    summary = text(size_block(near_haifa, sizes[42]).split("</summary>")[0])
    assert "Nearest: Grand Canyon" in summary
    assert list(shops(near_haifa, sizes[42])) == ["Grand Canyon", "Ice Mall"]
    assert list(shops(near_eilat, sizes[42])) == ["Ice Mall", "Grand Canyon"]
    assert unknown.status_code == 200 and "Nearest:" not in text(unknown.content.decode())


def shop_rows(html: str, variant) -> dict[str, str]:
    """Store name → the open size's store list row for it, as markup (links included)."""
    rows = {}
    for row in re.findall(r'<li class="shop[^"]*">(.*?)</li>', size_block(html, variant), re.S):
        name = re.search(r'class="shop__name"[^>]*>(.*?)</a>', row, re.S)
        assert name, "a store in the list without its name"
        rows[text(name.group(1))] = row
    return rows


def test_product_detail_offers_hold_bring_or_waitlist_per_shop(client, shoe, settings):
    """Per shop in a size's list: hold a pair where it has pairs; bring it from another branch
    or the warehouse (with the day it can be there) where it has none; else the waitlist."""
    settings.TRANSFER_SAFETY_STOCK = 1
    settings.TRANSFER_LEAD_DAYS = 2
    product, sizes = shoe
    tlv, jlm = StoreFactory(name_en="Dizengoff"), StoreFactory(name_en="Malha")
    warehouse = StoreFactory(name_en="Warehouse", is_warehouse=True)
    put_stock(jlm, sizes[42], on_hand=1)  # Malha's last pair: not sent away
    put_stock(warehouse, sizes[41], on_hand=7)  # only the warehouse has 41
    hold, bring = en("demand:pair_hold"), en("demand:pair_bring")
    signup = en("demand:signup")

    row42 = shop_rows(page_with_size(client, product, sizes[42]), sizes[42])
    assert f"{hold}?variant={sizes[42].pk}&amp;store={jlm.pk}" in row42["Malha"]
    assert f"{signup}?variant={sizes[42].pk}&amp;store={tlv.pk}" in row42["Dizengoff"]
    assert bring not in row42["Dizengoff"]

    html41 = page_with_size(client, product, sizes[41])
    row41 = shop_rows(html41, sizes[41])
    assert f"{bring}?variant={sizes[41].pk}&amp;store={tlv.pk}" in row41["Dizengoff"]
    by = transfer_arrival_date("a", "b")
    with translation.override("en"):
        said = f"can be at Dizengoff by {date_format(by, 'l')} {date_format(by, 'j/n')}"
    assert said in text(row41["Dizengoff"])
    # The one answer the customer can act on: no "no arrival date known" above the offer.
    assert "No arrival date known" not in text(row41["Dizengoff"])
    assert "No arrival date known" in text(row42["Dizengoff"])  # nothing to bring there
    assert "Warehouse" not in row41  # never shown as a store
    assert f"{signup}?variant={sizes[41].pk}" not in size_block(html41, sizes[41])
    assert "Can be brought to a store by" in text(size_block(html41, sizes[41]))


def test_product_detail_bring_date_skips_an_israeli_holiday(client, shoe, settings):
    """ "Can be at … by …" is the delivery calendar's date: the lead time is set so that
    counting Sunday–Thursday alone lands on the next holiday that falls on a weekday (in the
    `holidays` package's calendar); the page promises the first working day after it instead."""
    today = timezone.localdate()
    calendar = holidays.country_holidays(
        "IL", years=[today.year, today.year + 1], categories=(holidays.PUBLIC,)
    )
    # The first holiday from tomorrow on a Sunday–Thursday (Pesach, Thursday 22/4/2027, when
    # this was written): no weekday holiday before it, so only it is skipped.
    holiday = min(day for day in calendar if day > today and day.weekday() not in (4, 5))
    between = [today + timedelta(days=n) for n in range(1, (holiday - today).days + 1)]
    settings.TRANSFER_SAFETY_STOCK = 1
    settings.TRANSFER_ROUTE_LEAD_DAYS = {}
    settings.TRANSFER_LEAD_DAYS = sum(1 for day in between if day.weekday() not in (4, 5))
    promised = holiday + timedelta(days=1)
    while not is_delivery_day(promised):
        promised += timedelta(days=1)
    product, sizes = shoe
    StoreFactory(name_en="Dizengoff")
    put_stock(StoreFactory(name_en="Warehouse", is_warehouse=True), sizes[41], on_hand=7)

    row = text(shop_rows(page_with_size(client, product, sizes[41]), sizes[41])["Dizengoff"])

    with translation.override("en"):
        said = "can be at Dizengoff by {} {}"
        assert said.format(date_format(promised, "l"), date_format(promised, "j/n")) in row
        assert said.format(date_format(holiday, "l"), date_format(holiday, "j/n")) not in row
