"""Arrival dates skip Fridays, Saturdays and Israeli holidays (the `holidays` package's
calendar), and keep chol hamoed as working days."""

from datetime import date

import holidays
import pytest

from inventory import services
from inventory.holiday_calendar import is_delivery_day, is_holiday, yom_tov_eve_of
from inventory.leadtime import transfer_arrival_date, working_days_after


def israeli(name: str, year: int) -> date:
    """The date the `holidays` package gives a holiday (its English name) in `year`."""
    calendar = holidays.country_holidays("IL", years=year, categories=(holidays.PUBLIC,))
    return next(day for day, named in calendar.items() if named == name)


def test_the_calendar_knows_rosh_hashanah_and_pesach_2027():
    # The dates the assertions below rely on, as a reader can check them in a Hebrew calendar.
    assert israeli("Rosh Hashanah", 2027) == date(2027, 10, 2)  # Saturday; the 2nd day Sunday
    assert israeli("Pesach", 2027) == date(2027, 4, 22)  # Thursday
    assert israeli("Seventh day of Pesach", 2027) == date(2027, 4, 28)  # Wednesday
    assert is_holiday(date(2027, 10, 3)) and is_holiday(date(2027, 4, 22))
    assert not is_holiday(date(2027, 4, 25))  # chol hamoed Pesach: a working day
    assert yom_tov_eve_of(date(2027, 4, 21)) is not None  # erev Pesach
    assert yom_tov_eve_of(date(2027, 4, 20)) is None


def test_working_days_after_skip_rosh_hashanah(settings):
    settings.TRANSFER_LEAD_DAYS = 2
    settings.TRANSFER_ROUTE_LEAD_DAYS = {}
    # Sent on Thursday 30/9/2027, the day before erev Rosh Hashanah, for two working days:
    # Friday and Saturday are no delivery days, Sunday is the holiday's second day, so Monday
    # and Tuesday count. Without the calendar the promise was Monday.
    assert transfer_arrival_date("a", "b", date(2027, 9, 30)) == date(2027, 10, 5)
    assert services.transfer_default_expected_date(date(2027, 9, 30)) == date(2027, 10, 5)
    # Sent on erev Rosh Hashanah (Friday 1/10) for one day: Monday 4/10.
    assert working_days_after(date(2027, 10, 1), 1) == date(2027, 10, 4)


@pytest.mark.parametrize(
    ("sent", "arrives"),
    [
        (date(2027, 4, 21), date(2027, 4, 25)),  # erev Pesach: Thursday is Pesach → Sunday
        (date(2027, 4, 25), date(2027, 4, 26)),  # chol hamoed is a working day
        (date(2027, 4, 27), date(2027, 4, 29)),  # the seventh day (Wednesday) is skipped
    ],
)
def test_working_days_after_skip_the_days_of_pesach_but_not_chol_hamoed(sent, arrives):
    assert working_days_after(sent, 1) == arrives


def test_delivery_days_are_sunday_to_thursday_without_holidays():
    week = [date(2027, 4, 18 + n) for n in range(7)]  # Sunday 18/4 to Saturday 24/4
    assert [is_delivery_day(day) for day in week] == [
        True,  # Sunday
        True,
        True,
        True,  # erev Pesach
        False,  # Pesach
        False,  # Friday
        False,  # Saturday
    ]


def test_independence_day_stops_deliveries_but_not_the_shops():
    day = israeli("Independence Day", 2027)
    assert day == date(2027, 5, 12)  # Wednesday
    assert not is_delivery_day(day)
    assert working_days_after(date(2027, 5, 11), 1) == date(2027, 5, 13)
    assert yom_tov_eve_of(date(2027, 5, 11)) is None  # no holiday-eve hours before it
