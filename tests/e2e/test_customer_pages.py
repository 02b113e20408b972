"""The customer pages in a real browser: accessible (axe-core), no sideways scrolling on a
small phone, usable with the keyboard alone, and the product page and catalogue behaving as a
customer expects (videos load on press, size chips open their size, filters out of the way on
a phone).

One test per language and screen width walks every customer page, so a whole run stays at a
few seconds a test.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from inventory import services as inventory
from notifications.backends import locmem
from notifications.texts import manage_path
from tests.e2e.helpers import (
    CUSTOMER_PHONE,
    DESKTOP,
    PHONE,
    SMALL_PHONE,
    reviews_of,
    serious_violations,
    tel_aviv_and_haifa_shops,
)
from tests.factories import ProductFactory, VariantFactory, put_stock
from tests.pickup import held_pair, open_every_day

# Each test signs up afresh: the cache, and with it the sign-up rate limit, starts empty
# (tests/conftest.py).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]

OPEN_SIZES = "document.querySelectorAll('details.size').forEach(d => d.open = true)"


@pytest.fixture
def shop():
    tlv, haifa = tel_aviv_and_haifa_shops()
    product = ProductFactory(
        name="Pegasus 41",
        style_code="FD2722-002",
        colourway_en="Black/White",
        colourway_he="שחור/לבן",
        price=Decimal("599.90"),
    )
    in_stock = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    out = VariantFactory(product=product, eu_size=Decimal("43"), sku="FD2722-002-43")
    put_stock(tlv, in_stock, on_hand=2)
    reviews_of(product)
    inventory.shipment_create(
        reference="PO-1",
        store=haifa,
        lines=[(out, 1)],
        expected_date=timezone.localdate() + timedelta(days=5),
    )
    # A pair held for a customer: their text's page, where they choose when to come.
    open_every_day(tlv, opens="09:00", closes="22:00")
    held = VariantFactory(product=product, eu_size=Decimal("44"), sku="FD2722-002-44")
    _entry, _hold, held_text = held_pair(tlv, held)
    return {
        "product": product,
        "out": out,
        "haifa": haifa,
        "held_text": held_text,
        "in_stock": in_stock,
        "tlv": tlv,
    }


def url_for(live_server, name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(name, **kwargs)


def customer_pages(live_server, shop, language: str) -> list[str]:
    """Every customer page but the code confirmation (which needs a sign-up first)."""
    product, out, haifa = shop["product"], shop["out"], shop["haifa"]
    signup = url_for(live_server, "demand:signup", language)
    return [
        url_for(live_server, "storefront:home", language),
        url_for(live_server, "storefront:product_list", language) + "?brand=" + product.brand.slug,
        url_for(live_server, "storefront:product", language, kwargs={"slug": product.slug}),
        url_for(live_server, "storefront:stores", language),
        f"{signup}?variant={out.pk}&store={haifa.pk}",
        url_for(live_server, "demand:find", language),
        live_server.url + manage_path(shop["held_text"].pk, language),
        url_for(live_server, "demand:pair_hold", language)
        + f"?variant={shop['in_stock'].pk}&store={shop['tlv'].pk}",
        url_for(live_server, "demand:pair_bring", language)
        + f"?variant={shop['in_stock'].pk}&store={haifa.pk}",
    ]


def sign_up(page, live_server, shop, language: str) -> None:
    """Leave a number on the sign-up page; the browser lands on the code confirmation."""
    page.goto(customer_pages(live_server, shop, language)[4])
    page.fill("#id_phone", CUSTOMER_PHONE)
    page.click("form.alerts__form button[type=submit]")
    page.wait_for_url("**/alerts/confirm/")


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_customer_pages_have_no_serious_accessibility_violations(
    live_server, browser, shop, language, viewport
):
    pytest.importorskip("axe_playwright_python")
    page = browser.new_page(viewport=viewport)
    found = []
    try:
        for address in customer_pages(live_server, shop, language):
            page.goto(address)
            if "/sneakers/" in address and "?" not in address:
                # The size panels too, open as a customer opens them.
                page.evaluate(OPEN_SIZES)
            found += serious_violations(page)
        sign_up(page, live_server, shop, language)
        found += serious_violations(page)
    finally:
        page.context.close()
    assert found == []


@pytest.mark.parametrize("language", ["he", "en"])
def test_customer_pages_fit_a_360px_phone(live_server, browser, shop, language):
    page = browser.new_page(viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    too_wide = []
    try:
        for address in customer_pages(live_server, shop, language):
            page.goto(address)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width, viewport = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if width > viewport:
                too_wide.append(f"{address}: {width}px on a {viewport}px screen")
        sign_up(page, live_server, shop, language)
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width > viewport:
            too_wide.append(f"{page.url}: {width}px on a {viewport}px screen")
    finally:
        page.context.close()
    assert too_wide == []


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def test_alert_sign_up_and_confirm_with_the_keyboard_alone(live_server, browser, shop):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(customer_pages(live_server, shop, "he")[4])
        tab_to(page, "#id_phone")
        page.keyboard.type(CUSTOMER_PHONE)
        tab_to(page, "form.alerts__form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/alerts/confirm/")

        code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
        tab_to(page, "#id_code")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_url("**/alerts/done/")
        assert "Pegasus 41" in page.locator("main").inner_text()
    finally:
        page.context.close()


def test_product_detail_video_loads_only_when_pressed(live_server, browser, shop):
    page = browser.new_page(viewport=PHONE)
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>player</title>"
        ),
    )
    try:
        page.goto(
            url_for(live_server, "storefront:product", "en", kwargs={"slug": shop["product"].slug})
        )
        page.locator(".video-facade").scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        assert elsewhere == []  # nothing asked of the video host before the press
        assert page.locator(".video-facade").inner_text().count("Pegasus 41 after 100 km") == 1

        page.click(".video-facade__play")
        frame = page.locator(".review-card__video iframe")
        assert frame.get_attribute("src").startswith(
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        )
        page.wait_for_timeout(200)
        assert elsewhere
        assert all(u.startswith("https://www.youtube-nocookie.com/") for u in elsewhere)
    finally:
        page.context.close()


def test_product_detail_size_chip_opens_its_size_and_text_me_is_easy_to_tap(
    live_server, browser, shop
):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    out = shop["out"]
    try:
        page.goto(
            url_for(live_server, "storefront:product", "he", kwargs={"slug": shop["product"].slug})
        )
        size = page.locator(f"#size-{out.pk}")
        assert size.get_attribute("open") is None
        page.tap(f".size-chip[href='#size-{out.pk}']")
        page.wait_for_function(f"document.getElementById('size-{out.pk}').open")

        notify = size.locator("a.shop__notify").first
        box = notify.bounding_box()
        assert box is not None and box["height"] >= 44
        featured = page.locator(".review-group--featured .review-card")
        colour = featured.evaluate("e => getComputedStyle(e).borderTopColor")
        assert colour != "rgb(204, 59, 26)"  # not the alarm-red accent
    finally:
        page.context.close()


def test_product_list_filters_on_a_phone_and_beside_the_results_on_a_desktop(
    live_server, browser, shop
):
    address = (
        url_for(live_server, "storefront:product_list", "he")
        + f"?brand={shop['product'].brand.slug}&in_stock=on"
    )
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    desktop = browser.new_page(viewport=DESKTOP)
    try:
        phone.goto(address)
        assert phone.locator("details.filters").get_attribute("open") is None
        assert phone.locator(".filters__count").inner_text() == "2"
        assert phone.locator(".product-grid .card").first.bounding_box()["y"] < PHONE["height"]

        desktop.goto(address)
        desktop.wait_for_function("document.querySelector('details.filters').open")
        sidebar = desktop.locator("details.filters").bounding_box()
        grid = desktop.locator(".product-grid").bounding_box()
        assert abs(sidebar["y"] - grid["y"]) <= 2
        heights = desktop.locator(".filters__actions .button").evaluate_all(
            "buttons => buttons.map(b => b.getBoundingClientRect().height)"
        )
        assert len(heights) == 2 and max(heights) <= 48  # one line each, not wrapped
    finally:
        phone.context.close()
        desktop.context.close()
