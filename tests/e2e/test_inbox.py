"""The store inbox on a phone, in a real headless browser, in Hebrew.

A customer answers our text. A Haifa salesperson, on a 390 px phone, has the inbox open: the
reply appears without a reload; she opens it, taps a quick answer, sees its SMS segments,
sends it, and gives the customer's pair one more day from the conversation. Head office's
dashboard then counts the answer.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from inventory.models import Hold
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import QuickAnswer
from tests.e2e.helpers import DESKTOP, PHONE, log_in, serious_violations
from tests.factories import (
    HoldFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
    staff_user,
)
from tests.notifications.conversations.conftest import open_hours

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
pytest.importorskip("axe_playwright_python")

CUSTOMER = "+972502345678"
TOKEN = "e2e-auth-token"


def customer_writes(body: str) -> None:
    params = {"MessageSid": "SM" + "e" * 32, "From": CUSTOMER, "To": "+972531234567", "Body": body}
    url = "http://testserver/sms/inbound/"
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    response = Client().post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200


def no_sideways_scroll(page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width == viewport == PHONE["width"]


def test_inbox_shows_a_reply_without_reload_and_a_quick_answer_goes(
    live_server, browser, settings, sms_outbox
):
    settings.SITE_URL = live_server.url
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.INBOX_POLL_SECONDS = 1
    haifa = StoreFactory(name_en="Haifa", name_he="חיפה")
    open_hours(haifa)
    variant = VariantFactory()
    put_stock(haifa, variant, on_hand=1, reserved=1)
    hold = HoldFactory(
        store=haifa,
        variant=variant,
        customer_phone=CUSTOMER,
        status=Hold.Status.ACTIVE,
        purpose=Hold.Purpose.REQUEST,
        ended_at=None,
        notified_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=5),
    )
    QuickAnswer.objects.create(
        title_he="שמור",
        title_en="Kept",
        text_he="הזוג שמור לך עד מחר בערב.",
        text_en="Kept for you until tomorrow.",
    )
    staff_user(ROLE_SALESPEOPLE, haifa, username="noa")

    page = log_in(browser, live_server.url, "noa", "/staff/inbox/", viewport=PHONE)
    try:
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#inbox-list").inner_text().strip() == "אין שיחות פתוחות."

        customer_writes("אפשר לשמור עד מחר?")
        page.locator("#inbox-list a").first.wait_for()  # no reload: the list asked for it
        assert "ממתינה" in page.locator("#inbox-list").inner_text()
        no_sideways_scroll(page)

        assert serious_violations(page) == []

        page.locator("#inbox-list a").first.click()
        assert "אפשר לשמור עד מחר?" in page.locator("#conversation-thread").inner_text()
        assert serious_violations(page) == []
        page.get_by_role("button", name="שמור", exact=True).click()
        assert page.locator("#answer-body").input_value() == "הזוג שמור לך עד מחר בערב."
        page.locator("#answer-cost").get_by_text("מקטע SMS אחד").wait_for()
        no_sideways_scroll(page)
        page.get_by_role("button", name="שליחה").click()
        page.get_by_text("התשובה נשלחה.").wait_for()
        assert [(s.to, s.body) for s in sms_outbox] == [(CUSTOMER, "הזוג שמור לך עד מחר בערב.")]

        page.locator("summary", has_text="פעולות עבור הלקוח").click()
        page.get_by_role("button", name="עוד יום").click()
        page.get_by_text("הזוג נשמר יום נוסף.").wait_for()
        hold.refresh_from_db()
        assert hold.extended_at is not None
    finally:
        page.close()

    UserFactory(username="boss", is_staff=True, is_superuser=True)
    dashboard = log_in(browser, live_server.url, "boss", "/staff/cx/", viewport=DESKTOP)
    try:
        section = dashboard.locator("#response-times").inner_text()
        assert "כמה מהר הסניפים עונים" in section
        assert "0 שיחות ממתינות עכשיו" in section
        assert "חיפה" in section  # the day's row: one message answered
    finally:
        dashboard.close()
