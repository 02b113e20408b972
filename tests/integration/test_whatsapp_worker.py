"""WhatsApp beside SMS through a real Celery worker, Redis and Postgres; only Twilio is faked.

The customer chose WhatsApp; a restock holds a pair and the worker sends its approved template
to "whatsapp:+972…", or free-form inside the 24-hour window, or by SMS when WhatsApp cannot
take it. Twilio's callbacks arrive signed, as in production.
"""

import json
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold
from notifications import services
from notifications.models import Message, OptOut, WhatsAppNumber
from notifications.whatsapp_templates import SUGGESTED, whatsapp_templates_load
from tests.factories import (
    ConfirmedNumberFactory,
    ProductFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    WaitlistEntryFactory,
)
from tests.integration.conftest import TWILIO_ENV, wait_until
from tests.integration.twilio_fake import Answer

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972503100001"
HOLD_SID = "HX" + "a" * 32


@pytest.fixture
def pair():
    store = StoreFactory(
        name_he="קניון עזריאלי תל אביב", name_en="Azrieli Center Mall", phone="03-5551234"
    )
    variant = VariantFactory(product=ProductFactory(name="Air Zoom Pegasus 41 Shield"))
    return store, variant


@pytest.fixture
def templates():
    whatsapp_templates_load(
        content_sids={(t.purpose, t.language): HOLD_SID for t in SUGGESTED}, approved=True
    )


def waiting_on_whatsapp(store, variant, phone=PHONE):
    ConfirmedNumberFactory(phone=phone, channel="whatsapp")
    entry = WaitlistEntryFactory(store=store, variant=variant, phone=phone)
    WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(hours=1))
    return entry


def statuses():
    return Counter(Message.objects.values_list("status", flat=True))


def signed_post(path, params):
    url = f"http://testserver{path}"
    signature = RequestValidator(TWILIO_ENV["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    return Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_hold_text_goes_as_the_approved_template_and_its_read_reaches_the_desk(
    worker, twilio, pair, templates
):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    [request] = twilio.wait_for(1)
    wait_until(lambda: statuses() == {"sent": 1}, what="the WhatsApp text marked sent")
    form = request.form
    assert form["To"] == f"whatsapp:{PHONE}"
    assert form["ContentSid"] == HOLD_SID and "Body" not in form
    assert form["MessagingServiceSid"] == TWILIO_ENV["TWILIO_MESSAGING_SERVICE_SID"]
    assert form["StatusCallback"] == "https://sole.example/sms/status/"
    variables = json.loads(form["ContentVariables"])
    assert variables["1"] == "Air Zoom Pegasus 41 Shield"  # whole: no segments to save
    assert variables["3"] == "קניון עזריאלי תל אביב" and variables["5"] == "03-5551234"
    assert variables["6"].startswith("https://sole.example/a/")
    assert twilio.outside_window == []
    message = Message.objects.get()
    assert message.channel == "whatsapp" and message.provider_id == request.sid

    for status in ("delivered", "read", "read"):  # Twilio repeats callbacks
        response = signed_post(
            "/sms/status/",
            {"MessageSid": request.sid, "MessageStatus": status, "AccountSid": "AC1"},
        )
        assert response.status_code == 204
    message.refresh_from_db()
    hold = Hold.objects.get()
    assert message.status == "delivered" and message.read_at is not None
    assert hold.text_read_at == message.read_at

    manager = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(manager)
    desk = client.get("/en/staff/holds/", {"store": store.pk}).content.decode()
    read_at = timezone.localtime(message.read_at).strftime("%H:%M")
    assert f"read at {read_at}" in desk


def test_inside_the_window_a_free_form_message_goes(worker, twilio, pair):
    ConfirmedNumberFactory(phone=PHONE, channel="whatsapp")
    response = signed_post(
        "/sms/inbound/",
        {
            "MessageSid": "SM" + "c" * 32,
            "From": f"whatsapp:{PHONE}",
            "Body": "שלום",
            "AccountSid": "AC1",
        },
    )
    assert response.status_code == 200
    twilio.customer_wrote(PHONE)
    assert WhatsAppNumber.objects.get(phone=PHONE).last_inbound_at is not None
    services.message_create(
        recipient=PHONE, purpose="other", idempotency_key="free", body="הזוג שלך מחכה"
    )

    [request] = twilio.wait_for(1)
    assert request.form["To"] == f"whatsapp:{PHONE}"
    assert request.form["Body"] == "הזוג שלך מחכה" and "ContentSid" not in request.form
    assert twilio.outside_window == []


def test_outside_the_window_without_a_template_the_text_goes_by_sms(worker, twilio, pair):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    [request] = twilio.wait_for(1)
    wait_until(lambda: statuses() == {"sent": 1}, what="the SMS")
    assert request.form["To"] == PHONE and "Air Zoom" in request.form["Body"]
    assert Message.objects.get().channel == "sms"
    assert twilio.outside_window == []


def test_a_number_not_on_whatsapp_gets_one_sms_and_is_remembered(worker, twilio, pair, templates):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    twilio.fail_for(f"whatsapp:{PHONE}", 400, 63003)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: statuses() == {"failed": 1, "sent": 1}, what="the SMS fallback")
    assert [(r.form["To"], r.answered) for r in twilio.requests] == [
        (f"whatsapp:{PHONE}", 400),
        (PHONE, 201),
    ]
    assert "Air Zoom" in twilio.requests[1].form["Body"]
    fallback = Message.objects.get(status="sent")
    assert fallback.channel == "sms" and fallback.hold is not None
    assert Hold.objects.get().status == "active"  # the customer was told: the pair waits
    assert WhatsAppNumber.objects.get(phone=PHONE).not_on_whatsapp_at is not None


