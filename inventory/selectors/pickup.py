"""Pick-up slots: when a customer can come for a held pair, inside the store's opening hours.

Slots are offered for every day the pair is held, from today (Israel time) to the day the hold
runs out — so the day "one more day" adds has its times too. They are `PICKUP_SLOT_MINUTES`
long from the opening time (the last one may be shorter, up to closing), each starting after
now and before the hold runs out. A date's hours are `inventory.selectors.hours`'s answer, so
holidays, holiday eves and the store's own dates count. The page that offers them and the
service that books one both ask here, so a slot the page did not offer is never booked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Store
from .hours import DayHours, opening_hours_between, opening_hours_on

# However long a hold is, the page lists at most this many days.
PICKUP_MAX_DAYS = 7


def slot_value(start: datetime) -> str:
    """A slot as a form sends it back: its local start, to the minute."""
    return timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class PickupSlot:
    start: datetime
    end: datetime

    @property
    def value(self) -> str:
        return slot_value(self.start)


@dataclass(frozen=True)
class PickupDay:
    day: date
    is_today: bool
    is_tomorrow: bool
    open: bool  # the store opens that day at all
    slots: list[PickupSlot]  # the ones the customer can still choose
    hours: DayHours
    # Why a day the store opens offers fewer times: "passed" (every time is behind us), or
    # "held_until" (the hold runs out before the store closes that day).
    cut: str = ""
    until: datetime | None = None  # when the hold runs out


def _slots_of(hours: DayHours) -> list[PickupSlot]:
    if hours.opens is None or hours.closes is None:
        return []
    zone = timezone.get_current_timezone()
    length = timedelta(minutes=max(settings.PICKUP_SLOT_MINUTES, 15))
    start = datetime.combine(hours.day, hours.opens, tzinfo=zone)
    closes = datetime.combine(hours.day, hours.closes, tzinfo=zone)
    slots = []
    while start < closes:
        slots.append(PickupSlot(start=start, end=min(start + length, closes)))
        start += length
    return slots


def store_day_slots(store: Store, day: date) -> list[PickupSlot]:
    """Every slot of `day` at `store` (none on a day it is closed)."""
    return _slots_of(opening_hours_on(store, day))


def _last_day(today: date, until: datetime) -> date:
    # A hold that runs out at midnight holds nothing of that day.
    last = timezone.localdate(until - timedelta(microseconds=1))
    return min(max(last, today), today + timedelta(days=PICKUP_MAX_DAYS - 1))


def pickup_slots(*, store: Store, until: datetime, now: datetime | None = None) -> list[PickupDay]:
    """The slots at `store` a customer whose pair is held until `until` can still choose, for
    each day from today to the hold's last day: each starts after `now` and before `until`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = []
    for hours in opening_hours_between(store, today, _last_day(today, until)):
        every = _slots_of(hours)
        offered = [s for s in every if now < s.start < until]
        cut = ""
        if any(s.start >= until for s in every):
            cut = "held_until"
        elif every and not offered:
            cut = "passed"
        days.append(
            PickupDay(
                day=hours.day,
                is_today=hours.day == today,
                is_tomorrow=hours.day == today + timedelta(days=1),
                open=bool(every),
                slots=offered,
                hours=hours,
                cut=cut,
                until=until,
            )
        )
    return days


def pickup_slot_at(days: list[PickupDay], start: datetime) -> PickupSlot | None:
    """The offered slot starting at `start`, if there is one."""
    return next((slot for day in days for slot in day.slots if slot.start == start), None)
