"""Acting for a customer from their conversation: the customer pages' own services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demand.views.session import MINE_KEY
from inventory.models import Hold
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import Conversation, ConversationMessage
from tests.factories import HoldFactory, StoreFactory, VariantFactory, put_stock, staff_user
from tests.notifications.conversations.conftest import PHONE, open_hours, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    store = StoreFactory(name_en="Haifa")
    open_hours(store)
    variant = VariantFactory()
    put_stock(store, variant, on_hand=1, reserved=1)
    return HoldFactory(
        store=store,
        variant=variant,
        customer_phone=PHONE,
        status=Hold.Status.ACTIVE,
        purpose=Hold.Purpose.REQUEST,
        ended_at=None,
        notified_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=5),
        language="en",
    )


@pytest.fixture
def conversation(held):
    return Conversation.objects.create(
        phone=PHONE, store=held.store, hold=held, last_message_at=timezone.now()
    )


def test_conversation_act_extends_the_hold_once(client, held, conversation):
    client.force_login(staff_user(ROLE_SALESPEOPLE, held.store, username="noa"))
    act = url("inbox_actions:act", conversation.pk)

    client.post(act, {"action": "extend"})
    held.refresh_from_db()
    first = held.expires_at
    page = client.post(act, {"action": "extend"}, follow=True).content.decode()

    held.refresh_from_db()
    assert held.extended_at is not None and held.expires_at == first
    assert "One more day" not in page  # offered once only


def test_conversation_act_from_another_store_is_refused(client, held, conversation):
    client.force_login(staff_user(ROLE_SALESPEOPLE, StoreFactory(), username="dana"))

    response = client.post(url("inbox_actions:act", conversation.pk), {"action": "release"})

    assert response.status_code == 404
    held.refresh_from_db()
    assert held.status == Hold.Status.ACTIVE


def test_conversation_page_offers_the_actions_for_the_held_pair(client, held, conversation):
    client.force_login(staff_user(ROLE_SALESPEOPLE, held.store, username="noa"))

    page = client.get(url("inbox:conversation", conversation.pk)).content.decode()

    assert "One more day" in page and "Release the pair" in page and "Pick-up time" in page


def test_my_requests_shows_the_conversation_with_the_store(client, held, conversation):
    ConversationMessage.objects.create(
        conversation=conversation,
        direction="in",
        body="keep it until Sunday?",
        created_at=timezone.now(),
    )
    ConversationMessage.objects.create(
        conversation=conversation,
        direction="out",
        body="Sure, until Sunday 20:00",
        created_at=timezone.now(),
    )
    session = client.session
    session[MINE_KEY] = PHONE
    session.save()

    page = client.get("/en/alerts/mine/").content.decode()

    assert "Your messages with Haifa" in page
    assert "keep it until Sunday?" in page and "Sure, until Sunday 20:00" in page