def test_63003_reported_by_the_status_callback_also_falls_back_once(
    worker, twilio, pair, templates
):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    [request] = twilio.wait_for(1)
    wait_until(lambda: statuses() == {"sent": 1}, what="the WhatsApp text")
    for _ in range(2):
        signed_post(
            "/sms/status/",
            {
                "MessageSid": request.sid,
                "MessageStatus": "failed",
                "ErrorCode": "63003",
                "AccountSid": "AC1",
            },
        )

    wait_until(lambda: len(twilio.accepted) == 2, what="the SMS fallback")
    assert twilio.accepted[1].form["To"] == PHONE
    wait_until(lambda: statuses() == {"failed": 1, "sent": 1}, what="one SMS")
    assert len(twilio.requests) == 2


def test_63016_is_not_retried_and_not_sent_by_sms(worker, twilio, pair, templates):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    twilio.fail_for(f"whatsapp:{PHONE}", 400, 63016)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: statuses() == {"failed": 1}, what="the failed text")
    message = Message.objects.get()
    assert (message.error_code, message.attempts, message.channel) == ("63016", 1, "whatsapp")
    assert len(twilio.requests) == 1


def test_whatsapp_transient_errors_retry_then_send_once(worker, twilio, pair, templates):
    store, variant = pair
    waiting_on_whatsapp(store, variant)
    twilio.script(Answer(503), Answer(429))
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: statuses() == {"sent": 1}, what="the text after two errors")
    assert [r.answered for r in twilio.requests] == [503, 429, 201]
    assert {r.form["To"] for r in twilio.requests} == {f"whatsapp:{PHONE}"}
    assert Message.objects.get().attempts == 3


@pytest.mark.parametrize("word", ["STOP", "הסרה"])
def test_stop_on_whatsapp_opts_out_of_both_channels(worker, twilio, pair, word):
    store, variant = pair
    entry = waiting_on_whatsapp(store, variant)
    response = signed_post(
        "/sms/inbound/",
        {
            "MessageSid": f"SM{word.encode().hex()[:32]:0<32}",
            "From": f"whatsapp:{PHONE}",
            "Body": word,
            "AccountSid": "AC1",
        },
    )
    assert response.status_code == 200
    assert OptOut.objects.filter(phone=PHONE).exists()
    entry.refresh_from_db()
    assert entry.status == "cancelled"
    late = services.message_create(
        recipient=PHONE, purpose="other", idempotency_key="late", body="one more", channel="sms"
    )
    wait_until(
        lambda: Message.objects.get(pk=late.pk).status == "failed", what="an SMS refused too"
    )
    assert twilio.requests == []
