"""Queueing Celery tasks from services: after commit, and never failing the caller when the
broker is away.

Services name the task they queue (`"notifications.message_send"`) instead of importing it: each
app's `tasks` module imports its services, never the other way round, so there is no circle.
"""

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction

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
    - With `CELERY_TASK_ALWAYS_EAGER` (tests, the embedded default) the task runs in-process at
      commit and any error it raises propagates: nothing is hidden where nothing can retry it.
    - `countdown` (seconds) delays the task on the broker; keep it short (a retry backoff), well
      under the broker's visibility timeout.
    """
    transaction.on_commit(partial(_publish, task, tuple(args), countdown, what), using=using)


def _publish(name: str, args: Sequence[Any], countdown: float | None, what: str) -> None:
    try:
        task = _registered(name)
        if countdown:
            task.apply_async(tuple(args), countdown=countdown)
        else:
            task.delay(*args)
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Could not queue %s", what or name, exc_info=True)


def _registered(name: str) -> Any:
    """The task registered under `name`. Outside a worker the apps' tasks modules are loaded
    the first time one is asked for (what a worker does when it starts)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]
