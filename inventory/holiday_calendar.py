"""The Israeli holiday calendar every date rule shares: which days are holidays (no deliveries),
which of them are yom tov (stores closed unless they say otherwise) and which days are their
eves (short days).

The dates come from the `holidays` package (`holidays.country_holidays("IL")`), which follows
the Hebrew calendar and the observance rules (Independence Day moved off Friday, Saturday or
Monday), so nothing here is typed in by hand. Of its categories we take `public`: the full rest
days of the law — Rosh Hashanah (both days), Yom Kippur, the first day of Sukkot, Shemini
Atzeret / Simchat Torah, the first and seventh days of Pesach, Shavuot — and Independence Day.
The intermediate days of Sukkot and Pesach (chol hamoed, the package's `optional` and `school`
categories) are working days for couriers and shops alike, and so are Purim, Hanukkah and the
memorial days: they are not holidays here.

Shops keep Independence Day as an ordinary day (most are open; a store that closes says so in
its dates with other hours), so for opening hours the holidays are the yom tov days only. A
holiday eve is the day before a yom tov that is not itself one (erev chag), in the evening of
which the holiday begins. Deliveries run on an eve; shops close early
(`inventory.selectors.hours`).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from core.language import current_language

# Friday and Saturday: no deliveries, whatever the calendar says.
NO_DELIVERY_WEEKDAYS = frozenset({4, 5})
# Public holidays that are rest days for couriers but not yom tov: shops open as usual.
NOT_YOM_TOV = frozenset({"Independence Day"})


@lru_cache(maxsize=16)
def _calendar(year: int, language: str) -> dict[date, str]:
    names = holidays.country_holidays(
        "IL", years=year, categories=(holidays.PUBLIC,), language=language
    )
    return dict(names.items())


def _language() -> str:
    return "he" if current_language() == "he" else "en_US"


def is_holiday(day: date) -> bool:
    """Whether `day` is an Israeli holiday (a full rest day: see the module's docstring)."""
    return day in _calendar(day.year, "en_US")


def yom_tov_name(day: date) -> str | None:
    """The yom tov on `day`, named in the current language; None on any other day (Independence
    Day included)."""
    english = _calendar(day.year, "en_US").get(day)
    if english is None or english in NOT_YOM_TOV:
        return None
    return _calendar(day.year, _language()).get(day)


def yom_tov_eve_of(day: date) -> str | None:
    """The yom tov that starts on the evening of `day` (its name), when `day` is its eve and
    not itself a yom tov; else None."""
    if yom_tov_name(day) is not None:
        return None
    return yom_tov_name(day + timedelta(days=1))


def is_delivery_day(day: date) -> bool:
    """Whether couriers deliver between branches on `day`: Sunday to Thursday, not a holiday."""
    return day.weekday() not in NO_DELIVERY_WEEKDAYS and not is_holiday(day)
