"""Conversations: a shop with opening hours, a customer's held pair, signed inbound posts."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation
from twilio.request_validator import RequestValidator

from inventory.models import Hold, StoreHours
from tests.factories import HoldFactory, StoreFactory, VariantFactory

TOKEN = "test-auth-token"
PHONE = "+972502345678"


def url(name: str, *args) -> str:
    """A staff page's address in English (under /en/), whatever the last request spoke."""
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture(autouse=True)
def _token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def open_hours(store, opens: str = "00:00", closes: str = "23:59") -> None:
    for weekday in range(7):
        StoreHours.objects.update_or_create(
            store=store,
            weekday=weekday,
            defaults={"opens": time.fromisoformat(opens), "closes": time.fromisoformat(closes)},
        )


def sid(n: int, prefix: str = "SM") -> str:
    return f"{prefix}{n:032x}"


def inbound(client, body: str, *, n: int = 1, sender: str = PHONE, whatsapp=False, **extra):
    """Post a reply the way Twilio does, signed."""
    params = {
        "MessageSid": sid(n, "MM" if extra.get("NumMedia") else "SM"),
        "From": f"whatsapp:{sender}" if whatsapp else sender,
        "To": "whatsapp:+14155238886" if whatsapp else "+972531234567",
        "Body": body,
        **extra,
    }
    url = "http://testserver" + reverse("sms_webhooks:inbound")
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    return client.post(reverse("sms_webhooks:inbound"), params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def stores():
    tel_aviv = StoreFactory(name_en="Tel Aviv", name_he="תל אביב")
    haifa = StoreFactory(name_en="Haifa", name_he="חיפה")
    open_hours(tel_aviv)
    open_hours(haifa)
    return tel_aviv, haifa


@pytest.fixture
def held(stores):
    """The customer's pair held at Haifa."""
    return HoldFactory(
        store=stores[1],
        variant=VariantFactory(),
        customer_phone=PHONE,
        status=Hold.Status.ACTIVE,
        ended_at=None,
        purpose=Hold.Purpose.REQUEST,
        language="en",
    )
