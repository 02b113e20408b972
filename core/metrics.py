"""Every counter and histogram the product exports to Prometheus, in one place.

A metric is one line here and one `.inc()` / `.observe()` where its event happens. Figures read
from the database when Prometheus asks (outbox depth, oldest queued text, a till's last
movement) are not counted here: they live in `config.metrics`, one function each.

Labels name views, channels, results, provider error codes, purposes, store codes and task
names: bounded sets, and never a phone number (`tests/test_metrics.py` scans for one).

Under gunicorn and Celery's prefork pool each process counts for itself; with
PROMETHEUS_MULTIPROC_DIR set, prometheus_client writes the counts to files there and the
endpoint adds them up (https://prometheus.github.io/client_python/multiprocess/).
"""

from collections.abc import Callable
from functools import partial

from django.db import transaction
from prometheus_client import Counter, Histogram

# Seconds: from a fast page to a slow report.
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Seconds: from a text that leaves at once to one stuck for an hour.
_LAG_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
# Seconds within opening hours: from an answer the same minute to one the next day.
_RESPONSE_BUCKETS = (60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 86400.0)

HTTP_REQUESTS = Histogram(
    "sneakerstock_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status class (2xx, 4xx, 5xx).",
    ["view", "method", "status"],
    buckets=_LATENCY_BUCKETS,
)
MESSAGE_SENDS = Counter(
    "sneakerstock_message_sends",
    "Send attempts by channel, result (sent, retry, failed) and provider error code.",
    ["channel", "result", "error_code"],
)
ALLOCATION_LAG = Histogram(
    "sneakerstock_allocation_lag_seconds",
    "From the restock that freed a pair (or the end of quiet hours) to its hold text leaving.",
    buckets=_LAG_BUCKETS,
)
HOLDS = Counter(
    "sneakerstock_holds",
    "Holds by event (created, collected, released, expired) and purpose.",
    ["event", "purpose"],
)
TILL_LINES = Counter(
    "sneakerstock_till_lines",
    "Till lines by store and result (applied, duplicate, conflict, insufficient, rejected).",
    ["store", "result"],
)
KEPT_PAGES = Counter(
    "sneakerstock_kept_lookups",
    "Kept pages and fragments asked for, by kind and result (memory, cache, built, unreachable).",
    ["kind", "result"],
)
INBOX_INBOUND = Counter(
    "sneakerstock_inbox_inbound_messages",
    "Customers' messages added to a conversation, by channel and routed (yes: to a store; "
    "no: head office holds it).",
    ["channel", "routed"],
)
INBOX_FIRST_RESPONSE = Histogram(
    "sneakerstock_inbox_first_response_seconds",
    "From a customer's message to the store's first answer, counted within opening hours, "
    "by store code.",
    ["store"],
    buckets=_RESPONSE_BUCKETS,
)
TASKS = Counter(
    "sneakerstock_celery_tasks",
    "Celery tasks finished, by task name and state (success, failure, retry).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "sneakerstock_celery_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=_LATENCY_BUCKETS,
)


def after_commit(count: Callable[[], object]) -> None:
    """Run `count` (e.g. `HOLDS.labels(...).inc`) once the current transaction commits, so a
    rolled-back event is never counted."""
    transaction.on_commit(partial(count))
