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
from inventory.permissions import ROLE_SALESPEOPLE
from notifications import services
from notifications.models import Conversation, ConversationMessage, Message, PhoneReveal
from reviews.models import Rating
from tests.factories import HoldFactory, UserFactory, staff_user

from .conftest import PHONE, inbound, url

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


def test_conversation_page_masks_the_number_and_its_stores_staff_reveal_it_on_asking(
    client, held, stores
):
    inbound(client, "can you keep it until Sunday?")
    conversation = Conversation.objects.get()
    client.force_login(staff_user(ROLE_SALESPEOPLE, held.store, username="noa"))

    page = client.get(url("inbox:conversation", conversation.pk)).content.decode()
    listing = client.get(url("inbox:inbox")).content.decode()

    assert PHONE not in page and PHONE not in listing
    link = reverse(
        "notifications:phone_reveal", kwargs={"kind": "conversation", "pk": conversation.pk}
    )
    assert f'href="{link}?next=' in page
    shown = client.post(link, {"reason": "to call about her held pair"}).content.decode()
    assert f'href="tel:{PHONE}"' in shown
    reveal = PhoneReveal.objects.get()
    assert reveal.subject == f"notifications.conversation #{conversation.pk}"
    # Another store's salesperson neither gets the link nor the number.
    client.force_login(staff_user(ROLE_SALESPEOPLE, stores[0], username="dana"))
    assert client.get(link).status_code == 403


def test_conversation_admin_masks_numbers_and_links_the_reveal_for_those_allowed(client, held):
    inbound(client, "hello")
    conversation = Conversation.objects.get()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    link = reverse(
        "notifications:phone_reveal", kwargs={"kind": "conversation", "pk": conversation.pk}
    )

    listing = client.get(url("admin:notifications_conversation_changelist")).content.decode()
    page = client.get(
        url("admin:notifications_conversation_change", conversation.pk)
    ).content.decode()

    assert PHONE not in listing and PHONE not in page
    assert link in listing and link in page


def test_erased_number_cannot_be_answered_or_messaged_from_the_inbox(client, held, outbox):
    inbound(client, "can you keep it until Sunday?", n=1)
    Hold.objects.filter(pk=held.pk).update(status=Hold.Status.COLLECTED)
    services.number_erase(phone=PHONE)
    # She writes again after her data was deleted: head office holds it (nothing routes it).
    inbound(client, "hello?", n=2)
    conversation = Conversation.objects.get(phone=PHONE)
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    queued = Message.objects.count()

    page = client.get(url("inbox:conversation", conversation.pk)).content.decode()
    answer = client.post(
        url("inbox:answer", conversation.pk),
        {"body": "Hi!", "last_seen_id": conversation.messages.latest("pk").pk},
    )

    assert "cannot be answered or messaged" in page and 'name="body"' not in page
    assert answer.status_code == 400
    assert "asked for no more texts" in answer.content.decode()
    assert not conversation.messages.filter(direction="out").exists()
    # Nobody can answer it, so it may be closed while it waits.
    client.post(url("inbox:close", conversation.pk))
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    # Staff start a text from a new hold of hers: refused the same way.
    again = HoldFactory(
        store=held.store, customer_phone=PHONE, status=Hold.Status.ACTIVE, ended_at=None
    )
    client.force_login(staff_user(ROLE_SALESPEOPLE, held.store, username="noa"))
    started = client.post(url("inbox:hold_message", again.pk), {"body": "Your pair is ready"})
    assert started.status_code == 400 and "asked for no more texts" in started.content.decode()
    assert Message.objects.count() == queued and outbox == []
