"""Thin Celery tasks: take ids, call one service, safe to run twice.

Delays never ride on Celery `eta`/`countdown` beyond a short retry backoff (at most
settings.CELERY_COUNTDOWN_MAX, well under the broker's visibility timeout): quiet hours, longer
backoffs and expiries live in the database, and the periodic tasks below (scheduled in
settings.CELERY_BEAT_SCHEDULE) pick them up.
"""

from collections import Counter

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="notifications.message_send",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def message_send_task(message_id: int) -> str:
    outcome = services.message_send(message_id=message_id)
    if outcome.retry_in is not None:
        services.message_dispatch(message_id, countdown=outcome.retry_in)
    return outcome.result


@shared_task(
    name="notifications.messages_send_batch",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def messages_send_batch_task(message_ids: list[int]) -> dict[str, int]:
    outcomes = services.messages_send_batch(message_ids=message_ids)
    for outcome in outcomes:
        if outcome.retry_in is not None and outcome.message_id is not None:
            services.message_dispatch(outcome.message_id, countdown=outcome.retry_in)
    return dict(Counter(outcome.result for outcome in outcomes))


@shared_task(name="notifications.messages_dispatch_due")
def messages_dispatch_due_task() -> int:
    return len(services.messages_dispatch_due())


@shared_task(name="notifications.messages_requeue_stale")
def messages_requeue_stale_task() -> int:
    return len(services.messages_requeue_stale())


@shared_task(name="notifications.conversations_overdue_alert")
def conversations_overdue_alert_task() -> int:
    return len(services.conversations_overdue_alert())
