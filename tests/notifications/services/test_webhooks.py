"""Delivery reports and customers' keywords, as the services see them (the views check the
signature first: tests/notifications/test_webhooks.py)."""

import pytest

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold
from notifications import services
from notifications.models import Conversation, Message, OptOut
from tests.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


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


def test_message_status_update_unknown_status_or_message_changes_nothing():
    message = sent_message()
    assert not services.message_status_update(provider_id=message.provider_id, status="weird")
    assert not services.message_status_update(provider_id="SM" + "f" * 32, status="delivered")
    assert not services.message_status_update(provider_id="", status="delivered")
    message.refresh_from_db()
    assert message.status == "sent"


def test_message_status_update_applies_once_and_never_moves_back():
    message = sent_message()
    assert services.message_status_update(provider_id=message.provider_id, status="Delivered")
    assert not services.message_status_update(provider_id=message.provider_id, status="delivered")
    assert not services.message_status_update(provider_id=message.provider_id, status="sent")
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at


def test_message_status_update_undelivered_hold_text_gives_the_pair_to_the_next_person(
    store, variant, outbox
):
    first, second = (
        WaitlistEntryFactory(store=store, variant=variant),
        WaitlistEntryFactory(store=store, variant=variant),
    )
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    text = Message.objects.get(
        hold_id=WaitlistEntry.objects.get(pk=first.pk).hold_id, purpose="hold_ready"
    )
    assert text.status == "sent"

    services.message_status_update(
        provider_id=text.provider_id, status="undelivered", error_code="30003"
    )

    assert WaitlistEntry.objects.get(pk=first.pk).status == "lapsed"
    assert Hold.objects.get(pk=text.hold_id).status == "released"
    assert WaitlistEntry.objects.get(pk=second.pk).status == "held"
    assert [m.to for m in outbox] == [first.phone, second.phone]


def test_message_inbound_stop_opts_out_once_per_provider_message():
    entry = WaitlistEntryFactory(phone=PHONE)
    assert (
        services.message_inbound(provider_id="SM1", sender="050-234-5678", body="stop!") == "stop"
    )
    assert services.message_inbound(provider_id="SM1", sender=PHONE, body="STOP") is None
    assert OptOut.objects.get(phone=PHONE).source == "reply"
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "cancelled"


def test_message_inbound_start_replies_even_to_a_number_that_had_opted_out(outbox):
    OptOut.objects.create(phone=PHONE, source="reply")
    assert services.message_inbound(provider_id="SM2", sender=PHONE, body="START") == "start"
    assert not services.is_opted_out(PHONE)
    assert [m.to for m in outbox] == [PHONE]


def test_message_inbound_help_from_an_opted_out_number_gets_no_reply(outbox):
    OptOut.objects.create(phone=PHONE, source="reply")
    assert services.message_inbound(provider_id="SM3", sender=PHONE, body="HELP") == "help"
    assert outbox == []


def test_message_inbound_other_words_join_the_conversation_and_opt_nobody_out(outbox):
    assert (
        services.message_inbound(provider_id="SM4", sender=PHONE, body="Thanks!") == "conversation"
    )
    assert outbox == [] and not OptOut.objects.exists()
    assert Conversation.objects.get(phone=PHONE).messages.get().body == "Thanks!"
