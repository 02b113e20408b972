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
