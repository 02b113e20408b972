"""A customer's "My requests" in a real headless browser, on the narrowest phone: her number has
an alert waiting, a pair held for her and a pair she asked to have brought to her store. She
asks for her requests with a code, sees all three in Hebrew and in English (no sideways
scrolling, axe-core clean), and cancels each."""

import re
from decimal import Decimal

import pytest

from demand import services
from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, Transfer
from notifications.backends import locmem
from tests.e2e.helpers import (
    CUSTOMER_PHONE,
    SMALL_PHONE,
    customer_phone,
    serious_violations,
    tel_aviv_and_haifa_shops,
)
from tests.factories import (
    ConfirmedNumberFactory,
    ProductFactory,
    StoreFactory,
    VariantFactory,
    WaitlistEntryFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]
PHONE = "+972502345678"  # CUSTOMER_PHONE, normalised


def no_sideways_scroll(page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport


def test_my_requests_lists_and_cancels_an_alert_a_held_pair_and_a_bring_request(
    live_server, browser, settings
):
    pytest.importorskip("axe_playwright_python")
    settings.SITE_URL = live_server.url
    tlv, haifa = tel_aviv_and_haifa_shops()
    warehouse = StoreFactory(code="warehouse", name_en="Warehouse", is_warehouse=True)
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    size_44 = VariantFactory(product=product, eu_size=Decimal("44.5"), sku="FD2722-002-44.5")
    inventory.stock_receive(store=haifa, variant=size_42, quantity=1)
    inventory.stock_receive(store=warehouse, variant=size_42, quantity=5)
    ConfirmedNumberFactory(phone=PHONE)
    alert = WaitlistEntryFactory(phone=PHONE, variant=size_44, store=tlv)
    hold = services.pair_hold_for_customer(phone=PHONE, variant=size_42, store=haifa, language="he")
    bring = services.bring_to_store(phone=PHONE, variant=size_42, store=tlv, language="he")
    # Another customer's requests never show on hers.
    ConfirmedNumberFactory(phone="+972523456789")
    theirs = WaitlistEntryFactory(phone="+972523456789", variant=size_44, store=haifa)

    customer = customer_phone(browser, SMALL_PHONE)
    try:
        # --- With a code, from the find page ------------------------------------------------
        customer.goto(f"{live_server.url}/alerts/find/")
        customer.fill("#id_phone", CUSTOMER_PHONE)
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/alerts/confirm/")
        code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
        customer.fill("#id_code", code)
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/alerts/mine/")

        # --- Hebrew: all three, right to left -------------------------------------------------
        assert customer.locator("html").get_attribute("dir") == "rtl"
        main = customer.locator("main").inner_text()
        assert "הבקשות שלי" in main
        for element in (f"#entry-{alert.pk}", f"#hold-{hold.pk}", f"#transfer-{bring.pk}"):
            assert customer.locator(element).is_visible(), element
        assert customer.locator(f"#entry-{theirs.pk}").count() == 0
        assert "EU 44.5" in customer.locator(f"#entry-{alert.pk}").inner_text()
        assert "•" in main and "2345678" not in main  # the number, masked
        no_sideways_scroll(customer)
        assert serious_violations(customer) == []

        # --- English ----------------------------------------------------------------------------
        customer.goto(f"{live_server.url}/en/alerts/mine/")
        assert customer.locator("html").get_attribute("dir") == "ltr"
        main = customer.locator("main").inner_text()
        assert "My requests" in main and "Pairs held for you" in main
        assert "Waiting for the store staff" in main and "Alerts waiting for a size" in main
        no_sideways_scroll(customer)
        assert serious_violations(customer) == []

        # --- Cancel each ----------------------------------------------------------------------
        customer.click(f"#entry-{alert.pk} button[name=cancel]")
        customer.wait_for_selector(".message--success")
        assert customer.locator(f"#entry-{alert.pk}").count() == 0
        alert.refresh_from_db()
        assert alert.status == WaitlistEntry.Status.CANCELLED

        customer.click(f"#hold-{hold.pk} button[name=release_hold]")
        customer.wait_for_selector(".message--success")
        assert customer.locator(f"#hold-{hold.pk}").count() == 0
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.RELEASED

        customer.click(f"#transfer-{bring.pk} button[name=cancel_transfer]")
        customer.wait_for_selector(".message--success")
        assert customer.locator(f"#transfer-{bring.pk}").count() == 0
        assert Transfer.objects.get(pk=bring.pk).status == Transfer.Status.CANCELLED

        # Nothing left open: the page says so, in the page's language.
        assert "Nothing is open for this number" in customer.locator("main").inner_text()
        no_sideways_scroll(customer)
        assert serious_violations(customer) == []
    finally:
        customer.context.close()
    theirs.refresh_from_db()
    assert theirs.status == WaitlistEntry.Status.ACTIVE
