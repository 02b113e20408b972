"""A customer asks to be texted when their size arrives, in a real headless browser.

On the product page the size is out at the store she wants; she leaves her mobile, reads the
code from the text, confirms; the store manager receives the shipment in the admin; the text
saying a pair is held for her arrives, and its link shows the hold.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.permissions import ROLE_STORE_MANAGERS
from notifications.backends import locmem
from tests.e2e.helpers import CUSTOMER_PHONE, customer_phone, log_in
from tests.factories import ProductFactory, VariantFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def test_alert_flow_sign_up_confirm_restock_hold_text(live_server, browser, settings):
    settings.SITE_URL = live_server.url
    haifa = store_in("haifa", phone="04-8123456")
    store_in("tel-aviv")
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    shipment = inventory.shipment_create(
        reference="PO-7781",
        store=haifa,
        expected_date=timezone.localdate() + timedelta(days=3),
        lines=[(size_42, 2)],
    )
    staff_user(ROLE_STORE_MANAGERS, haifa, username="haifa_boss")

    # --- The customer, on her phone --------------------------------------------------------
    customer = customer_phone(browser)
    customer.goto(f"{live_server.url}{product.get_absolute_url()}")
    customer.click(f"#size-{size_42.pk} summary")
    customer.click(f"#size-{size_42.pk} a.shop__notify[href*='store={haifa.pk}']")
    customer.wait_for_url("**/alerts/?*")
    assert customer.locator("select[name=store]").input_value() == str(haifa.pk)
    assert customer.locator("select[name=variant]").input_value() == str(size_42.pk)
    assert customer.locator("input[name=language][value=he]").is_checked()
    customer.fill("#id_phone", CUSTOMER_PHONE)
    customer.click("form.alerts__form button[type=submit]")

    customer.wait_for_url("**/alerts/confirm/")
    assert "78" in customer.locator("main").inner_text()
    assert len(locmem.outbox) == 1
    code_text = locmem.outbox[0]
    assert code_text.to == "+972502345678"
    code = re.search(r"\b(\d{6})\b", code_text.body).group(1)
    customer.fill("#id_code", code)
    customer.click("form.alerts__form button[type=submit]")
    customer.wait_for_url("**/alerts/done/")
    assert "Pegasus 41" in customer.locator("main").inner_text()
    assert WaitlistEntry.objects.get().status == "active"

    # --- The store manager receives the shipment in the admin ------------------------------
    staff = log_in(
        browser,
        live_server.url,
        "haifa_boss",
        "/admin/inventory/inboundshipment/",
        viewport={"width": 1280, "height": 800},
        has_touch=False,
    )
    staff.check(f"input[name=_selected_action][value='{shipment.pk}']")
    staff.select_option("select[name=action]", "receive_shipments")
    staff.click("button[name=index]")
    staff.wait_for_selector(".messagelist .success")

    # --- The hold text arrives --------------------------------------------------------------
    hold = WaitlistEntry.objects.get().hold
    assert hold.status == "active" and hold.expires_at is not None
    hold_text = locmem.outbox[-1]
    assert len(locmem.outbox) == 2 and hold_text.to == "+972502345678"
    assert "Pegasus 41" in hold_text.body and "42" in hold_text.body
    assert "חיפה" in hold_text.body and "04-8123456" in hold_text.body
    link = re.search(r"(https?://\S+/a/\S+)", hold_text.body).group(1)

    # Its link shows the customer the pair held for her.
    customer.goto(link)
    held = customer.locator("main").inner_text()
    assert "Pegasus 41" in held
    assert timezone.localtime(hold.expires_at).strftime("%-d/%-m") in held
