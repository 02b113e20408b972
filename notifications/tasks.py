"""Thin Celery tasks: take ids, call one service, safe to run twice.

Delays never ride on Celery `eta`/`countdown` beyond the short, capped retry backoff (well
under the broker's visibility timeout): quiet hours and expiries live in the database and the
periodic tasks below (scheduled in settings.CELERY_BEAT_SCHEDULE) pick them up.
"""

from collections import Counter

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="notifications.waitlist_allocate",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def waitlist_allocate_task(store_id: int, variant_id: int) -> int:
    return len(services.waitlist_allocate(store_id=store_id, variant_id=variant_id))


@shared_task(
    name="notifications.sms_send",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def sms_send_task(message_id: int) -> str:
    outcome = services.sms_send(message_id=message_id)
    if outcome.retry_in is not None:
        services.sms_dispatch(message_id, countdown=outcome.retry_in)
    return outcome.result


@shared_task(
    name="notifications.sms_send_batch",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def sms_send_batch_task(message_ids: list[int]) -> dict[str, int]:
    outcomes = services.sms_send_batch(message_ids=message_ids)
    for outcome in outcomes:
        if outcome.retry_in is not None and outcome.message_id is not None:
            services.sms_dispatch(outcome.message_id, countdown=outcome.retry_in)
    return dict(Counter(outcome.result for outcome in outcomes))


@shared_task(name="notifications.sms_dispatch_due")
def sms_dispatch_due_task() -> int:
    return len(services.sms_dispatch_due())


@shared_task(name="notifications.sms_requeue_stale")
def sms_requeue_stale_task() -> int:
    return len(services.sms_requeue_stale())


@shared_task(name="notifications.waitlist_allocate_pending")
def waitlist_allocate_pending_task() -> int:
    return len(services.waitlist_allocate_pending())


@shared_task(name="notifications.transfer_suggestions_refresh")
def transfer_suggestions_refresh_task() -> int:
    return len(services.transfer_suggestions_refresh())


@shared_task(name="notifications.purge")
def notifications_purge_task() -> dict[str, int]:
    return services.notifications_purge()


@shared_task(name="notifications.pickup_reminders_due")
def pickup_reminders_due_task() -> int:
    return len(services.pickup_reminders_due())
