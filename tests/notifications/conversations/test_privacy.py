"""Conversations under the privacy rules: in the customer's "My data" and gone with it, numbers
masked for staff (revealed on asking), and no answer to a number that may not be texted."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from demand.views.session import MINE_KEY
from inventory.models import Hold
from notifications import services
from notifications.models import Conversation, ConversationMessage, Message
from reviews.models import Rating
from tests.factories import UserFactory

from .conftest import PHONE, inbound

pytestmark = pytest.mark.django_db

OTHER = "+972523456789"


@pytest.fixture(autouse=True)
def _sent_at_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def he(name, *args):
    with translation.override("he"):
        return reverse(name, args=args)


def talked(client, held):
    """The held pair's customer asks, the store answers; another number asks too."""
    inbound(client, "can you keep it until Sunday?", n=1)
    inbound(client, "do you have it in 43?", n=2, sender=OTHER)
    conversation = Conversation.objects.get(phone=PHONE)
    services.conversation_answer(
        conversation_id=conversation.pk,
        author=UserFactory(username="noa"),
        body="Yes, until Sunday 20:00.",
        last_seen_id=conversation.messages.latest("pk").pk,
    )
    return conversation


def mine(client, phone=PHONE):
    session = client.session
    session[MINE_KEY] = phone
    session.save()
    return client


def test_my_data_download_has_the_numbers_conversations_and_nothing_of_another(
    client, held, outbox
):
    talked(client, held)

    data = json.loads(mine(client).get(he("demand:my_data_download", "json")).content)

    sections = {section["key"]: section["rows"] for section in data["sections"]}
    [opened] = sections["conversations"]
    assert opened["store"] == str(held.store) and opened["status"] == "answered"
    said = [(row["direction"], row["text"]) for row in sections["conversation_messages"]]
    assert said == [("in", "can you keep it until Sunday?"), ("out", "Yes, until Sunday 20:00.")]
    assert all(
        row["store"] == str(held.store) and row["sent_at"]
        for row in sections["conversation_messages"]
    )
    dump = json.dumps(data, ensure_ascii=False)
    assert "43?" not in dump and OTHER not in dump
    table = client.get(he("demand:my_data_download", "csv")).content.decode()
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert ["conversation_messages", "1", "text", "can you keep it until Sunday?"] in rows
    assert "43?" not in table
    page = client.get(he("demand:my_data")).content.decode()
    assert "can you keep it until Sunday?" in page and "Yes, until Sunday 20:00." in page


def test_number_erase_deletes_the_numbers_conversations_their_messages_and_rating(
    client, held, outbox
):
    conversation = talked(client, held)
    services.conversation_close(conversation_id=conversation.pk, user=None)
    Rating.objects.get_or_create(
        conversation=conversation,
        defaults={"store": held.store, "interaction": "conversation", "score": 2, "language": "en"},
    )
    # The pair was collected: nothing to release (no stock was put behind the fixture's hold).
    Hold.objects.filter(pk=held.pk).update(status=Hold.Status.COLLECTED)

    erased = services.number_erase(phone=PHONE)

    assert erased.counts["conversations"] == 1 and erased.counts["conversation_messages"] == 2
    assert not Conversation.objects.filter(phone=PHONE).exists()
    assert not ConversationMessage.objects.filter(body__contains="Sunday").exists()
    assert not Rating.objects.filter(interaction="conversation").exists()
    assert ConversationMessage.objects.filter(body="do you have it in 43?").exists()
    sections = {s.key: s.rows for s in services.number_data(phone=PHONE)}
    assert sections["conversations"] == [] and sections["conversation_messages"] == []
    assert not Message.objects.filter(recipient=PHONE).exists()
