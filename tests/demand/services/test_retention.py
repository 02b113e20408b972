"""Retention: finished alerts, their numbers and texts go; opt-outs stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demand import services
from demand.models import WaitlistEntry
from inventory.models import Hold
from notifications.models import ConfirmedNumber, Message, OptOut, PhoneVerification
from tests.factories import ConfirmedNumberFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_retention_purge_deletes_what_finished_long_ago(settings):
    settings.ALERT_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    old = WaitlistEntryFactory(phone="+972502345678", status="cancelled", ended_at=long_ago)
    waiting = WaitlistEntryFactory(phone="+972523456789")
    Message.objects.create(
        recipient=old.phone, body="x", purpose="other", idempotency_key="old", status="delivered"
    )
    Message.objects.create(
        recipient=waiting.phone,
        body="x",
        purpose="other",
        idempotency_key="keep",
        status="delivered",
    )
    Message.objects.update(created_at=long_ago)
    ConfirmedNumberFactory(phone=old.phone, last_used_at=long_ago)
    ConfirmedNumberFactory(phone=waiting.phone, last_used_at=long_ago)
    OptOut.objects.create(phone=old.phone, source="reply")
    PhoneVerification.objects.create(
        phone=old.phone, code_hash="x", expires_at=timezone.now() - timedelta(days=2)
    )
    PhoneVerification.objects.update(created_at=timezone.now() - timedelta(days=2))

    counts = services.retention_purge()

    assert list(WaitlistEntry.objects.all()) == [waiting]
    # The waiting customer's texts carry the link to cancel: they stay.
    assert list(Message.objects.values_list("idempotency_key", flat=True)) == ["keep"]
    assert list(ConfirmedNumber.objects.values_list("phone", flat=True)) == [waiting.phone]
    assert OptOut.objects.filter(phone=old.phone).exists()  # honoured for good
    assert not PhoneVerification.objects.exists()
    assert counts["entries"] == 1 and counts["texts"] == 1


def test_retention_purge_blanks_numbers_on_old_ended_waitlist_holds(store, variant):
    hold = Hold.objects.create(
        store=store,
        variant=variant,
        purpose="waitlist",
        customer_phone="+972502345678",
        status="expired",
        ended_at=timezone.now() - timedelta(days=400),
    )
    services.retention_purge()
    hold.refresh_from_db()
    assert hold.customer_phone == ""


LONG_AGO_DAYS = 400
PHONE = "+972502345678"


def long_ago():
    return timezone.now() - timedelta(days=LONG_AGO_DAYS)


def test_retention_purge_deletes_unconfirmed_sign_ups_after_a_day(variant, store):
    pending = WaitlistEntryFactory(status="pending", activated_at=None)
    WaitlistEntry.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    fresh = WaitlistEntryFactory(status="pending", activated_at=None)
    services.retention_purge()
    assert list(WaitlistEntry.objects.all()) == [fresh]


def test_retention_purge_deletes_handled_webhook_ids(settings):
    from notifications.models import ProcessedWebhook

    old = ProcessedWebhook.objects.create(key="old")
    ProcessedWebhook.objects.filter(pk=old.pk).update(received_at=long_ago())
    ProcessedWebhook.objects.create(key="new")
    assert services.retention_purge()["webhooks"] == 1
    assert list(ProcessedWebhook.objects.values_list("key", flat=True)) == ["new"]


def test_retention_purge_deletes_consent_records_with_their_number():
    from notifications import services as messaging
    from notifications.models import ConsentRecord

    shown = messaging.Consent(page="/alerts/", language="he", service="words")
    for phone in (PHONE, "+972523456789"):
        messaging.consent_record(phone=phone, consent=shown, channel="sms", by_code=True)
    ConsentRecord.objects.update(given_at=long_ago())
    ConfirmedNumberFactory(phone="+972523456789")  # still confirmed: its consent is kept
    counts = services.retention_purge()
    assert list(ConsentRecord.objects.values_list("phone", flat=True)) == ["+972523456789"]
    assert counts["consents"] == 1


def test_retention_purge_forgets_old_whatsapp_state_of_numbers_gone():
    from notifications.models import WhatsAppNumber

    WhatsAppNumber.objects.create(phone=PHONE, last_inbound_at=long_ago())
    WhatsAppNumber.objects.create(phone="+972523456789", last_inbound_at=timezone.now())
    services.retention_purge()
    assert list(WhatsAppNumber.objects.values_list("phone", flat=True)) == ["+972523456789"]


def test_retention_purge_keeps_old_opt_outs_by_their_keyed_hash_only(outbox):
    from core.phones import phone_key
    from notifications import services as messaging

    old = OptOut.objects.create(phone=PHONE, source="reply")
    OptOut.objects.filter(pk=old.pk).update(created_at=long_ago())
    recent = OptOut.objects.create(phone="+972523456789", source="reply")
    services.retention_purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.phone == "" and old.phone_key == phone_key(PHONE)
    assert recent.phone == "+972523456789"
    assert messaging.is_opted_out(PHONE)  # still never texted
    text = messaging.message_create(
        recipient=PHONE, purpose="other", idempotency_key="after", body="hello"
    )
    text.refresh_from_db()
    assert text.status == "failed" and outbox == []


def test_retention_purge_strips_the_customer_from_old_ended_request_holds(store, variant):
    old = Hold.objects.create(
        store=store,
        variant=variant,
        purpose="request",
        customer_phone=PHONE,
        customer_name="Dana",
        status="collected",
        ended_at=long_ago(),
    )
    recent = Hold.objects.create(
        store=store,
        variant=variant,
        purpose="request",
        customer_phone=PHONE,
        customer_name="Dana",
        status="collected",
        ended_at=timezone.now(),
    )
    services.retention_purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.customer_phone, old.customer_name) == ("", "")
    assert recent.customer_phone == PHONE


def test_retention_purge_strips_the_customer_from_old_finished_transfers():
    from inventory.models import Transfer
    from tests.factories import TransferFactory

    old = TransferFactory(customer_phone=PHONE, customer_name="Dana", status="received")
    Transfer.objects.filter(pk=old.pk).update(requested_at=long_ago())
    moving = TransferFactory(customer_phone=PHONE, customer_name="Dana", status="dispatched")
    Transfer.objects.filter(pk=moving.pk).update(requested_at=long_ago())
    services.retention_purge()
    old.refresh_from_db()
    moving.refresh_from_db()
    assert (old.customer_phone, old.customer_name) == ("", "")
    assert moving.customer_phone == PHONE  # still on its way to the customer


def test_retention_purge_deletes_the_privacy_audit_after_its_own_period(settings):
    from notifications.models import PhoneReveal, PrivacyRequest
    from tests.factories import UserFactory

    settings.PRIVACY_AUDIT_RETENTION_DAYS = 365
    user = UserFactory(is_staff=True)
    for when in (long_ago(), timezone.now() - timedelta(days=100)):
        request = PrivacyRequest.objects.create(kind="erasure", phone_key="k", masked="+9725•")
        reveal = PhoneReveal.objects.create(
            user=user, phone_key="k", masked="+9725•", subject="hold #1", reason="call"
        )
        PrivacyRequest.objects.filter(pk=request.pk).update(created_at=when)
        PhoneReveal.objects.filter(pk=reveal.pk).update(created_at=when)
    counts = services.retention_purge()
    assert (counts["privacy_requests"], counts["reveals"]) == (1, 1)
    assert PrivacyRequest.objects.count() == 1 and PhoneReveal.objects.count() == 1


def test_retention_purge_deletes_quiet_conversations_and_their_message_bodies(settings):
    from notifications.models import Conversation, ConversationMessage

    settings.ALERT_RETENTION_DAYS = 30
    now = timezone.now()
    old = Conversation.objects.create(
        phone="+972502345678", last_message_at=now - timedelta(days=31), status="closed"
    )
    ConversationMessage.objects.create(
        conversation=old, direction="in", body="my address is…", created_at=old.last_message_at
    )
    recent = Conversation.objects.create(phone="+972523456789", last_message_at=now)
    ConversationMessage.objects.create(
        conversation=recent, direction="in", body="on my way", created_at=now
    )

    services.retention_purge()

    assert list(Conversation.objects.all()) == [recent]
    assert list(ConversationMessage.objects.values_list("body", flat=True)) == ["on my way"]
