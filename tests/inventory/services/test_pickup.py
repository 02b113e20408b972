"""Pick-up planning: slots inside opening hours, a chosen time, one more day."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from inventory import selectors, services
from inventory.models import Hold, StockLevel, StoreHours

ISRAEL = ZoneInfo("Asia/Jerusalem")
# A Wednesday afternoon.
NOW = datetime(2026, 12, 2, 14, 10, tzinfo=ISRAEL)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ISRAEL)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the refusals are read in English here
        yield


@pytest.fixture
def mall(store):
    """Sunday to Thursday 10:00–22:00, Friday 09:30–15:00, closed on Saturday."""
    for weekday in range(5):
        StoreHours.objects.create(store=store, weekday=weekday, opens=time(10), closes=time(22))
    StoreHours.objects.create(
        store=store, weekday=StoreHours.Weekday.FRIDAY, opens=time(9, 30), closes=time(15)
    )
    return store


def held(store, variant, told: datetime) -> Hold:
    services.stock_receive(store=store, variant=variant, quantity=1)
    hold = services.hold_place(store=store, variant=variant, customer_phone="+972501234567")
    return services.hold_start_clock(hold=hold, at=told)


def starts(days) -> list[list[str]]:
    return [[f"{s.start.astimezone(ISRAEL):%H:%M}" for s in day.slots] for day in days]


def test_pickup_slots_today_and_tomorrow_inside_hours_before_the_hold_ends(mall):
    days = selectors.pickup_slots(store=mall, until=at(3, 14), now=NOW)
    assert [d.day.isoformat() for d in days] == ["2026-12-02", "2026-12-03"]
    assert days[0].is_today and not days[1].is_today
    assert starts(days) == [
        ["15:00", "16:00", "17:00", "18:00", "19:00", "20:00", "21:00"],
        ["10:00", "11:00", "12:00", "13:00"],
    ]
    assert days[0].slots[-1].end == at(2, 22)


def test_pickup_slots_short_friday_and_closed_saturday(mall):
    friday = selectors.pickup_slots(store=mall, until=at(6, 9), now=at(4, 8))
    assert starts(friday)[0] == ["09:30", "10:30", "11:30", "12:30", "13:30", "14:30"]
    assert friday[0].slots[-1].end == at(4, 15)  # the last slot ends at closing
    assert not friday[1].open and friday[1].slots == []


def test_pickup_slots_store_without_hours_offers_none(store):
    days = selectors.pickup_slots(store=store, until=at(3, 14), now=NOW)
    assert [d.open for d in days] == [False, False]


def test_hold_plan_pickup_records_an_offered_slot_and_a_new_choice_replaces_it(mall, variant):
    hold = held(mall, variant, told=at(2, 14))
    services.hold_plan_pickup(hold=hold, at=at(2, 18), now=NOW)
    assert Hold.objects.get(pk=hold.pk).pickup_at == at(2, 18)
    services.hold_plan_pickup(hold=hold, at=at(3, 11), now=NOW)
    assert Hold.objects.get(pk=hold.pk).pickup_at == at(3, 11)


@pytest.mark.parametrize(
    ("slot", "says"),
    [
        (at(2, 13), "already passed"),
        (at(2, 23), "not open"),
        (at(2, 18, 30), "not open"),  # not the start of a slot
        (at(3, 15), "held for you until 03/12 14:00"),
        (at(4, 11), "held for you until 03/12 14:00"),  # a day the pair is not held
    ],
)
def test_hold_plan_pickup_refuses_a_time_not_offered_and_changes_nothing(mall, variant, slot, says):
    hold = held(mall, variant, told=at(2, 14))
    services.hold_plan_pickup(hold=hold, at=at(2, 18), now=NOW)
    with pytest.raises(services.InvalidPickup) as refused:
        services.hold_plan_pickup(hold=hold, at=slot, now=NOW)
    assert says in refused.value.message
    assert Hold.objects.get(pk=hold.pk).pickup_at == at(2, 18)


def test_hold_plan_pickup_on_a_collected_hold_is_refused(mall, variant):
    hold = held(mall, variant, told=timezone.now())
    services.hold_collect(hold=hold)
    with pytest.raises(services.InvalidTransition):
        services.hold_plan_pickup(hold=hold, at=at(2, 18), now=NOW)
    assert Hold.objects.get(pk=hold.pk).pickup_at is None


def test_hold_plan_pickup_on_a_lapsed_hold_expires_it_and_frees_the_pair(mall, variant):
    hold = held(mall, variant, told=at(1, 14))  # ran out at 14:00 today
    with pytest.raises(services.HoldExpired):
        services.hold_plan_pickup(hold=hold, at=at(2, 18), now=NOW)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.EXPIRED
    assert StockLevel.objects.get(store=mall, variant=variant).reserved == 0


def test_hold_extend_moves_the_expiry_once_and_keeps_the_pair_reserved(mall, variant, settings):
    settings.HOLD_EXTENSION = timedelta(hours=24)
    hold = held(mall, variant, told=at(2, 14))
    extended = services.hold_extend(hold=hold, now=NOW)
    assert extended.expires_at == at(4, 14)
    assert extended.extended_at == NOW
    # Tomorrow's afternoon is on offer now.
    assert (
        "17:00" in starts(selectors.pickup_slots(store=mall, until=extended.expires_at, now=NOW))[1]
    )
    with pytest.raises(services.InvalidPickup) as refused:
        services.hold_extend(hold=hold, now=NOW)
    assert "already been extended" in refused.value.message
    assert Hold.objects.get(pk=hold.pk).expires_at == at(4, 14)
    assert StockLevel.objects.get(store=mall, variant=variant).reserved == 1


def test_hold_extend_is_refused_when_extensions_are_off(mall, variant, settings):
    settings.HOLD_EXTENSION = timedelta(0)
    hold = held(mall, variant, told=at(2, 14))
    with pytest.raises(services.InvalidPickup):
        services.hold_extend(hold=hold, now=NOW)
    assert Hold.objects.get(pk=hold.pk).expires_at == at(3, 14)


def test_hold_extend_on_a_lapsed_hold_expires_it(mall, variant):
    hold = held(mall, variant, told=at(1, 14))
    with pytest.raises(services.HoldExpired):
        services.hold_extend(hold=hold, now=NOW)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.EXPIRED


def test_pickup_slots_cover_the_day_one_more_day_adds(mall, variant, settings):
    settings.HOLD_EXTENSION = timedelta(hours=24)
    hold = held(mall, variant, told=at(2, 14))  # held until Thursday 14:00
    extended = services.hold_extend(hold=hold, now=NOW)  # until Friday 14:00
    days = selectors.pickup_slots(store=mall, until=extended.expires_at, now=NOW)
    assert [d.day.isoformat() for d in days] == ["2026-12-02", "2026-12-03", "2026-12-04"]
    # Friday opens at 09:30; the hold's end cuts the day at 14:00.
    assert starts(days)[2] == ["09:30", "10:30", "11:30", "12:30", "13:30"]
    assert days[2].cut == "held_until" and days[1].cut == ""
    services.hold_plan_pickup(hold=hold, at=at(4, 12, 30), now=NOW)
    assert Hold.objects.get(pk=hold.pk).pickup_at == at(4, 12, 30)


def test_pickup_slots_say_why_a_day_offers_no_time(mall):
    # Friday 14:20, held until Sunday 12:00: Friday's last slot has begun, Saturday is closed,
    # Sunday ends with the hold.
    days = selectors.pickup_slots(store=mall, until=at(6, 12), now=at(4, 14, 40))
    assert [(d.open, d.cut, len(d.slots)) for d in days] == [
        (True, "passed", 0),
        (False, "", 0),
        (True, "held_until", 2),
    ]
