"""A pair moves between branches for a customer, in a real headless browser.

A salesperson in Tel Aviv finds the size in Haifa and requests it for a customer; Haifa's
manager dispatches it; Tel Aviv's manager receives it; the pair is then on Tel Aviv's holds
desk, held for the customer.
"""

from decimal import Decimal

import pytest

from core.phones import mask_phone
from inventory import services
from inventory.models import Hold, StockLevel, Transfer
from inventory.permissions import ROLE_SALESPEOPLE, ROLE_STORE_MANAGERS
from tests.e2e.helpers import log_in
from tests.factories import ProductFactory, VariantFactory
from tests.inventory.views.helpers import staff, store_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CUSTOMER = "Noa Levi"


def test_transfer_flow_salesperson_to_holds_desk(live_server, browser):
    tel_aviv, haifa = store_in("tel-aviv"), store_in("haifa")
    store_in("jerusalem")
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    VariantFactory(product=product, eu_size=Decimal("43"), sku="FD2722-002-43")
    services.stock_receive(store=haifa, variant=size_42, quantity=2)
    staff(ROLE_SALESPEOPLE, tel_aviv, "dana")
    staff(ROLE_STORE_MANAGERS, haifa, "haifa_boss")
    staff(ROLE_STORE_MANAGERS, tel_aviv, "tlv_boss")
    base = live_server.url

    # The salesperson (Hebrew, the default) finds the size and taps Haifa's number.
    page = log_in(browser, base, "dana", "/staff/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=q]", "pegasus")
    page.press("input[name=q]", "Enter")
    haifa_row = page.locator("tr[data-store=haifa]")
    haifa_row.wait_for()
    # Tel Aviv (home) first, Haifa after Jerusalem: nearest first.
    assert page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.store)") == [
        "tel-aviv",
        "jerusalem",
        "haifa",
    ]
    haifa_row.locator(f"a.cell--link[data-variant='{size_42.pk}']").click()

    page.wait_for_url("**/staff/transfers/new/**")
    assert page.input_value("#id_variant") == "FD2722-002-42"
    page.fill("#id_customer_name", CUSTOMER)
    page.fill("#id_customer_phone", "050-234-5678")
    page.select_option("#id_customer_language", "en")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_url("**/staff/transfers/*/")
    assert page.locator(".messages").inner_text().strip()
    transfer = Transfer.objects.get()
    assert (transfer.from_store, transfer.to_store) == (haifa, tel_aviv)
    assert transfer.customer_phone == "+972502345678"
    # A salesperson cannot dispatch: no button.
    assert page.locator("form[action$='/dispatch/']").count() == 0
    page.close()

    # Haifa's manager (in English) dispatches it from the "to dispatch" list.
    page = log_in(browser, base, "haifa_boss", "/en/staff/transfers/")
    card = page.locator(f"#transfer-{transfer.pk}")
    assert CUSTOMER in card.inner_text()
    card.locator("form[action$='/dispatch/'] button").click()
    page.wait_for_load_state()
    assert "dispatched" in page.locator(".messages").inner_text()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.DISPATCHED
    page.close()

    # Tel Aviv's manager receives it from the incoming list.
    page = log_in(browser, base, "tlv_boss", "/en/staff/transfers/incoming/")
    page.locator(f"#transfer-{transfer.pk} form[action$='/receive/'] button").click()
    page.wait_for_load_state()
    assert "received" in page.locator(".messages").inner_text()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED

    # ...and the pair is on the holds desk, held for the customer, with her full number.
    page.click("nav.staff-nav a[href$='/staff/holds/']")
    hold = Hold.objects.get(transfer=transfer)
    card = page.locator(f"#hold-{hold.pk}")
    text = card.inner_text()
    # The number masked; the full number only through "show number".
    assert CUSTOMER in text and mask_phone("+972502345678") in text and "EU 42" in text
    assert "+972502345678" not in text
    assert card.locator("form[action$='/collected/'] button").is_visible()
    level = StockLevel.objects.get(store=tel_aviv, variant=size_42)
    assert (level.on_hand, level.reserved) == (1, 1)
    page.close()
