"""How long a customer waited for the store, counted within the store's opening hours.

A message that arrives at night and is answered at 10:05 by a store opening at 10:00 waited
five minutes: the store could not have answered sooner. A conversation with no store (head
office's inbox) counts every minute. The store's hours are `inventory.selectors.hours`'.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from inventory.models import Store
from inventory.selectors.hours import opening_hours_between

# Beyond this, a wait is counted in full: reading months of opening hours helps nobody.
_LONGEST = timedelta(days=31)


def open_seconds_between(store: Store | None, start: datetime, end: datetime) -> int:
    """Seconds from `start` to `end` during which `store` was open (all of them without a
    store, or past `_LONGEST`). Never negative."""
    if end <= start:
        return 0
    if store is None or end - start > _LONGEST:
        return int((end - start).total_seconds())
    first, last = timezone.localtime(start), timezone.localtime(end)
    total = 0.0
    for day in opening_hours_between(store, first.date(), last.date()):
        if day.opens is None or day.closes is None:
            continue
        tz = first.tzinfo
        opens = datetime.combine(day.day, day.opens, tzinfo=tz)
        closes = datetime.combine(day.day, day.closes, tzinfo=tz)
        overlap = min(closes, last) - max(opens, first)
        total += max(0.0, overlap.total_seconds())
    return int(total)


def next_opening(store: Store, now: datetime) -> datetime | None:
    """When `store` opens next if it is closed at `now` (None while it is open, or when it
    opens on none of the next 14 days)."""
    local = timezone.localtime(now)
    for day in opening_hours_between(store, local.date(), local.date() + timedelta(days=14)):
        if day.opens is None or day.closes is None:
            continue
        opens = timezone.make_aware(datetime.combine(day.day, day.opens))
        closes = timezone.make_aware(datetime.combine(day.day, day.closes))
        if opens <= now < closes:
            return None
        if now < opens:
            return opens
    return None
