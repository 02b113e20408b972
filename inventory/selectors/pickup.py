"""Pick-up slots: when a customer can come for a held pair, inside the store's opening hours.

Slots are offered for today and tomorrow (Israel time), `PICKUP_SLOT_MINUTES` long from the
opening time (the last one may be shorter, up to closing), each starting after now and before
the hold runs out. The page that offers them and the service that books one both ask here, so
a slot the page did not offer is never booked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Store, StoreHours

PICKUP_DAYS = 2  # today and tomorrow


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
    open: bool  # the store opens that day at all
    slots: list[PickupSlot]


def store_day_slots(
    store: Store, day: date, week: list[StoreHours] | None = None
) -> list[PickupSlot]:
    """Every slot of `day` at `store` (none on a day it is closed); `week`: its hours, if
    already read."""
    week = list(store.hours.all()) if week is None else week
    hours = next((h for h in week if h.weekday == StoreHours.weekday_of(day)), None)
    if hours is None:
        return []
    zone = timezone.get_current_timezone()
    length = timedelta(minutes=max(settings.PICKUP_SLOT_MINUTES, 15))
    start = datetime.combine(day, hours.opens, tzinfo=zone)
    closes = datetime.combine(day, hours.closes, tzinfo=zone)
    slots = []
    while start < closes:
        slots.append(PickupSlot(start=start, end=min(start + length, closes)))
        start += length
    return slots


def pickup_slots(*, store: Store, until: datetime, now: datetime | None = None) -> list[PickupDay]:
    """Today's and tomorrow's slots at `store` a customer whose pair is held until `until`
    can still choose: each starts after `now` and before `until`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week = list(store.hours.all())
    days = []
    for offset in range(PICKUP_DAYS):
        day = today + timedelta(days=offset)
        every = store_day_slots(store, day, week)
        days.append(
            PickupDay(
                day=day,
                is_today=offset == 0,
                open=bool(every),
                slots=[s for s in every if now < s.start < until],
            )
        )
    return days


def pickup_slot_at(days: list[PickupDay], start: datetime) -> PickupSlot | None:
    """The offered slot starting at `start`, if there is one."""
    return next((slot for day in days for slot in day.slots if slot.start == start), None)
