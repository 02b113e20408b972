"""A launch draw on a phone (390 px), in Hebrew, in a real headless browser: the customer
finds the draw on the product page, enters with her number and the code, sees her entry in
"My requests"; after the draw, the winner's text opens her held pair with its pick-up
planning."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from demand import services
from demand.models import Launch, LaunchEntry
from inventory.models import Hold
from notifications.backends import locmem
from tests.e2e.helpers import CUSTOMER_PHONE, customer_phone
from tests.factories import ProductFactory, StoreFactory, VariantFactory, put_stock
from tests.pickup import open_every_day

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def fits(page) -> bool:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= viewport


def test_enter_confirm_see_the_entry_then_the_winner_plans_the_pickup(
    live_server, browser, settings
):
    settings.SITE_URL = live_server.url
    store = StoreFactory(
        code="tlv", name_he="דיזנגוף סנטר", name_en="Dizengoff Center", phone="03-5123456"
    )
    open_every_day(store)
    product = ProductFactory(name="Jordan 4 Bred", style_code="FV5029-006")
    size = VariantFactory(product=product, eu_size=Decimal("42"), sku="FV5029-006-42")
    put_stock(store, size, on_hand=1)
    now = timezone.now()
    launch = services.launch_create(
        product=product,
        times=services.LaunchTimes(
            now - timedelta(minutes=5), now + timedelta(hours=1), now + timedelta(hours=2)
        ),
        pairs={(store.pk, size.pk): 1},
    )
    base = live_server.url

    customer = customer_phone(browser)
    try:
        customer.goto(f"{base}{product.get_absolute_url()}")
        customer.click(f"a[href$='/draws/{launch.pk}/']")
        customer.wait_for_url(f"**/draws/{launch.pk}/")
        page_text = customer.locator("main").inner_text()
        assert "איך ההגרלה עובדת" in page_text and "טביעת אצבע" in page_text
        assert fits(customer)
        customer.select_option("#id_variant", str(size.pk))
        customer.select_option("#id_store", str(store.pk))
        customer.fill("#id_phone", CUSTOMER_PHONE)
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/alerts/confirm/")
        code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
        customer.fill("#id_code", code)
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/pairs/done/")
        entry = LaunchEntry.objects.get()
        assert "נרשמת להגרלה" in customer.locator("main").inner_text()
        assert entry.public_id in customer.locator("main").inner_text()
        assert fits(customer)
        customer.click("a[href$='/alerts/mine/']")
        customer.wait_for_url("**/alerts/mine/")
        assert entry.public_id in customer.locator("#draws").inner_text()
        assert fits(customer)
    finally:
        customer.context.close()

    # The draw (its task runs at draw time; here, now).
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=timezone.now() - timedelta(seconds=2),
        draw_at=timezone.now() - timedelta(seconds=1),
    )
    services.launch_draw(launch=launch.pk)
    hold = Hold.objects.get(status=Hold.Status.ACTIVE)
    assert hold.customer_phone == "+972502345678"
    text = locmem.outbox[-1].body
    assert "Jordan 4 Bred" in text and "דיזנגוף סנטר" in text
    link = re.search(r"(https?://\S+/a/\S+)", text).group(1)

    winner = customer_phone(browser)
    try:
        winner.goto(link)
        assert "מתי תגיעו?" in winner.locator("#pickup").inner_text()
        assert fits(winner)
        slot = winner.locator(".pickup__slot").first
        slot.tap()
        winner.click("button[name=plan]")
        winner.wait_for_selector(".message--success")
        assert "מחכים לך בחנות" in winner.locator("main").inner_text()
    finally:
        winner.context.close()
    hold.refresh_from_db()
    assert hold.pickup_at is not None
