"""A held pair's customer says when she will come, in a real headless browser: the link in her
text, a slot, and the salesperson's holds desk shows the time at the top."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.models import Hold
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.backends import locmem
from tests.e2e.helpers import PHONE, SMALL_PHONE, customer_phone, log_in, serious_violations
from tests.factories import ProductFactory, StoreFactory, VariantFactory, staff_user
from tests.pickup import held_pair, open_every_day

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def test_pickup_flow_hold_text_link_slot_and_the_desk_shows_it(live_server, browser, settings):
    pytest.importorskip("axe_playwright_python")
    settings.SITE_URL = live_server.url
    store = StoreFactory(
        code="tlv", name_he="דיזנגוף סנטר", name_en="Dizengoff Center", phone="03-5123456"
    )
    open_every_day(store)  # whenever the test runs, there is a slot today or tomorrow
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    staff_user(ROLE_SALESPEOPLE, store, username="dana")
    _entry, hold, _message = held_pair(store, size)
    link = re.search(r"(https?://\S+/a/\S+)", locmem.outbox[-1].body).group(1)

    # --- The customer, on a small phone, from the link in her text --------------------------
    customer = customer_phone(browser, SMALL_PHONE)
    try:
        customer.goto(link)
        assert "מתי תגיעו?" in customer.locator("#pickup").inner_text()
        assert serious_violations(customer) == []
        width, viewport = customer.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert width <= viewport
        slot = customer.locator(".pickup__slot").first
        chosen = slot.locator("input").get_attribute("value")
        slot.tap()
        assert slot.locator("input").is_checked()
        customer.click("button[name=plan]")
        customer.wait_for_selector(".message--success")
        assert "מחכים לך בחנות" in customer.locator("main").inner_text()
        assert customer.locator(f"input[value='{chosen}']").is_checked()
        assert serious_violations(customer) == []
    finally:
        customer.context.close()
    hold.refresh_from_db()
    assert timezone.localtime(hold.pickup_at).strftime("%Y-%m-%dT%H:%M") == chosen

    # --- The salesperson's holds desk -------------------------------------------------------
    staff = log_in(
        browser, live_server.url, "dana", "/staff/holds/", viewport=PHONE, has_touch=False
    )
    try:
        card = staff.locator(f"#hold-{hold.pk}")
        when = timezone.localtime(hold.pickup_at).strftime("%H:%M")
        assert "מגיע/ה" in card.inner_text() and when in card.inner_text()
    finally:
        staff.context.close()
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE
