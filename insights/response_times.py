"""How fast stores answer their customers: the dashboard's response-time figures.

A customer's message is *answered* by the store's first message after it written by a person
(the closed-hours automatic reply answers nothing). Its *first-response time* is the time
between the two counted within the store's opening hours (`notifications.response_time`),
stored on the message when it is answered. Per store and per day of the customer's message:
how many were answered, the median and the 90th percentile (nearest rank: the smallest time
at least 90% of the answers took no longer than) and the share answered within
`INBOX_RESPONSE_TARGET_MINUTES`. "Waiting now" is every open conversation whose customer
wrote last; its wait is counted the same way, up to now.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from inventory.models import Store
from notifications.models import Conversation, ConversationMessage
from notifications.response_time import open_seconds_between
from notifications.services import response_target_minutes

from .selectors import Period


@dataclass(frozen=True)
class ResponseDay:
    store: Store | None
    day: date
    answered: int
    median_seconds: float
    p90_seconds: float
    within_target: float  # 0..1


@dataclass(frozen=True)
class Waiting:
    conversation: Conversation
    seconds: int  # within opening hours

    @property
    def overdue(self) -> bool:
        """Past the store's own target (`StoreInbox`, else the site's)."""
        return self.seconds > response_target_minutes(self.conversation.store) * 60


@dataclass(frozen=True)
class ResponseTimes:
    days: list[ResponseDay]
    waiting: list[Waiting]  # the longest first
    target_minutes: int

    @property
    def waiting_now(self) -> int:
        return len(self.waiting)

    @property
    def longest_wait(self) -> int | None:
        return self.waiting[0].seconds if self.waiting else None

    @property
    def overdue(self) -> list[Waiting]:
        return [w for w in self.waiting if w.overdue]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value at least `share` of `values` do not exceed."""
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def summarise(store: Store | None, day: date, seconds: Sequence[int]) -> ResponseDay:
    target = settings.INBOX_RESPONSE_TARGET_MINUTES * 60
    return ResponseDay(
        store=store,
        day=day,
        answered=len(seconds),
        median_seconds=median(seconds),
        p90_seconds=percentile(seconds, 0.9),
        within_target=sum(1 for s in seconds if s <= target) / len(seconds),
    )


def response_times(*, period: Period, now: datetime | None = None) -> ResponseTimes:
    """The period's first-response figures per store and day (of the customer's message),
    and the conversations waiting now — for one store or all. Two queries, plus the stores'
    opening hours for the waits."""
    now = now or timezone.now()
    answered = (
        ConversationMessage.objects.filter(
            period.within("created_at"),
            period.at_store("conversation__store"),
            direction=ConversationMessage.Direction.INBOUND,
            response_seconds__isnull=False,
        )
        .select_related("conversation__store")
        .order_by("created_at")
    )
    grouped: dict[tuple[int | None, date], list[int]] = defaultdict(list)
    stores: dict[int | None, Store | None] = {}
    for message in answered:
        store = message.conversation.store
        key = (store.pk if store else None, timezone.localtime(message.created_at).date())
        stores[key[0]] = store
        grouped[key].append(message.response_seconds or 0)
    days = [
        summarise(stores[store_id], day, seconds)
        for (store_id, day), seconds in sorted(
            grouped.items(), key=lambda item: (item[0][1], str(stores[item[0][0]] or ""))
        )
    ]
    return ResponseTimes(days=days, waiting=waiting_now(period, now), target_minutes=_target())


def waiting_now(period: Period, now: datetime) -> list[Waiting]:
    rows = (
        Conversation.objects.filter(
            period.at_store(), status=Conversation.Status.WAITING, waiting_since__isnull=False
        )
        .select_related("store__inbox")
        .prefetch_related("store__hours", "store__special_hours")
    )
    waits = [
        Waiting(c, open_seconds_between(c.store, c.waiting_since, now))
        for c in rows
        if c.waiting_since is not None
    ]
    return sorted(waits, key=lambda w: -w.seconds)


def _target() -> int:
    return int(settings.INBOX_RESPONSE_TARGET_MINUTES)
