"""When a store is open on a given date: the one answer the pick-up slots, the stores page and
anything else that reads a date's hours share.

In order, the first that applies:
1. a date the store set in "dates with other hours" (`StoreSpecialHours`): its hours, or closed;
2. a yom tov (`inventory.holiday_calendar`; Independence Day is an ordinary day for shops):
   closed;
3. a yom tov's eve, on a weekday the store opens: its usual opening time, closing at its Friday
   closing time — or `HOLIDAY_EVE_CLOSES` if it does not open on Fridays — whichever is earlier;
4. the weekday's `StoreHours` row; a weekday without one is closed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from ..holiday_calendar import yom_tov_eve_of, yom_tov_name
from ..models import Store, StoreHours, StoreSpecialHours

UPCOMING_DAYS = 14  # how far ahead the stores page lists dates with other hours


@dataclass(frozen=True)
class DayHours:
    day: date
    opens: time | None  # None: closed all day
    closes: time | None
    # Why the day differs from its weekday: "set" (the store's own date), "holiday", "eve";
    # "" for an ordinary day.
    why: str = ""
    note: str = ""  # the store's own note for the date
    holiday: str = ""  # the yom tov that day, in the current language
    eve_of: str = ""  # the holiday that begins that evening

    @property
    def is_open(self) -> bool:
        return self.opens is not None and self.closes is not None

    @property
    def span(self) -> str:
        """ "10:00–14:00", or "" on a day the store is closed."""
        if self.opens is None or self.closes is None:
            return ""
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def label(self) -> str:
        """What the day is, for a customer: the store's note, the holiday, or its eve."""
        if self.note:
            return self.note
        if self.holiday:
            return self.holiday
        if self.eve_of:
            return _("Eve of %(holiday)s") % {"holiday": self.eve_of}
        return ""


def _day_hours(
    day: date, week: dict[int, StoreHours], special: dict[date, StoreSpecialHours]
) -> DayHours:
    usual = week.get(StoreHours.weekday_of(day))
    own = special.get(day)
    named = {"holiday": yom_tov_name(day) or "", "eve_of": yom_tov_eve_of(day) or ""}
    if own is not None:
        if own.closed:
            return DayHours(day, None, None, why="set", note=own.note, **named)
        return DayHours(day, own.opens, own.closes, why="set", note=own.note, **named)
    if named["holiday"]:
        return DayHours(day, None, None, why="holiday", **named)
    if usual is None:
        return DayHours(day, None, None, **named)
    if named["eve_of"]:
        friday = week.get(StoreHours.Weekday.FRIDAY)
        closes = min(usual.closes, friday.closes if friday else settings.HOLIDAY_EVE_CLOSES)
        if closes <= usual.opens:
            return DayHours(day, None, None, why="eve", **named)
        return DayHours(day, usual.opens, closes, why="eve", **named)
    return DayHours(day, usual.opens, usual.closes)


def _week_of(store: Store) -> dict[int, StoreHours]:
    return {row.weekday: row for row in store.hours.all()}


def opening_hours_between(store: Store, first: date, last: date) -> list[DayHours]:
    """The store's hours on each date from `first` to `last` (inclusive): two queries, or none
    when `store` came from `with_hours_between`."""
    week = _week_of(store)
    if "special_hours" in getattr(store, "_prefetched_objects_cache", {}):
        rows: Iterable[StoreSpecialHours] = store.special_hours.all()
    else:
        rows = store.special_hours.filter(date__gte=first, date__lte=last)
    special = {row.date: row for row in rows if first <= row.date <= last}
    return [
        _day_hours(first + timedelta(days=n), week, special) for n in range((last - first).days + 1)
    ]


def opening_hours_on(store: Store, day: date) -> DayHours:
    """When `store` is open on `day` (see the module's docstring for the order of the rules)."""
    return opening_hours_between(store, day, day)[0]


def with_hours_between(stores: Iterable[Store], first: date, last: date) -> list[Store]:
    """`stores` with their weekly hours and their dates with other hours from `first` to
    `last` read in two queries, for `opening_hours_between` over many stores."""
    listed = list(stores)
    prefetch_related_objects(
        listed,
        "hours",
        Prefetch(
            "special_hours",
            queryset=StoreSpecialHours.objects.filter(date__gte=first, date__lte=last),
        ),
    )
    return listed


def upcoming_other_hours(store: Store, today: date, days: int = UPCOMING_DAYS) -> list[DayHours]:
    """The dates in the next `days` (from `today`) on which `store` keeps other hours than its
    weekday's — holidays, eves and the dates it set — for the stores page."""
    week = _week_of(store)
    upcoming = opening_hours_between(store, today, today + timedelta(days=days - 1))
    other = []
    for hours in upcoming:
        if not hours.why:
            continue
        usual = week.get(StoreHours.weekday_of(hours.day))
        same = (
            (usual.opens, usual.closes) == (hours.opens, hours.closes)
            if usual is not None
            else not hours.is_open
        )
        if not same or hours.why == "set":
            other.append(hours)
    return other


@dataclass(frozen=True)
class StoreOtherHours:
    store: Store
    days: list[DayHours]  # the coming dates it keeps other hours, in order


def stores_other_hours(stores: Iterable[Store], today: date) -> list[StoreOtherHours]:
    """Each of `stores` with the dates in the next `UPCOMING_DAYS` it keeps other hours than
    its weekday's; three queries whatever the number of stores."""
    last = today + timedelta(days=UPCOMING_DAYS - 1)
    return [
        StoreOtherHours(store=store, days=upcoming_other_hours(store, today))
        for store in with_hours_between(stores, today, last)
    ]
