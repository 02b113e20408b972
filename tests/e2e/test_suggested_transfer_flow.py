"""A suggested transfer, in a real headless browser: customers wait in Tel Aviv for a size
Haifa has to spare; Tel Aviv's manager presses "look for transfers now", sees the suggestion
with the customers' masked numbers, the distance and the expected arrival, approves it in one
click, and it appears in Haifa's queue as a transfer for the customer, to dispatch."""

from decimal import Decimal

import pytest

from demand.models import WaitlistEntry
from inventory import services
from inventory.models import StockLevel, Transfer
from inventory.permissions import ROLE_STORE_MANAGERS
from tests.e2e.helpers import log_in
from tests.factories import ProductFactory, VariantFactory, WaitlistEntryFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_suggested_transfer_is_approved_and_appears_as_a_transfer(live_server, browser):
    tel_aviv, haifa = store_in("tel-aviv"), store_in("haifa")
    store_in("jerusalem")
    size = VariantFactory(
        product=ProductFactory(name="Gel-Kayano 31", style_code="1011B867"),
        eu_size=Decimal("44"),
        sku="1011B867-44",
    )
    services.stock_receive(store=haifa, variant=size, quantity=4)  # 3 to spare
    entry = WaitlistEntryFactory(store=tel_aviv, variant=size, phone="+972502345678")
    staff_user(ROLE_STORE_MANAGERS, tel_aviv, username="tlv_boss")
    staff_user(ROLE_STORE_MANAGERS, haifa, username="haifa_boss")
    base = live_server.url

    page = log_in(browser, base, "tlv_boss", "/en/staff/transfers/")
    page.click("nav.staff-tabs >> text=Suggested")
    page.wait_for_url("**/staff/transfers/suggested/")
    page.click("text=Look for transfers now")
    card = page.locator("li[id^=suggestion-]")
    card.wait_for()
    text = card.inner_text()
    assert "Haifa → Tel Aviv-Yafo" in text
    assert "+97250•••••78" in text and "+972502345678" not in page.content()
    assert " km" in text and "can arrive on" in text

    card.locator("button", has_text="Approve").click()
    page.wait_for_load_state("load")
    assert "Approved: transfer #" in page.locator("body").inner_text()
    transfer = Transfer.objects.get()
    assert (transfer.from_store, transfer.to_store) == (haifa, tel_aviv)
    assert transfer.customer_phone == entry.phone
    assert StockLevel.objects.get(store=haifa, variant=size).reserved == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.TRANSFER
    assert page.locator("li[id^=suggestion-]").count() == 0

    # Haifa's manager finds it in the queue to dispatch, as any transfer for a customer.
    haifa_page = log_in(browser, base, "haifa_boss", "/en/staff/transfers/")
    haifa_card = haifa_page.locator(f"#transfer-{transfer.pk}")
    haifa_card.wait_for()
    assert "for a customer" in haifa_card.inner_text()
    assert haifa_card.locator("button", has_text="Dispatch").is_visible()
