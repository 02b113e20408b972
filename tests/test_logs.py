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


@pytest.mark.django_db
def test_a_forbidden_page_logs_one_line_without_a_traceback(client):
    """A 403 is the visitor's, not a fault: the console shows Django's one line, no traceback."""
    from io import StringIO

    from core.logging import ClientErrorsWithoutTraceback
    from tests.factories import UserFactory

    (console,) = [
        handler
        for handler in logging.getLogger("django").handlers
        if any(isinstance(f, ClientErrorsWithoutTraceback) for f in handler.filters)
    ]
    seen = StringIO()
    previous = console.setStream(seen)
    try:
        client.force_login(UserFactory(is_staff=True))
        assert client.get(reverse("insights:dashboard")).status_code == 403
    finally:
        console.setStream(previous)
    assert "Forbidden" in seen.getvalue()
    assert "Traceback" not in seen.getvalue()


def test_client_errors_lose_their_traceback_and_server_errors_keep_it():
    from core.logging import ClientErrorsWithoutTraceback

    def record(status: int) -> logging.LogRecord:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            import sys

            made = logging.LogRecord(
                "django.request", logging.WARNING, "", 0, "x", None, sys.exc_info()
            )
        made.status_code = status
        return made

    forbidden, failed = record(403), record(500)
    assert ClientErrorsWithoutTraceback().filter(forbidden) and forbidden.exc_info is None
    assert ClientErrorsWithoutTraceback().filter(failed) and failed.exc_info is not None


def test_system_checks_raise_no_warning_a_newcomer_would_see():
    from django.core import checks

    shown = [m for m in checks.run_checks(databases=["default"]) if not m.is_silenced()]
    assert [m.id for m in shown if m.level >= checks.WARNING] == []
