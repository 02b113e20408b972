"""Customers' own requests for a pair, in a real headless browser.

Bring it to my store: the size is out in Tel Aviv but the warehouse has it; the customer asks
from the product page, confirms her number with the code; a Tel Aviv salesperson approves the
request in the transfer queue; the warehouse dispatches it; Tel Aviv receives it; she is
texted that the pair is held for her.

Hold a pair for me: the size is in Haifa; the customer asks, confirms with the code and is
texted; the pair is on Haifa's holds desk; she collects it.
"""

import re
from decimal import Decimal

import pytest

from core.phones import mask_phone
from inventory import services as inventory
from inventory.models import Hold, StockLevel, Transfer
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.backends import locmem
from tests.e2e.helpers import CUSTOMER_PHONE, customer_phone, log_in
from tests.factories import ProductFactory, VariantFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def confirm_with_code(page):
    page.wait_for_url("**/alerts/confirm/")
    code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.click("form.alerts__form button[type=submit]")
    page.wait_for_url("**/pairs/done/")


def open_offer(page, base_url: str, product, size, kind: str, store):
    """From the product page: open the size, follow the store's offer."""
    page.goto(f"{base_url}{product.get_absolute_url()}?size={size.size_label}")
    link = page.locator(
        f"a[href*='/pairs/{kind}/'][href*='variant={size.pk}'][href*='store={store.pk}']"
    )
    if not link.is_visible():
        page.click(f"#size-{size.pk} summary")
    link.first.click()
    page.wait_for_url(f"**/pairs/{kind}/?*")


def test_bring_to_my_store_request_approve_dispatch_receive_text(live_server, browser, settings):
    settings.SITE_URL = live_server.url
    tel_aviv = store_in("tel-aviv", phone="03-5551234")
    warehouse = store_in(
        "rishon-lezion",
        code="warehouse",
        name_en="Central warehouse",
        name_he="מחסן מרכזי",
        is_warehouse=True,
    )
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    inventory.stock_receive(store=warehouse, variant=size_42, quantity=7)
    staff_user(ROLE_SALESPEOPLE, tel_aviv, username="dana")
    admin = staff_user(ROLE_SALESPEOPLE, warehouse, username="wh", is_superuser=True)
    base = live_server.url

    customer = customer_phone(browser)
    open_offer(customer, base, product, size_42, "bring", tel_aviv)
    assert "יכול להגיע" in customer.locator("main").inner_text()
    customer.fill("#id_phone", CUSTOMER_PHONE)
    customer.click("form.alerts__form button[type=submit]")
    confirm_with_code(customer)
    assert "הבקשה התקבלה" in customer.locator("main").inner_text()
    transfer = Transfer.objects.get()
    assert (transfer.status, transfer.from_store, transfer.to_store) == (
        "awaiting",
        warehouse,
        tel_aviv,
    )

    # A Tel Aviv salesperson approves it from the customer requests list.
    staff = log_in(browser, base, "dana", "/staff/transfers/requests/")
    staff.locator(f"#transfer-{transfer.pk} form[action$='/approve/'] button").click()
    staff.wait_for_load_state()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED
    staff.close()

    # The warehouse dispatches it; Tel Aviv receives it.
    page = log_in(browser, base, admin.username, f"/en/staff/transfers/?store={warehouse.pk}")
    page.locator(f"#transfer-{transfer.pk} form[action$='/dispatch/'] button").click()
    page.wait_for_load_state()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.DISPATCHED
    page.close()
    staff = log_in(browser, base, "dana", "/staff/transfers/incoming/")
    staff.locator(f"#transfer-{transfer.pk} form[action$='/receive/'] button").click()
    staff.wait_for_load_state()
    hold = Hold.objects.get(transfer=transfer)
    assert hold.status == "active" and hold.expires_at is not None
    staff.close()

    # Her text: the pair arrived and is held; its link shows it.
    text = locmem.outbox[-1]
    assert text.to == "+972502345678" and "הגיע!" in text.body
    customer.goto(re.search(r"https?://\S+", text.body.replace("\u2069", "")).group(0))
    assert "EU 42" in customer.locator("main").inner_text()
    customer.close()


def test_hold_a_pair_for_me_request_code_desk_collected(live_server, browser, settings):
    settings.SITE_URL = live_server.url
    haifa = store_in("haifa", phone="04-8123456")
    store_in("tel-aviv")
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    inventory.stock_receive(store=haifa, variant=size_42, quantity=2)
    staff_user(ROLE_SALESPEOPLE, haifa, username="haifa_sales")
    base = live_server.url

    customer = customer_phone(browser)
    open_offer(customer, base, product, size_42, "hold", haifa)
    customer.fill("#id_phone", CUSTOMER_PHONE)
    customer.click("form.alerts__form button[type=submit]")
    confirm_with_code(customer)
    assert "שמור לך זוג עד" in customer.locator("main").inner_text()
    assert "שמרנו לך" in locmem.outbox[-1].body
    hold = Hold.objects.get()
    assert hold.purpose == Hold.Purpose.REQUEST
    customer.close()

    # On Haifa's holds desk like any hold; handed over.
    staff = log_in(browser, base, "haifa_sales", "/staff/holds/")
    card = staff.locator(f"#hold-{hold.pk}")
    # The desk shows the number masked; the full number only through "show number".
    assert "EU 42" in card.inner_text() and mask_phone("+972502345678") in card.inner_text()
    assert "+972502345678" not in card.inner_text()
    card.locator("form[action$='/collected/'] button").click()
    staff.wait_for_load_state()
    hold.refresh_from_db()
    assert hold.status == Hold.Status.COLLECTED
    level = StockLevel.objects.get(store=haifa, variant=size_42)
    assert (level.on_hand, level.reserved) == (1, 0)
    staff.close()
