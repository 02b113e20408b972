"""When a store is open on a date: its own dates first, then the holiday calendar (closed on a
holiday, Friday's closing time on its eve), then the weekday's hours — and the pick-up slots
and the stores page follow that one answer."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inventory import selectors
from inventory.models import StoreHours, StoreSpecialHours
from tests.factories import StoreFactory

ISRAEL = ZoneInfo("Asia/Jerusalem")
EREV_PESACH = date(2027, 4, 21)  # Wednesday; Pesach 2027 is Thursday 22/4 (holidays package)
PESACH = date(2027, 4, 22)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def week(store, *, friday: bool = True) -> None:
    """Sunday to Thursday 10:00–22:00, Friday 09:30–15:00 (if `friday`), closed on Saturday."""
    for weekday in range(5):
        StoreHours.objects.create(store=store, weekday=weekday, opens=time(10), closes=time(22))
    if friday:
        StoreHours.objects.create(store=store, weekday=5, opens=time(9, 30), closes=time(15))


def spans(days) -> list[str]:
    return [d.span or "closed" for d in days]


def test_opening_hours_close_on_a_holiday_and_early_on_its_eve(store):
    week(store)
    days = selectors.opening_hours_between(store, EREV_PESACH, date(2027, 4, 25))
    assert spans(days) == ["10:00–15:00", "closed", "09:30–15:00", "closed", "10:00–22:00"]
    assert [d.label for d in days[:2]] == ["Eve of Pesach", "Pesach"]
    assert days[4].label == ""  # chol hamoed: an ordinary Sunday


def test_opening_hours_keep_independence_day_an_ordinary_day(store):
    week(store)
    # Wednesday 12/5/2027: no deliveries, but the shops open as on any Wednesday.
    days = selectors.opening_hours_between(store, date(2027, 5, 11), date(2027, 5, 12))
    assert spans(days) == ["10:00–22:00", "10:00–22:00"]
    assert [d.why for d in days] == ["", ""]


def test_opening_hours_on_an_eve_without_friday_hours_close_at_the_setting(store, settings):
    settings.HOLIDAY_EVE_CLOSES = time(13, 30)
    week(store, friday=False)
    assert selectors.opening_hours_on(store, EREV_PESACH).span == "10:00–13:30"


def test_opening_hours_the_store_set_win_over_the_calendar_and_the_weekday(store):
    week(store)
    StoreSpecialHours.objects.create(
        store=store, date=PESACH, opens=time(12), closes=time(16), note_en="Open for Pesach"
    )
    StoreSpecialHours.objects.create(store=store, date=date(2027, 4, 20), closed=True)
    days = selectors.opening_hours_between(store, date(2027, 4, 20), PESACH)
    assert spans(days) == ["closed", "10:00–15:00", "12:00–16:00"]
    assert days[2].label == "Open for Pesach"


def test_pickup_slots_follow_holiday_hours(store):
    week(store)
    StoreSpecialHours.objects.create(
        store=store, date=date(2027, 4, 25), opens=time(18), closes=time(20)
    )
    now = datetime(2027, 4, 21, 8, tzinfo=ISRAEL)
    days = selectors.pickup_slots(
        store=store, until=datetime(2027, 4, 25, 23, tzinfo=ISRAEL), now=now
    )
    starts = {d.day: [f"{s.start.astimezone(ISRAEL):%H:%M}" for s in d.slots] for d in days}
    assert starts[EREV_PESACH] == ["10:00", "11:00", "12:00", "13:00", "14:00"]
    assert starts[PESACH] == [] and not days[1].open  # the page says the store is closed
    assert starts[date(2027, 4, 25)] == ["18:00", "19:00"]  # the store's own hours


def test_stores_other_hours_lists_the_coming_holidays_and_dates_set(settings):
    shops = [StoreFactory(), StoreFactory(), StoreFactory()]
    for shop in shops:
        week(shop)
    StoreSpecialHours.objects.create(
        store=shops[0], date=date(2027, 4, 19), opens=time(8), closes=time(12), note_en="Count"
    )
    with CaptureQueriesContext(connection) as queries:
        cards = selectors.stores_other_hours(shops, date(2027, 4, 15))
    assert len(queries) == 2  # weekly hours and dates set, whatever the number of stores
    listed = [(d.day, d.span or "closed", d.label) for d in cards[0].days]
    assert listed == [
        (date(2027, 4, 19), "08:00–12:00", "Count"),
        (EREV_PESACH, "10:00–15:00", "Eve of Pesach"),
        (PESACH, "closed", "Pesach"),
        # Erev the seventh day (Tuesday 27/4) and the seventh day (Wednesday 28/4).
        (date(2027, 4, 27), "10:00–15:00", "Eve of Seventh day of Pesach"),
        (date(2027, 4, 28), "closed", "Seventh day of Pesach"),
    ]
    assert [d.day for d in cards[1].days] == [
        EREV_PESACH,
        PESACH,
        date(2027, 4, 27),
        date(2027, 4, 28),
    ]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"closed": True, "opens": time(10)}, "no opening or closing time"),
        ({"opens": time(10)}, "or tick"),
        ({"opens": time(12), "closes": time(10)}, "close after it opens"),
    ],
)
def test_store_special_hours_refuse_a_day_that_is_neither_closed_nor_timed(store, fields, says):
    with pytest.raises(ValidationError) as refused:
        StoreSpecialHours(store=store, date=PESACH, **fields).full_clean()
    assert says in str(refused.value)
