"""The store inbox pages: who sees what, the order, polling, answering and the race."""

import pytest

from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import Conversation, QuickAnswer
from tests.factories import staff_user

from .conftest import PHONE, inbound, url

pytestmark = pytest.mark.django_db

OTHER = "+972523456789"


@pytest.fixture(autouse=True)
def _sent_at_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def haifa_seller(stores):
    return staff_user(ROLE_SALESPEOPLE, stores[1], username="noa")


@pytest.fixture
def tel_aviv_seller(stores):
    return staff_user(ROLE_SALESPEOPLE, stores[0], username="dana")


def test_inbox_lists_waiting_conversations_first_with_a_masked_number(client, held, haifa_seller):
    inbound(client, "can you keep it until Sunday?")
    client.force_login(haifa_seller)

    page = client.get(url("inbox:inbox")).content.decode()

    assert PHONE not in page
    assert "***" in page or "•" in page or PHONE[-4:] in page
    assert held.variant.product.name in page
    assert "waiting" in page


def test_inbox_of_another_store_shows_nothing_and_refuses_the_conversation(
    client, held, tel_aviv_seller
):
    inbound(client, "hello")
    client.force_login(tel_aviv_seller)
    conversation = Conversation.objects.get()

    assert "No open conversations" in client.get(url("inbox:inbox")).content.decode()
    assert client.get(url("inbox:conversation", conversation.pk)).status_code == 404


def test_staff_menu_counts_conversations_waiting(client, held, haifa_seller):
    inbound(client, "hello", n=1)
    client.force_login(haifa_seller)

    page = client.get(url("inventory:holds")).content.decode()

    assert "1 waiting for an answer" in page


def test_conversation_poll_shows_a_new_message_and_moves_the_last_seen_id(
    client, held, haifa_seller
):
    inbound(client, "hello", n=1)
    conversation = Conversation.objects.get()
    client.force_login(haifa_seller)
    client.get(url("inbox:conversation", conversation.pk))
    inbound(client, "I'm on my way", n=2)

    poll = client.get(
        url("inbox:conversation", conversation.pk), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "I&#x27;m on my way" in poll
    newest = conversation.messages.latest("pk").pk
    assert f'value="{newest}" hx-swap-oob="true"' in poll


def test_conversation_answer_with_a_quick_answer_sends_it_and_shows_the_segments(
    client, held, haifa_seller, outbox
):
    QuickAnswer.objects.create(
        title_he="שמור",
        title_en="Kept",
        text_he="שמור לך עד מחר",
        text_en="It is kept for you until tomorrow.",
    )
    inbound(client, "can you keep it?")
    conversation = Conversation.objects.get()
    client.force_login(haifa_seller)
    page = client.get(url("inbox:conversation", conversation.pk)).content.decode()
    assert 'data-quick="It is kept for you until tomorrow."' in page
    cost = client.get(url("inbox:segments"), {"body": "It is kept for you until tomorrow."})
    assert "1 SMS segment" in cost.content.decode()

    response = client.post(
        url("inbox:answer", conversation.pk),
        {
            "body": "It is kept for you until tomorrow.",
            "last_seen_id": conversation.messages.get().pk,
        },
    )

    assert response.status_code == 302
    assert [s.body for s in outbox] == ["It is kept for you until tomorrow."]


def test_conversation_answer_second_salesperson_sees_the_first_answer_and_keeps_the_draft(
    client, held, haifa_seller, outbox
):
    inbound(client, "do you have 43?")
    conversation = Conversation.objects.get()
    seen = conversation.messages.get().pk
    colleague = staff_user(ROLE_SALESPEOPLE, held.store, username="avi")
    client.force_login(haifa_seller)
    client.post(url("inbox:answer", conversation.pk), {"body": "Yes!", "last_seen_id": seen})
    client.force_login(colleague)

    response = client.post(
        url("inbox:answer", conversation.pk), {"body": "No, sorry", "last_seen_id": seen}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "A new message arrived" in page
    assert "Yes!" in page and "No, sorry</textarea>" in page
    assert [s.body for s in outbox] == ["Yes!"]


def test_conversation_answer_from_another_store_is_refused(client, held, tel_aviv_seller, outbox):
    inbound(client, "hello")
    conversation = Conversation.objects.get()
    client.force_login(tel_aviv_seller)

    response = client.post(url("inbox:answer", conversation.pk), {"body": "Hi", "last_seen_id": 0})

    assert response.status_code == 404
    assert outbox == []


def test_hold_message_opens_a_conversation_from_the_holds_desk(
    client, held, haifa_seller, outbox, settings
):
    settings.QUIET_HOURS = ""
    client.force_login(haifa_seller)
    assert url("inbox:hold_message", held.pk) in client.get(url("inventory:holds")).content.decode()

    response = client.post(url("inbox:hold_message", held.pk), {"body": "Your pair is ready"})

    assert response.status_code == 302
    assert [s.body for s in outbox] == ["Your pair is ready"]
    assert Conversation.objects.get().store == held.store


def test_inbox_in_hebrew_says_who_waits(client, held, haifa_seller):
    inbound(client, "אפשר לשמור עד ראשון?")
    client.force_login(haifa_seller)

    page = client.get("/staff/inbox/").content.decode()

    assert "תיבת הודעות" in page and "ממתינה" in page
    assert 'dir="rtl"' in page


def test_transfer_message_writes_to_the_customer_a_pair_is_brought_for(
    client, stores, haifa_seller, outbox, settings
):
    from tests.factories import TransferFactory

    settings.QUIET_HOURS = ""
    tel_aviv, haifa = stores
    transfer = TransferFactory(
        from_store=tel_aviv, to_store=haifa, status="dispatched", customer_phone=PHONE
    )
    client.force_login(haifa_seller)

    response = client.post(url("inbox:transfer_message", transfer.pk), {"body": "On its way!"})

    assert response.status_code == 302
    assert [s.body for s in outbox] == ["On its way!"]
    conversation = Conversation.objects.get()
    assert (conversation.store, conversation.transfer) == (haifa, transfer)


def test_conversation_admin_lists_conversations_with_masked_numbers(client, held):
    from tests.factories import UserFactory

    inbound(client, "hello")
    conversation = Conversation.objects.get()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    listing = client.get(url("admin:notifications_conversation_changelist")).content.decode()
    page = client.get(url("admin:notifications_conversation_change", conversation.pk))

    assert held.store.name_en in listing or held.store.name_he in listing
    assert page.status_code == 200 and "hello" in page.content.decode()


def test_inbox_query_count_does_not_grow_with_conversations(
    client, stores, haifa_seller, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    haifa = stores[1]
    since = timezone.now() - timedelta(minutes=30)

    def add(n):
        for _ in range(n):
            Conversation.objects.create(
                phone=f"+97250300{Conversation.objects.count():04d}",
                store=haifa,
                status="waiting",
                waiting_since=since,
                last_message_at=since,
            )

    client.force_login(haifa_seller)
    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get(url("inbox:inbox"))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("inbox:inbox")).content.decode()
    assert page.count("staff-card--lapsed") == 22  # 30 minutes open: past the 15-minute target
