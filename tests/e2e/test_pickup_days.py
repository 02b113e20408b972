"""One more day, on a phone 390 px wide in Hebrew: the extra day offers pick-up times and one
can be chosen, a day the store does not open reads "closed", and giving the pair up asks once
before the hold is released."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.models import Hold, StoreHours
from notifications.backends import locmem
from tests.e2e.helpers import PHONE, customer_phone, serious_violations
from tests.factories import ProductFactory, StoreFactory, VariantFactory
from tests.pickup import held_pair, open_every_day

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def no_sideways_scroll(page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport


def test_pickup_one_more_day_offers_the_extra_day_and_release_asks_once(
    live_server, browser, settings
):
    pytest.importorskip("axe_playwright_python")
    settings.SITE_URL = live_server.url
    settings.HOLD_DURATION = timedelta(hours=24)
    settings.HOLD_EXTENSION = timedelta(hours=24)
    store = StoreFactory(code="tlv", name_he="דיזנגוף סנטר", name_en="Dizengoff Center")
    open_every_day(store)
    tomorrow = timezone.localdate() + timedelta(days=1)
    extra_day = tomorrow + timedelta(days=1)
    # Closed tomorrow, whichever weekday that is.
    StoreHours.objects.filter(store=store, weekday=StoreHours.weekday_of(tomorrow)).delete()
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    _entry, hold, _message = held_pair(store, size)
    link = re.search(r"(https?://\S+/a/\S+)", locmem.outbox[-1].body).group(1)

    customer = customer_phone(browser, PHONE)
    try:
        customer.goto(link)
        assert customer.locator(f"input[name=slot][value^='{extra_day}']").count() == 0
        customer.click("button[name=extend]")
        customer.wait_for_selector(".message--success")
        customer.goto(link)
        days = customer.locator(".pickup__day")
        assert days.count() == 3  # today, tomorrow and the day one more day added
        assert "החנות סגורה ביום הזה" in days.nth(1).inner_text()
        assert days.nth(1).locator("input[name=slot]").count() == 0
        extra = days.nth(2).locator(".pickup__slot")
        assert extra.count() > 0
        no_sideways_scroll(customer)
        assert serious_violations(customer) == []

        chosen = extra.last.locator("input").get_attribute("value")
        assert chosen.startswith(extra_day.isoformat())
        extra.last.tap()
        customer.click("button[name=plan]")
        customer.wait_for_selector(".message--success")
        assert "מחכים לך בחנות" in customer.locator("main").inner_text()
        hold.refresh_from_db()
        assert timezone.localtime(hold.pickup_at).strftime("%Y-%m-%dT%H:%M") == chosen

        # Giving the pair up asks once, on a page of its own; nothing changes until "yes".
        customer.goto(link)
        customer.click("button[name=release]")
        customer.wait_for_selector("h1#release-title")
        assert "לוותר על הזוג השמור?" in customer.locator("h1").inner_text()
        no_sideways_scroll(customer)
        assert serious_violations(customer) == []
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE
        customer.click("text=לא, שמרו לי אותו")
        customer.wait_for_selector("#pickup")
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE

        customer.click("button[name=release]")
        customer.click("button[name=confirm]")
        customer.wait_for_selector(".message--success")
        assert "ללקוח הבא בתור" in customer.locator(".message--success").inner_text()
    finally:
        customer.context.close()
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.RELEASED
