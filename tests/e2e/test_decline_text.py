"""Declining a customer's request on a phone, in a real headless browser.

An English-speaking customer asked for a pair to be brought to Tel Aviv. A Tel Aviv
salesperson, on a 390 px phone in Hebrew, opens the request's decline page from the queue,
types a reason and watches the preview of the customer's English text — and its SMS segments —
follow her typing; a Hebrew reason is flagged as she types it. She sends; the text the
customer gets is the preview, to the character.
"""

from decimal import Decimal

import pytest

from inventory import services as inventory
from inventory.models import Transfer
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import Message
from notifications.segments import sms_segments
from tests.e2e.helpers import PHONE, log_in
from tests.factories import ConfirmedNumberFactory, ProductFactory, VariantFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

CUSTOMER = "+972502345678"
REASON = "The last pair in this size has a scuffed toe, so we cannot send it"


def segments_shown(page) -> int:
    return int(page.locator("[data-segments]").get_attribute("data-segments") or 0)


def no_sideways_scroll(page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert (width, viewport) == (PHONE["width"], PHONE["width"])


def test_decline_preview_follows_typing_and_is_the_text_sent(
    live_server, browser, settings, sms_outbox
):
    settings.SITE_URL = live_server.url
    tel_aviv = store_in("tel-aviv", name_en="Dizengoff Center", name_he="דיזנגוף סנטר")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    size = VariantFactory(
        product=ProductFactory(name="Pegasus 41"), eu_size=Decimal("42"), sku="FD2722-002-42"
    )
    inventory.stock_receive(store=warehouse, variant=size, quantity=3)
    ConfirmedNumberFactory(phone=CUSTOMER)
    transfer = inventory.transfer_request_for_customer(
        variant=size, to_store=tel_aviv, customer_phone=CUSTOMER, customer_language="en"
    )
    staff_user(ROLE_SALESPEOPLE, tel_aviv, username="dana")

    # Not `is_mobile`: a mobile browser would zoom out to fit a too-wide page and hide it.
    page = log_in(browser, live_server.url, "dana", "/staff/transfers/requests/", viewport=PHONE)
    try:
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.locator(f"#transfer-{transfer.pk} a[href*='/decline/']").click()
        page.wait_for_url(f"**/staff/transfers/{transfer.pk}/decline/?next=*")
        preview = page.locator(".text-preview__body")
        assert preview.get_attribute("lang") == "en"
        assert preview.inner_text().startswith(
            "Sorry, we cannot bring Pegasus 41 size 42 to Dizengoff Center. Join the waitlist:"
        )
        assert segments_shown(page) == 1
        no_sideways_scroll(page)

        # A Hebrew reason for an English reader: flagged while she types.
        page.locator("#id_reason").press_sequentially("הזוג פגום", delay=20)
        # ("Your reason is in Hebrew, but this customer reads English".)
        page.locator(".text-preview__note--warn", has_text="הסיבה כתובה בעברית").wait_for()

        # Rewritten in English: the preview and its cost follow (htmx, after a pause).
        page.fill("#id_reason", "")
        page.locator("#id_reason").press_sequentially(REASON, delay=5)
        page.wait_for_function(
            "reason => document.querySelector('.text-preview__body').innerText.includes(reason)",
            arg=REASON,
        )
        assert page.locator(".text-preview__note--warn").count() == 0
        shown = preview.inner_text()
        assert shown.startswith(
            f"Sorry, we cannot bring Pegasus 41 size 42 to Dizengoff Center: {REASON}."
        )
        assert segments_shown(page) == 2 == sms_segments(shown)
        no_sideways_scroll(page)
        assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL
        assert not Message.objects.exists()

        page.locator("button[value=send]").click()
        page.wait_for_url("**/staff/transfers/requests/")
        # "Request #… declined: the customer is being texted the reason …"
        assert "נדחתה" in page.locator(".message--success").inner_text()
    finally:
        page.close()

    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.DECLINED
    sent = Message.objects.get(transfer=transfer)
    assert sent.language == "en" and sent.body == shown
    assert [(text.to, text.body) for text in sms_outbox] == [(CUSTOMER, shown)]
