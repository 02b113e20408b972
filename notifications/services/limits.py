"""When texts may go: quiet hours (Israel time) and the daily budget of non-essential texts."""

import logging
from datetime import datetime, timedelta
from datetime import time as dtime

from django.conf import settings
from django.utils import timezone

from ..models import Message

logger = logging.getLogger(__name__)

Status = Message.Status
Purpose = Message.Purpose


# Texts that wait for the end of quiet hours (the others are answers the customer waits for).
QUIET_PURPOSES = (
    Purpose.HOLD_READY,
    Purpose.TRANSFER_ARRIVED,
    Purpose.PAIR_HELD,
    Purpose.TRANSFER_DECLINED,
    Purpose.RATING_INVITE,
    Purpose.PICKUP_REMINDER,
    Purpose.STAFF_TEXT,
)


def budget_status(now: datetime | None = None) -> tuple[int, int]:
    """(texts written today, Israel time; the daily budget)."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    used = Message.objects.filter(created_at__gte=midnight).count()
    return used, settings.SMS_DAILY_BUDGET


def budget_exhausted(now: datetime | None = None) -> bool:
    used, budget = budget_status(now)
    return used >= budget


def quiet_hours_end(now: datetime | None = None) -> datetime | None:
    """When the quiet hours around `now` end (Israel time), or None outside them."""
    spec = (settings.QUIET_HOURS or "").strip()
    if not spec:
        return None
    start_text, _sep, end_text = spec.partition("-")
    start, end = dtime.fromisoformat(start_text.strip()), dtime.fromisoformat(end_text.strip())
    local = timezone.localtime(now or timezone.now())
    clock = local.time()
    # Either within one day, or over midnight (22:00–08:00).
    quiet = start <= clock < end if start <= end else (clock >= start or clock < end)
    if not quiet:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends
