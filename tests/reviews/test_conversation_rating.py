"""Rating how the store answered: invited when staff close the conversation, counted with
the store's other ratings."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from notifications import services
from notifications.models import Conversation, Message
from reviews.models import Rating
from tests.factories import StoreFactory
from tests.notifications.conversations.conftest import PHONE, open_hours

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sent_at_commit(monkeypatch, settings):
    settings.QUIET_HOURS = ""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _answered_and_closed():
    store = StoreFactory(name_en="Haifa", name_he="חיפה")
    open_hours(store)
    conversation = Conversation.objects.create(
        phone=PHONE, store=store, language="en", status="answered", last_message_at=timezone.now()
    )
    services.conversation_inbound(
        message=services.Inbound(phone=PHONE, channel="sms", provider_id="SM" + "1" * 32, body="?")
    )
    services.conversation_answer(
        conversation_id=conversation.pk,
        author=None,
        body="Yes!",
        last_seen_id=conversation.messages.latest("pk").pk,
    )
    services.conversation_close(conversation_id=conversation.pk, user=None)
    conversation.refresh_from_db()
    return conversation


def test_conversation_close_invites_the_customer_to_rate_the_answers():
    _answered_and_closed()

    invite = Message.objects.get(purpose="rating_invite")
    assert invite.recipient == PHONE
    assert "how did Haifa answer you?" in invite.body.replace("\u2067", "").replace("\u2069", "")
    assert "/r/c/" in invite.body


def test_rate_conversation_records_a_rating_for_the_store_once(client):
    conversation = _answered_and_closed()
    with translation.override("en"):
        link = reverse(
            "reviews:rate_conversation",
            kwargs={
                "token": Message.objects.get(purpose="rating_invite")
                .body.split("/r/c/")[1]
                .split("/")[0]
            },
        )

    page = client.get(link).content.decode()
    assert "You wrote to Haifa" in page
    client.post(link, {"score": "2", "comment": "slow"})
    again = client.post(link, {"score": "5"}).content.decode()

    rating = Rating.objects.get()
    assert (rating.conversation, rating.store, rating.score) == (
        conversation,
        conversation.store,
        2,
    )
    assert rating.interaction == "conversation" and rating.needs_callback
    assert "already rated" in again
