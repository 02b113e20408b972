"""Twilio's callbacks: signature first, then the event, once."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from demand.models import WaitlistEntry
from notifications.models import Message, OptOut
from tests.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "test-auth-token"
PHONE = "+972502345678"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def signed_post(client, name, params, token=TOKEN):
    url = "http://testserver" + reverse(name)
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(reverse(name), params, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_message(**kwargs):
    defaults = {
        "recipient": PHONE,
        "body": "x",
        "purpose": "other",
        "status": "sent",
        "idempotency_key": "k1",
        "provider_id": "SM" + "a" * 32,
    }
    return Message.objects.create(**{**defaults, **kwargs})


def test_status_callback_signed_updates_the_status(client):
    message = sent_message()
    response = signed_post(
        client,
        "sms_webhooks:status",
        {"MessageSid": message.provider_id, "MessageStatus": "delivered"},
    )
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at


def test_status_callback_unsigned_or_forged_is_forbidden(client):
    message = sent_message()
    params = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert client.post(reverse("sms_webhooks:status"), params).status_code == 403
    assert (
        signed_post(client, "sms_webhooks:status", params, token="someone-else").status_code == 403
    )
    message.refresh_from_db()
    assert message.status == "sent"


def test_status_callback_get_is_not_allowed(client):
    assert client.get(reverse("sms_webhooks:status")).status_code == 405


def test_status_callback_repeated_or_late_changes_nothing(client):
    message = sent_message()
    for status in ("delivered", "delivered", "sent"):
        signed_post(
            client,
            "sms_webhooks:status",
            {"MessageSid": message.provider_id, "MessageStatus": status},
        )
    message.refresh_from_db()
    assert message.status == "delivered"


def test_status_callback_undelivered_keeps_the_code_and_21610_opts_out(client):
    message = sent_message()
    signed_post(
        client,
        "sms_webhooks:status",
        {"MessageSid": message.provider_id, "MessageStatus": "undelivered", "ErrorCode": "21610"},
    )
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("undelivered", "21610")
    assert OptOut.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize("word", ["STOP", "stop", "הסר", "עצור", " Stop. "])
def test_inbound_stop_opts_out_and_cancels_waiting_alerts(client, word):
    entry = WaitlistEntryFactory(phone=PHONE)
    response = signed_post(
        client, "sms_webhooks:inbound", {"MessageSid": "SM" + "b" * 32, "From": PHONE, "Body": word}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert OptOut.objects.filter(phone=PHONE, source="reply").exists()
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "cancelled"


def test_inbound_start_opts_back_in_and_replies(client, outbox):
    OptOut.objects.create(phone=PHONE, source="reply")
    signed_post(
        client,
        "sms_webhooks:inbound",
        {"MessageSid": "SM" + "c" * 32, "From": PHONE, "Body": "START"},
    )
    assert not OptOut.objects.exists()
    assert len(outbox) == 1 and outbox[0].to == PHONE


def test_inbound_help_replies_in_hebrew_to_a_hebrew_keyword(client, outbox):
    signed_post(
        client,
        "sms_webhooks:inbound",
        {"MessageSid": "SM" + "d" * 32, "From": PHONE, "Body": "עזרה"},
    )
    assert "STOP" in outbox[0].body and "התראות" in outbox[0].body


def test_inbound_same_message_twice_is_handled_once(client, outbox):
    params = {"MessageSid": "SM" + "e" * 32, "From": PHONE, "Body": "HELP"}
    signed_post(client, "sms_webhooks:inbound", params)
    signed_post(client, "sms_webhooks:inbound", params)
    assert len(outbox) == 1


def test_inbound_unsigned_is_forbidden(client):
    response = client.post(
        reverse("sms_webhooks:inbound"), {"MessageSid": "SM1", "From": PHONE, "Body": "STOP"}
    )
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_webhooks_are_outside_the_language_prefix():
    assert reverse("sms_webhooks:status") == "/sms/status/"
    assert reverse("sms_webhooks:inbound") == "/sms/inbound/"
