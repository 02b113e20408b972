"""Queueing Celery tasks from services: after commit, and never failing (nor keeping waiting)
the caller when the broker is away.

Services name the task they queue (`"notifications.message_send"`) instead of importing it: each
app's `tasks` module imports its services, never the other way round, so there is no circle.
"""

import logging
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from celery import current_app
from celery.signals import task_prerun
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def queue_after_commit(
    task: str, *args: Any, countdown: float | None = None, what: str = "", using: str | None = None
) -> None:
    """Queue the task named `task` with `*args` once the current transaction on `using`
    commits (at once when no transaction is open).

    Guarantees:
    - Nothing is published for a transaction that rolls back, and no worker picks the task up
      before the rows it reads are committed.
    - A broker that cannot take the task never fails the caller, nor the other after-commit
      callbacks: the error is logged as a warning naming `what`, and what the task would have
      done must be found again by a periodic sweep (the rows it reads are committed).
    - A broker that is down costs one try (no retries, bounded connect and read timeouts in
      settings), then this process skips the broker for `BROKER_RETRY_AFTER` seconds: a till
      receipt of many lines, and the requests after it, do not each wait on it.
    - With `CELERY_TASK_ALWAYS_EAGER` (tests, the embedded default) the task runs in-process at
      commit and any error it raises propagates: nothing is hidden where nothing can retry it.
    - `countdown` (seconds) delays the task on the broker; keep it short (a retry backoff), well
      under the broker's visibility timeout.
    """
    transaction.on_commit(partial(_publish, task, tuple(args), countdown, what), using=using)


# Seconds this process leaves the broker alone after it failed to take a task.
BROKER_RETRY_AFTER = 10.0
# What a broker that cannot be reached raises: kombu's error, or redis-py's and the socket's own.
BROKER_DOWN = (OperationalError, RedisError, OSError)


class _Broker:
    """Whether the broker failed this process a moment ago (a short circuit breaker)."""

    def __init__(self) -> None:
        self.down_until = 0.0

    def down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self) -> None:
        self.down_until = time.monotonic() + BROKER_RETRY_AFTER

    def reset(self) -> None:
        self.down_until = 0.0


broker = _Broker()


@task_prerun.connect
def _broker_answered(**kwargs: Any) -> None:
    """A worker that has just had a task from the broker knows the broker is back."""
    broker.reset()


def _publish(name: str, args: Sequence[Any], countdown: float | None, what: str) -> None:
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if not eager and broker.down():
        logger.warning("Broker unreachable a moment ago: not queueing %s", what or name)
        return
    try:
        task = _registered(name)
        if countdown:
            task.apply_async(tuple(args), countdown=countdown)
        else:
            task.delay(*args)
    except Exception as exc:
        if eager:
            raise
        if isinstance(exc, BROKER_DOWN):
            broker.failed()
            logger.warning(
                "Could not queue %s; not trying the broker again for %.0f s",
                what or name,
                BROKER_RETRY_AFTER,
                exc_info=True,
            )
        else:
            logger.warning("Could not queue %s", what or name, exc_info=True)


def _registered(name: str) -> Any:
    """The task registered under `name`. Outside a worker the apps' tasks modules are loaded
    the first time one is asked for (what a worker does when it starts)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]
