"""The store answers: on the customer's channel, once, never over a colleague's answer."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from notifications import services
from notifications.models import (
    Conversation,
    ConversationMessage,
    Message,
    OptOut,
    WhatsAppNumber,
    WhatsAppTemplate,
)
from tests.factories import UserFactory

from .conftest import PHONE, inbound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sent_at_commit(monkeypatch):
    """The test's transaction never commits: what a service queues after commit (the send)
    runs at once, as the commit would run it."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _latest_id(conversation):
    return conversation.messages.latest("pk").pk


def test_conversation_answer_sends_by_sms_and_stops_the_wait(client, held, outbox):
    inbound(client, "can you keep it until Sunday?")
    conversation = Conversation.objects.get(phone=PHONE)
    dana = UserFactory(username="dana")

    services.conversation_answer(
        conversation_id=conversation.pk,
        author=dana,
        body="Yes, until Sunday 20:00.",
        last_seen_id=_latest_id(conversation),
    )

    assert [(s.to, s.body, s.channel) for s in outbox] == [
        (PHONE, "Yes, until Sunday 20:00.", "sms")
    ]
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ANSWERED
    asked = conversation.messages.get(direction="in")
    assert asked.answered_at is not None and asked.response_seconds is not None


def test_conversation_answer_on_whatsapp_inside_the_window_is_free_form(client, held, outbox):
    inbound(client, "is it the white one?", whatsapp=True)
    conversation = Conversation.objects.get(phone=PHONE)

    services.conversation_answer(
        conversation_id=conversation.pk,
        author=None,
        body="Yes, white.",
        last_seen_id=_latest_id(conversation),
    )

    assert [(s.channel, s.body, s.content_sid) for s in outbox] == [("whatsapp", "Yes, white.", "")]


def test_conversation_answer_on_whatsapp_outside_the_window_uses_the_template(client, held, outbox):
    inbound(client, "is it the white one?", whatsapp=True)
    WhatsAppNumber.objects.update(last_inbound_at=timezone.now() - timedelta(hours=25))
    WhatsAppTemplate.objects.create(
        purpose="answer",
        language="en",
        content_sid="HX" + "1" * 32,
        variables={"1": "store", "2": "text"},
        text="A message from {{1}}: {{2}}",
        approved=True,
    )
    conversation = Conversation.objects.get(phone=PHONE)

    services.conversation_answer(
        conversation_id=conversation.pk,
        author=None,
        body="Yes, white.",
        last_seen_id=_latest_id(conversation),
    )

    sent = outbox[-1]
    assert sent.channel == "whatsapp"
    assert sent.content_sid == "HX" + "1" * 32
    assert sent.content_variables == {"1": "Haifa", "2": "Yes, white."}


def test_conversation_answer_after_a_colleagues_answer_is_refused_with_it(client, held, outbox):
    inbound(client, "do you have it in 43?")
    conversation = Conversation.objects.get(phone=PHONE)
    seen = _latest_id(conversation)
    dana, yossi = UserFactory(username="dana"), UserFactory(username="yossi")
    services.conversation_answer(
        conversation_id=conversation.pk, author=dana, body="Yes, in 43.", last_seen_id=seen
    )

    with pytest.raises(services.StaleConversation) as refused:
        services.conversation_answer(
            conversation_id=conversation.pk, author=yossi, body="No, sorry.", last_seen_id=seen
        )

    assert [m.body for m in refused.value.newer] == ["Yes, in 43."]
    assert [s.body for s in outbox] == ["Yes, in 43."]


def test_conversation_answer_posted_twice_sends_once(client, held, outbox):
    inbound(client, "on my way")
    conversation = Conversation.objects.get(phone=PHONE)
    seen = _latest_id(conversation)
    dana = UserFactory(username="dana")

    for _ in range(2):
        services.conversation_answer(
            conversation_id=conversation.pk, author=dana, body="See you!", last_seen_id=seen
        )

    assert [s.body for s in outbox] == ["See you!"]


def test_conversation_answer_to_an_opted_out_number_is_refused(client, held, outbox):
    inbound(client, "hello")
    OptOut.objects.create(phone=PHONE, source="reply")
    conversation = Conversation.objects.get(phone=PHONE)

    with translation.override("en"), pytest.raises(services.AlertError, match="cannot be messaged"):
        services.conversation_answer(
            conversation_id=conversation.pk,
            author=None,
            body="Hi!",
            last_seen_id=_latest_id(conversation),
        )

    assert outbox == []
    assert not Message.objects.filter(purpose="answer").exists()


def test_conversation_start_from_a_hold_opens_a_conversation_at_its_store(held, outbox, settings):
    settings.QUIET_HOURS = ""

    services.conversation_start(
        hold=held, author=None, body="Your pair is ready, we close at 21:00"
    )

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.store == held.store and conversation.hold == held
    assert conversation.status == Conversation.Status.ANSWERED
    assert [s.body for s in outbox] == ["Your pair is ready, we close at 21:00"]


def test_conversation_close_refuses_a_waiting_one_and_closes_an_answered_one(client, held):
    inbound(client, "thanks")
    conversation = Conversation.objects.get(phone=PHONE)
    with pytest.raises(services.AlertError):
        services.conversation_close(conversation_id=conversation.pk, user=None)
    services.conversation_answer(
        conversation_id=conversation.pk,
        author=None,
        body="You're welcome",
        last_seen_id=_latest_id(conversation),
    )

    services.conversation_close(conversation_id=conversation.pk, user=None)
    inbound(client, "one more thing", n=2)

    assert Conversation.objects.filter(phone=PHONE).count() == 2
    assert ConversationMessage.objects.filter(body="one more thing").get().conversation.status == (
        "waiting"
    )
