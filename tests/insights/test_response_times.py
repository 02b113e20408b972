"""The dashboard's response times: what the store inbox recorded, recomputed from the raw
messages, counted within opening hours."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from insights.response_times import median, percentile, response_times
from insights.selectors import Period
from notifications import services
from notifications.models import ConversationMessage
from notifications.response_time import open_seconds_between
from notifications.routing import Route
from tests.factories import StoreFactory, UserFactory
from tests.notifications.conversations.conftest import open_hours, url

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 11, 3).date()  # a Tuesday


@pytest.fixture(autouse=True)
def _no_texts(monkeypatch, settings):
    """The figures are about the conversation rows; what the texts do is the outbox's."""
    settings.INBOX_AUTO_REPLY = False
    monkeypatch.setattr("notifications.services.answers.message_create", _fake_text)


def _fake_text(**kwargs):
    return None


def at(hour: int, minute: int = 0, day=DAY):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
        hour=hour, minute=minute
    )


def _exchange(phone: str, asked, answered, n: int) -> None:
    services.conversation_inbound(
        message=services.Inbound(phone=phone, channel="sms", provider_id=f"SM{n:032x}", body="?"),
        now=asked,
    )
    if answered is not None:
        conversation = ConversationMessage.objects.get(provider_id=f"SM{n:032x}").conversation
        services.conversation_answer(
            conversation_id=conversation.pk,
            author=None,
            body="!",
            last_seen_id=conversation.messages.latest("pk").pk,
            now=answered,
        )
        services.conversation_close(conversation_id=conversation.pk, user=None)


def _recomputed(store):
    """From the raw rows: each customer message and the store's first answer after it."""
    seconds = []
    for message in ConversationMessage.objects.filter(
        direction="in", conversation__store=store
    ).select_related("conversation"):
        answer = (
            ConversationMessage.objects.filter(
                conversation=message.conversation,
                direction="out",
                automatic=False,
                created_at__gte=message.created_at,
            )
            .order_by("created_at")
            .first()
        )
        if answer is not None:
            seconds.append(open_seconds_between(store, message.created_at, answer.created_at))
    return seconds


@pytest.fixture
def store(monkeypatch):
    store = StoreFactory(name_en="Haifa")
    open_hours(store, "10:00", "20:00")
    # A customer's routing finds nothing else: every conversation is this store's.
    monkeypatch.setattr(
        "notifications.services.conversations.route_reply",
        lambda phone: Route(store),
    )
    return store


def test_response_times_equal_those_recomputed_from_the_raw_messages(store):
    answers = [(11, 0, 11, 4), (12, 0, 12, 30), (13, 0, 13, 10), (14, 0, 14, 2), (15, 0, 16, 0)]
    for n, (h1, m1, h2, m2) in enumerate(answers):
        _exchange(f"+9725023456{n:02d}", at(h1, m1), at(h2, m2), n)
    # Written at night, answered five minutes after opening: five minutes.
    _exchange("+972502345690", at(7, 30), at(10, 5), 90)

    figures = response_times(period=Period(start=DAY, end=DAY, store=store), now=at(21))

    raw = _recomputed(store)
    [day] = figures.days
    assert day.answered == len(raw) == 6
    assert day.median_seconds == median(raw)
    assert day.p90_seconds == percentile(raw, 0.9) == 3600
    assert day.within_target == sum(1 for s in raw if s <= 15 * 60) / len(raw)
    assert sorted(raw)[:2] == [120, 240] and 300 in raw


def test_response_times_waiting_now_counts_only_opening_hours(store):
    _exchange("+972502345601", at(19, 50), None, 1)
    _exchange("+972502345602", at(12, 0), at(12, 1), 2)

    figures = response_times(
        period=Period(start=DAY, end=DAY, store=store), now=at(10, 20, DAY + timedelta(days=1))
    )

    assert figures.waiting_now == 1
    assert figures.longest_wait == 30 * 60  # 10 minutes before closing, 20 after opening
    assert [w.conversation.phone for w in figures.overdue] == ["+972502345601"]


def test_cx_dashboard_shows_response_times_and_who_waits_too_long(client, store):
    now = timezone.now()
    _exchange("+972502345601", now - timedelta(days=3), None, 1)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(url("insights:dashboard")).content.decode()

    assert "How fast stores answer" in page
    assert "1 conversation waiting now" in page
    assert "past the target" in page
