"""What sending tells the metrics (`core.metrics`): each attempt's result, and how long a
restock took to reach the customer's phone."""

from datetime import datetime

from django.db.models import Max

from core import metrics
from inventory.models import Hold, StockMovement

from ..models import Message
from .limits import quiet_hours_end


def send_counted(*, channel: str, result: str, code: str = "", after_commit: bool = False) -> None:
    """One send attempt: `result` is sent, retry or failed; `code` the provider's error code
    (or ours: opted_out, hold_ended). Inside a transaction, `after_commit` counts it only once
    the transaction commits."""
    counter = metrics.MESSAGE_SENDS.labels(channel=channel, result=result, error_code=code[:20])
    if after_commit:
        metrics.after_commit(counter.inc)
    else:
        counter.inc()


def allocation_lag_observe(message: Message, *, sent_at: datetime) -> None:
    """For a waitlist hold's text that has just left: the time since the pair became free —
    the last restock of that size at that store, or the last hold on it that ended, before the
    hold was placed — or since quiet hours ended, when the text waited for the morning."""
    hold = message.hold
    if hold is None or message.purpose != Message.Purpose.HOLD_READY:
        return
    level = {"store_id": hold.store_id, "variant_id": hold.variant_id}
    restocked = StockMovement.objects.filter(
        **level, delta__gt=0, created_at__lte=hold.created_at
    ).aggregate(at=Max("created_at"))["at"]
    freed = Hold.objects.filter(
        **level, ended_at__isnull=False, ended_at__lte=hold.created_at
    ).aggregate(at=Max("ended_at"))["at"]
    starts = [at for at in (restocked, freed, quiet_hours_end(hold.created_at)) if at]
    start = max(starts, default=hold.created_at)
    metrics.ALLOCATION_LAG.observe(max(0.0, (sent_at - start).total_seconds()))
