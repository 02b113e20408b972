"""Thin Celery tasks of the customers' requests: take ids, call one service, safe to run twice.
The periodic ones are scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="demand.waitlist_allocate",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def waitlist_allocate_task(store_id: int, variant_id: int) -> int:
    return len(services.waitlist_allocate(store_id=store_id, variant_id=variant_id))


@shared_task(name="demand.waitlist_allocate_pending")
def waitlist_allocate_pending_task() -> int:
    return len(services.waitlist_allocate_pending())


@shared_task(name="demand.transfer_suggestions_refresh")
def transfer_suggestions_refresh_task() -> int:
    return len(services.transfer_suggestions_refresh())


@shared_task(name="demand.pickup_reminders_due")
def pickup_reminders_due_task() -> int:
    return len(services.pickup_reminders_due())


@shared_task(name="demand.purge")
def retention_purge_task() -> dict[str, int]:
    return services.retention_purge()


@shared_task(
    name="demand.launch_draw",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def launch_draw_task(launch_id: int) -> int:
    """Draw one launch (safe twice: a drawn size is skipped; a crash resumes)."""
    return services.launch_draw(launch=launch_id).winners


@shared_task(name="demand.launch_draws_due")
def launch_draws_due_task() -> int:
    return len(services.launch_draws_due())
