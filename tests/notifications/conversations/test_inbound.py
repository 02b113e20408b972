"""A reply that is not a keyword opens or continues the number's conversation with a store."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Conversation, ConversationMessage, Message, OptOut
from tests.factories import StoreFactory, TransferFactory, VariantFactory, WaitlistEntryFactory

from .conftest import PHONE, inbound, open_hours

pytestmark = pytest.mark.django_db


def test_inbound_reply_opens_a_conversation_at_the_store_of_the_open_hold(client, held):
    response = inbound(client, "can you keep it until Sunday?")

    assert response.status_code == 200
    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.store == held.store
    assert conversation.hold == held
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.language == "en"
    assert [m.body for m in conversation.messages.all()] == ["can you keep it until Sunday?"]


def test_inbound_second_reply_continues_the_same_conversation(client, held):
    inbound(client, "שלום", n=1)
    inbound(client, "אני בדרך", n=2)

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.messages.count() == 2
    assert conversation.language == "he"


def test_inbound_same_message_sid_twice_is_kept_once(client, held):
    inbound(client, "do you have it in 43?", n=7)
    inbound(client, "do you have it in 43?", n=7)

    assert ConversationMessage.objects.count() == 1


def test_inbound_reply_goes_to_the_destination_of_an_open_bring_request(client, stores):
    tel_aviv, haifa = stores
    TransferFactory(from_store=haifa, to_store=tel_aviv, status="requested", customer_phone=PHONE)

    inbound(client, "when does it arrive?")

    assert Conversation.objects.get(phone=PHONE).store == tel_aviv


def test_inbound_reply_goes_to_the_store_of_a_waiting_alert(client, stores):
    tel_aviv, _haifa = stores
    entry = WaitlistEntryFactory(phone=PHONE, store=tel_aviv, language="en")

    inbound(client, "any news?")

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.store == tel_aviv
    assert conversation.subject.startswith(entry.variant.product.name)


def test_inbound_reply_without_anything_open_goes_to_the_store_of_the_latest_text(
    client, stores, held
):
    held.status = "collected"
    held.save()
    Message.objects.create(
        recipient=PHONE, body="held", purpose="pair_held", idempotency_key="k", hold=held
    )

    inbound(client, "thanks!")

    assert Conversation.objects.get(phone=PHONE).store == held.store


def test_inbound_keywords_still_work_and_open_no_conversation(client, held):
    inbound(client, "STOP", n=1)

    assert OptOut.objects.filter(phone=PHONE).exists()
    assert not Conversation.objects.exists()


def test_inbound_whatsapp_photo_is_kept_as_a_link_and_the_answer_channel_is_whatsapp(client, held):
    link = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    inbound(client, "this one?", whatsapp=True, NumMedia="1", MediaUrl0=link)

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.channel == "whatsapp"
    assert conversation.messages.get().media == [link]


def test_inbound_flood_keeps_the_first_messages_and_drops_the_rest(client, held, settings):
    settings.INBOX_FLOOD_LIMIT = 3

    for n in range(1, 8):
        inbound(client, f"spam {n}", n=n)

    bodies = [m.body for m in Conversation.objects.get(phone=PHONE).messages.all()]
    assert bodies == ["spam 1", "spam 2", "spam 3"]


def test_inbound_outside_opening_hours_auto_replies_once_per_closed_period(client, stores):
    closed = StoreFactory(name_en="Eilat", name_he="אילת")
    now = timezone.localtime()
    # Opens one hour from now every day, until two hours from now: closed now.
    opens = (now + timedelta(hours=1)).strftime("%H:%M")
    closes = (now + timedelta(hours=2)).strftime("%H:%M")
    if opens > closes:  # the window would cross midnight: open only before it
        opens, closes = "00:01", (now - timedelta(minutes=1)).strftime("%H:%M")
    open_hours(closed, opens, closes)
    from tests.factories import HoldFactory

    HoldFactory(
        store=closed,
        variant=VariantFactory(),
        customer_phone=PHONE,
        status="active",
        ended_at=None,
        language="en",
    )

    inbound(client, "hello?", n=1)
    inbound(client, "anyone?", n=2)

    replies = Message.objects.filter(recipient=PHONE, purpose=Message.Purpose.AUTO_REPLY)
    assert replies.count() == 1
    assert "Eilat is closed now" in replies.get().body
    assert "your pair stays held" in replies.get().body
    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.messages.filter(automatic=True).count() == 1


def test_media_links_keeps_only_https_links_and_fetches_nothing():
    from django.http import QueryDict

    from notifications.webhooks import media_links

    post = QueryDict(mutable=True)
    post.update(
        {
            "NumMedia": "3",
            "MediaUrl0": "https://api.twilio.com/Media/ME1",
            "MediaUrl1": "http://example.com/x.jpg",
            "MediaUrl2": "javascript:alert(1)",
        }
    )

    assert media_links(post) == ["https://api.twilio.com/Media/ME1"]
    post["NumMedia"] = "lots"
    assert media_links(post) == []


def test_inbound_conversation_without_a_store_goes_to_one_once_something_opens(client, stores):
    inbound(client, "hello?", n=1)
    assert Conversation.objects.get().store is None
    tel_aviv, _haifa = stores
    TransferFactory(from_store=_haifa, to_store=tel_aviv, status="requested", customer_phone=PHONE)

    inbound(client, "I asked for a pair to Tel Aviv", n=2)

    assert Conversation.objects.get().store == tel_aviv
