"""Readiness: whether this process can serve traffic now — its database answers and has every
migration applied, its Redis (cache, rate limits) and Celery broker answer, and texts have a
backend to go to. Liveness (/healthz/) only says the process answers.

Each check returns None when fine, or what is wrong in a few words an operator can act on.
"""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string
from kombu import Connection

from notifications.backends import get_backend

# Seconds each network check may take: a readiness probe must answer before its own timeout.
TIMEOUT = 2.0


def database() -> str | None:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return f"unreachable ({type(exc).__name__}: {str(exc).strip().splitlines()[0][:160]})"
    return None


def migrations() -> str | None:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"cannot be read ({type(exc).__name__})"
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:3])
        return f"{len(plan)} not applied ({names}{', …' if len(plan) > 3 else ''})"
    return None


def _redis_ping(url: str) -> str | None:
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT, retry_on_timeout=False
        )
        client.ping()
        client.close()
    except Exception as exc:
        return f"unreachable ({type(exc).__name__}: {str(exc)[:160]})"
    return None


def cache() -> str | None:
    """The Redis behind the cache: kept pages and every rate limit live there."""
    if not settings.REDIS_URL:
        return None  # the embedded default: memory of this process
    return _redis_ping(settings.REDIS_URL)


def broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return None if settings.CELERY_TASK_ALWAYS_EAGER else "in memory: no worker can see it"
    if scheme in {"redis", "rediss", "unix"}:
        return _redis_ping(url)
    try:
        with Connection(url, connect_timeout=TIMEOUT) as conn:
            conn.connect()
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"
    return None


def sms() -> str | None:
    """A backend that loads, and, for Twilio, an account, its token and a sender."""
    try:
        backend = import_string(settings.SMS_BACKEND)
        get_backend()
    except Exception as exc:
        return f"{settings.SMS_BACKEND} does not load ({type(exc).__name__}: {str(exc)[:160]})"
    if "twilio" in backend.__module__:
        sender = settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and sender):
            return "Twilio has no account, token or sender"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": database,
    "migrations": migrations,
    "redis": cache,
    "broker": broker,
    "sms": sms,
}


def readiness() -> tuple[bool, list[str]]:
    """(ready, one line per check: "database: ok" or "redis: unreachable (…)")."""
    lines, ready = [], True
    for name, check in CHECKS.items():
        started = time.monotonic()
        problem = check() if name != "migrations" or ready else "not checked (no database)"
        took = f" ({(time.monotonic() - started) * 1000:.0f} ms)" if problem is None else ""
        lines.append(f"{name}: {'ok' + took if problem is None else problem}")
        ready = ready and problem is None
    return ready, lines
