"""Twilio's callbacks: signature first, then the event, once."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from demand.models import WaitlistEntry
from notifications.models import Message, OptOut, ProcessedWebhook
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


def _written():
    return (
        ProcessedWebhook.objects.count(),
        OptOut.objects.count(),
        Message.objects.count(),
    )


@pytest.mark.parametrize(
    "params",
    [
        {"MessageSid": "SM" + "1" * 32, "From": "+97250\x002345678", "Body": "STOP"},
        {"MessageSid": "SM" + "2" * 32, "From": "5" * 10_000, "Body": "HELP"},
        {"MessageSid": "SM\x00", "From": PHONE, "Body": "STOP"},
        {"MessageSid": "SM" + "3" * 32, "From": "abc", "Body": "HELP"},
        {"MessageSid": "SM" + "4" * 32, "Body": "HELP"},
        {"MessageSid": "SM" + "5" * 32, "From": "", "Body": "START"},
        {"MessageSid": "SM1", "From": PHONE, "Body": "STOP"},
        {"MessageSid": "SM" + "6" * 32, "From": PHONE, "Body": "STOP\x00"},
        {"MessageSid": "SM" + "7" * 32, "From": PHONE, "Body": "x" * 1601},
        {"MessageSid": "SM" + "8" * 32, "From": PHONE, "To": "<script>", "Body": "STOP"},
    ],
    ids=[
        "nul-from",
        "long-from",
        "nul-sid",
        "word-from",
        "no-from",
        "empty-from",
        "short-sid",
        "nul-body",
        "long-body",
        "bad-to",
    ],
)
def test_inbound_signed_with_bad_fields_is_refused_and_changes_nothing(client, outbox, params):
    response = signed_post(client, "sms_webhooks:inbound", params)
    assert response.status_code == 400
    assert b"Refused" in response.content
    assert _written() == (0, 0, 0)
    assert not outbox


def test_inbound_bad_fields_with_a_bad_signature_stay_forbidden(client):
    params = {"MessageSid": "SM\x00", "From": "abc", "Body": "STOP"}
    response = signed_post(client, "sms_webhooks:inbound", params, token="someone-else")
    assert response.status_code == 403
    assert _written() == (0, 0, 0)


def test_inbound_on_whatsapp_with_our_number_and_an_mms_sid_is_handled(client):
    params = {
        "MessageSid": "MM" + "A" * 32,
        "From": f"whatsapp:{PHONE}",
        "To": "whatsapp:+14155238886",
        "Body": "STOP",
    }
    assert signed_post(client, "sms_webhooks:inbound", params).status_code == 200
    assert OptOut.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"MessageSid": "SM\x00", "MessageStatus": "delivered"},
        {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered\x00"},
        {"MessageSid": "SM" + "a" * 32, "MessageStatus": "x" * 10_000},
        {"MessageSid": "SM" + "a" * 32, "MessageStatus": "undelivered", "ErrorCode": "x" * 100},
        {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered", "To": "abc"},
        {"MessageSid": "", "MessageStatus": "delivered"},
    ],
    ids=["nul-sid", "nul-status", "long-status", "bad-error-code", "bad-to", "no-sid"],
)
def test_status_callback_signed_with_bad_fields_is_refused_and_changes_nothing(client, params):
    message = sent_message()
    response = signed_post(client, "sms_webhooks:status", params)
    assert response.status_code == 400
    assert _written() == (0, 0, 1)
    message.refresh_from_db()
    assert message.status == "sent" and not message.error_code


def test_status_callback_with_twilios_usual_fields_is_handled(client):
    message = sent_message()
    params = {
        "MessageSid": message.provider_id,
        "SmsSid": message.provider_id,
        "MessageStatus": "delivered",
        "To": PHONE,
        "From": "+14155238886",
        "AccountSid": "AC" + "0" * 32,
    }
    assert signed_post(client, "sms_webhooks:status", params).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"
