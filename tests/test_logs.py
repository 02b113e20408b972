"""No log line, at any level, carries a till key, a confirmation code, a signed link or a
customer's full number — over a whole journey, with DEBUG on."""

import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from inventory.tills import till_token_create
from notifications.backends import locmem
from notifications.models import Message
from tests.factories import StoreFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_LOCAL, PHONE = "050-234-5678", "+972502345678"


def test_a_whole_journey_logs_no_secret(caplog, settings):
    settings.DEBUG = True
    locmem.outbox.clear()
    store, variant = StoreFactory(code="TLV"), VariantFactory()
    _token, key = till_token_create(store=store, name="till 1")
    customer = Client()
    with caplog.at_level(logging.DEBUG):
        signup = f"{reverse('demand:signup')}?variant={variant.pk}&store={store.pk}"
        customer.post(
            signup,
            {"variant": variant.pk, "store": store.pk, "phone": PHONE_LOCAL, "language": "en"},
        )
        code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
        customer.post(reverse("demand:confirm"), {"code": code})
        till = Client()
        # A till that sends the wrong scheme: django-ninja logs the whole header.
        till.get("/api/v1/till", headers={"authorization": f"Token {key}"})
        receipt = {
            "lines": [{"type": "receipt", "sku": variant.sku, "quantity": 1, "reference": "R-1"}]
        }
        answer = till.post(
            "/api/v1/movements",
            json.dumps(receipt),
            content_type="application/json",
            headers={"authorization": f"Bearer {key}"},
        )
        assert answer.status_code == 200
        hold_text = Message.objects.get(purpose="hold_ready")
        link = re.search(r"https?://\S+", hold_text.body).group(0)
        customer.get(link.split("8000", 1)[-1])
        logging.getLogger("tests.journey").info("customer %s texted at %s", PHONE, link)

    logged = caplog.text
    assert logged, "the journey logged nothing: the check would be empty"
    assert key not in logged and key.partition(".")[2] not in logged
    assert code not in logged
    assert link.rsplit("/", 1)[-1] not in logged
    assert PHONE not in logged and PHONE_LOCAL not in logged
