"""The store inbox in the operator's metrics: each figure moves when its event happens, and no
label carries a customer's number."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.logging import redact
from notifications import services
from notifications.models import Conversation
from tests.factories import UserFactory
from tests.test_metrics import figure, operator, sample, scraped  # noqa: F401

from .conftest import PHONE, inbound

pytestmark = pytest.mark.django_db

STRANGER = "+972523456789"  # nothing open anywhere: no store to route to


@pytest.fixture(autouse=True)
def _counted_at_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _answer(conversation, body="Yes, until Sunday."):
    return services.conversation_answer(
        conversation_id=conversation.pk,
        author=UserFactory(),
        body=body,
        last_seen_id=conversation.messages.latest("pk").pk,
    )


def test_inbound_messages_are_counted_by_channel_and_whether_a_store_got_them(client, held):
    routed = sample("sneakerstock_inbox_inbound_messages_total", channel="sms", routed="yes")
    unrouted = sample("sneakerstock_inbox_inbound_messages_total", channel="whatsapp", routed="no")

    inbound(client, "can you keep it until Sunday?", n=1)
    inbound(client, "can you keep it until Sunday?", n=1)  # the provider's retry: once
    inbound(client, "hi, who is this?", n=2, sender=STRANGER, whatsapp=True)

    assert sample("sneakerstock_inbox_inbound_messages_total", channel="sms", routed="yes") == (
        routed + 1
    )
    assert sample("sneakerstock_inbox_inbound_messages_total", channel="whatsapp", routed="no") == (
        unrouted + 1
    )


def test_first_response_is_observed_once_when_the_store_first_answers(client, held):
    store = held.store.code
    count = sample("sneakerstock_inbox_first_response_seconds_count", store=store)
    total = sample("sneakerstock_inbox_first_response_seconds_sum", store=store)
    inbound(client, "can you keep it until Sunday?")
    conversation = Conversation.objects.get()
    asked = conversation.messages.get()
    asked.created_at = timezone.now() - timedelta(minutes=5)
    asked.save(update_fields=["created_at"])

    _answer(conversation)
    _answer(conversation, "And the box too.")  # answers nothing new: not observed again

    asked.refresh_from_db()
    assert asked.response_seconds is not None and 295 <= asked.response_seconds <= 400
    after = sample("sneakerstock_inbox_first_response_seconds_count", store=store)
    assert after == count + 1
    assert sample("sneakerstock_inbox_first_response_seconds_sum", store=store) == (
        total + asked.response_seconds
    )
    within_15 = sample("sneakerstock_inbox_first_response_seconds_bucket", store=store, le="900.0")
    assert within_15 >= 1


def test_inbox_figures_give_conversations_waiting_and_the_longest_wait_per_store(
    operator,  # noqa: F811
    client,
    held,
    stores,
):
    inbound(client, "can you keep it until Sunday?")
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(
        waiting_since=timezone.now() - timedelta(minutes=10)
    )
    haifa, tel_aviv = held.store.code, stores[0].code

    waiting = scraped(operator)

    assert figure(waiting, "sneakerstock_inbox_waiting", store=haifa) == 1
    assert figure(waiting, "sneakerstock_inbox_longest_wait_seconds", store=haifa) >= 600
    assert figure(waiting, "sneakerstock_inbox_waiting", store=tel_aviv) == 0
    assert figure(waiting, "sneakerstock_inbox_longest_wait_seconds", store=tel_aviv) == 0

    conversation.refresh_from_db()
    _answer(conversation)
    answered = scraped(operator)

    assert figure(answered, "sneakerstock_inbox_waiting", store=haifa) == 0
    assert figure(answered, "sneakerstock_inbox_longest_wait_seconds", store=haifa) == 0


def test_inbox_metrics_carry_no_number(operator, client, held):  # noqa: F811
    inbound(client, "can you keep it until Sunday?", n=1)
    inbound(client, "hi, who is this?", n=2, sender=STRANGER, whatsapp=True)
    _answer(Conversation.objects.get(phone=PHONE))

    text = scraped(operator)

    assert "sneakerstock_inbox_waiting" in text
    for phone in (PHONE, STRANGER):
        assert phone not in text and phone[4:] not in text
    labels = " ".join(re.findall(r"\{[^}]*\}", text))
    assert redact(labels) == labels and not re.search(r"\d{7}", labels)
