"""A customer waiting longer than the store's target: its manager is told, once per wait."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Conversation, Message, StoreInbox

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def _waiting(store, minutes: int) -> Conversation:
    since = timezone.now() - timedelta(minutes=minutes)
    return Conversation.objects.create(
        phone=PHONE, store=store, status="waiting", waiting_since=since, last_message_at=since
    )


def test_conversations_overdue_alert_texts_the_manager_once_past_the_stores_target(stores):
    haifa = stores[1]
    StoreInbox.objects.create(store=haifa, response_target_minutes=30, alert_phone="+972502223344")
    conversation = _waiting(haifa, 45)

    assert services.conversations_overdue_alert() == [conversation.pk]
    assert services.conversations_overdue_alert() == []

    [alert] = Message.objects.filter(purpose="staff_alert")
    assert alert.recipient == "+972502223344"
    assert "חיפה" in alert.body and f"/staff/inbox/{conversation.pk}/" in alert.body


def test_conversations_overdue_alert_waits_for_the_stores_own_target(stores):
    haifa = stores[1]
    StoreInbox.objects.create(store=haifa, response_target_minutes=60, alert_phone="+972502223344")
    _waiting(haifa, 45)

    assert services.conversations_overdue_alert() == []
    assert not Message.objects.exists()


def test_conversations_overdue_alert_without_a_managers_mobile_only_marks_it(stores):
    conversation = _waiting(stores[1], 45)  # the site's 15 minutes

    assert services.conversations_overdue_alert() == [conversation.pk]
    assert not Message.objects.exists()
