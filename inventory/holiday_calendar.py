"""The Israeli holiday calendar every date rule shares: which days are holidays (no deliveries,
stores closed unless they say otherwise) and which are holiday eves (short days).

The dates come from the `holidays` package (`holidays.country_holidays("IL")`), which follows
the Hebrew calendar and the observance rules (Independence Day moved off Friday, Saturday or
Monday), so nothing here is typed in by hand. Of its categories we take `public`: the full rest
days of the law — Rosh Hashanah (both days), Yom Kippur, the first day of Sukkot, Shemini
Atzeret / Simchat Torah, the first and seventh days of Pesach, Shavuot — and Independence Day.
The intermediate days of Sukkot and Pesach (chol hamoed, the package's `optional` and `school`
categories) are working days for couriers and shops alike, and so are Purim, Hanukkah and the
memorial days: they are not holidays here.

A holiday eve is the day before a holiday that is not itself a holiday (erev chag), in the
evening of which the holiday begins. Deliveries run on an eve; shops close early
(`inventory.selectors.hours`).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from core.language import current_language

# Friday and Saturday: no deliveries, whatever the calendar says.
NO_DELIVERY_WEEKDAYS = frozenset({4, 5})


@lru_cache(maxsize=16)
def _calendar(year: int, language: str) -> dict[date, str]:
    names = holidays.country_holidays(
        "IL", years=year, categories=(holidays.PUBLIC,), language=language
    )
    return dict(names.items())


def _language() -> str:
    return "he" if current_language() == "he" else "en_US"


def holiday_name(day: date) -> str | None:
    """The holiday on `day`, named in the current language, or None on an ordinary day."""
    return _calendar(day.year, _language()).get(day)


def is_holiday(day: date) -> bool:
    """Whether `day` is an Israeli holiday (a full rest day: see the module's docstring)."""
    return day in _calendar(day.year, "en_US")


def holiday_eve_of(day: date) -> str | None:
    """The holiday that starts on the evening of `day` (its name), when `day` is its eve and
    not itself a holiday; else None."""
    if is_holiday(day):
        return None
    return holiday_name(day + timedelta(days=1))


def is_delivery_day(day: date) -> bool:
    """Whether couriers deliver between branches on `day`: Sunday to Thursday, not a holiday."""
    return day.weekday() not in NO_DELIVERY_WEEKDAYS and not is_holiday(day)
