"""How long a transfer between two stores takes: the one lookup every caller shares (the
dispatch default, the product page's "can be at … by …", the choice of a customer's source).

`TRANSFER_LEAD_DAYS` is the default, `TRANSFER_ROUTE_LEAD_DAYS` the routes that differ (by store
code, "source>destination"; a route given one way counts both ways unless the other way has its
own figure). Days are working days: deliveries between branches run Sunday to Thursday, and
not on an Israeli holiday (`inventory.holiday_calendar.is_delivery_day`, the one rule).
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .holiday_calendar import is_delivery_day


def _code(store: Any) -> str:
    return str(getattr(store, "code", store) or "")


def transfer_lead_days(source: Any, destination: Any) -> int:
    """Working days a transfer from `source` to `destination` (stores, or their codes) takes."""
    routes: dict[str, int] = getattr(settings, "TRANSFER_ROUTE_LEAD_DAYS", {}) or {}
    there, back = f"{_code(source)}>{_code(destination)}", f"{_code(destination)}>{_code(source)}"
    if there in routes:
        return int(routes[there])
    if back in routes:
        return int(routes[back])
    return int(settings.TRANSFER_LEAD_DAYS)


def working_days_after(start: date, days: int) -> date:
    """The day `days` working days (Sunday–Thursday, holidays skipped) after `start`."""
    day, remaining = start, max(days, 0)
    while remaining > 0:
        day += timedelta(days=1)
        if is_delivery_day(day):
            remaining -= 1
    return day


def transfer_arrival_date(source: Any, destination: Any, start: date | None = None) -> date:
    """When a transfer sent from `source` on `start` (today) reaches `destination`."""
    return working_days_after(
        start or timezone.localdate(), transfer_lead_days(source, destination)
    )
