"""Thin Celery tasks: take ids, call one service, safe to run twice.

Holds expire here, every minute (scheduled in settings.CELERY_BEAT_SCHEDULE), and also on
read: `stock_apply` expires a lapsed hold before it takes stock, so a late sweep never blocks
a sale.
"""

from celery import shared_task

from . import services


@shared_task(name="inventory.holds_expire_due")
def holds_expire_due_task() -> int:
    """Expire lapsed holds; each freed pair is offered to the next person waiting."""
    return len(services.hold_expire_due())
