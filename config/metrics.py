"""The operator's metrics endpoint, and the figures read from the database when it is scraped.

`/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>` (no token set: no
endpoint). It is served by the first middleware, before the host check and the HTTPS redirect,
so Prometheus can scrape each web container at web:8000 inside the Compose network.

Counters and histograms (events) are defined in `core.metrics`; the gauges below are computed
per scrape from PostgreSQL, so every web process and container reports the same figure and
nothing is lost when a process restarts. To add one: a function yielding metric families, added
to `DatabaseCollector.figures`.
"""

import hmac
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from inventory.models import StockMovement, Store
from inventory.selectors.hours import opening_hours_on, with_hours_between
from notifications.models import Channel, Conversation, Message

logger = logging.getLogger(__name__)

Status = Message.Status
# A store whose till has not posted for a day reports a day: enough for any alert.
TILL_LOOKBACK = timedelta(days=1)


def outbox_figures() -> Iterator[GaugeMetricFamily]:
    """Texts waiting, by channel and state, and how long the oldest due one has waited."""
    now = timezone.now()
    due = Q(send_after__isnull=True) | Q(send_after__lte=now)
    rows = (
        Message.objects.filter(status__in=[Status.QUEUED, Status.SENDING])
        .values("channel")
        .annotate(
            queued=Count("pk", filter=Q(status=Status.QUEUED) & due),
            deferred=Count("pk", filter=Q(status=Status.QUEUED) & ~due),
            sending=Count("pk", filter=Q(status=Status.SENDING)),
            oldest=Min(Coalesce("send_after", "created_at"), filter=due),
        )
        .order_by()
    )
    depth = GaugeMetricFamily(
        "sneakerstock_outbox_messages",
        "Texts in the outbox by channel and state (queued and due, deferred, sending).",
        labels=["channel", "state"],
    )
    oldest = GaugeMetricFamily(
        "sneakerstock_outbox_oldest_seconds",
        "Age of the oldest text that is due and not yet sent, by channel (0: none).",
        labels=["channel"],
    )
    found: dict[str, dict[str, Any]] = {row["channel"]: dict(row) for row in rows}
    for channel in Channel.values:
        row = found.get(channel, {})
        for state in ("queued", "deferred", "sending"):
            depth.add_metric([channel, state], row.get(state, 0))
        since = row.get("oldest")
        oldest.add_metric([channel], (now - since).total_seconds() if since else 0.0)
    yield depth
    yield oldest


def store_figures() -> Iterator[GaugeMetricFamily]:
    """Whether each store is open now, and how long since its tills last posted a movement."""
    now = timezone.localtime()
    stores = with_hours_between(
        Store.objects.for_customers().order_by("code"),
        now.date(),
        now.date(),
    )
    is_open = GaugeMetricFamily(
        "sneakerstock_store_open",
        "1 while a store is open by its hours today (holidays and its own dates included).",
        labels=["store"],
    )
    last = dict(
        StockMovement.objects.filter(till__isnull=False, created_at__gte=now - TILL_LOOKBACK)
        .values_list("store__code")
        .annotate(at=Max("created_at"))
        .order_by()
    )
    quiet = GaugeMetricFamily(
        "sneakerstock_till_idle_seconds",
        "Seconds since a store's tills last posted a movement (a day at most).",
        labels=["store"],
    )
    for store in stores:
        day = opening_hours_on(store, now.date())
        open_now = (
            day.opens is not None
            and day.closes is not None
            and day.opens <= now.time() < day.closes
        )
        is_open.add_metric([store.code], 1.0 if open_now else 0.0)
        at = last.get(store.code)
        idle = (now - at).total_seconds() if at else TILL_LOOKBACK.total_seconds()
        quiet.add_metric([store.code], min(idle, TILL_LOOKBACK.total_seconds()))
    yield is_open
    yield quiet


def inbox_figures() -> Iterator[GaugeMetricFamily]:
    """Conversations waiting for the store's answer now, by store code ("none": head office
    holds it, no store could be found), and how long the longest of them has waited."""
    now = timezone.now()
    found: dict[str, dict[str, Any]] = {
        row["store__code"] or "none": dict(row)
        for row in Conversation.objects.filter(status=Conversation.Status.WAITING)
        .values("store__code")
        .annotate(waiting=Count("pk"), since=Min("waiting_since"))
        .order_by()
    }
    codes = Store.objects.for_customers().values_list("code", flat=True)
    waiting = GaugeMetricFamily(
        "sneakerstock_inbox_waiting",
        "Conversations waiting for the store's answer now, by store code.",
        labels=["store"],
    )
    longest = GaugeMetricFamily(
        "sneakerstock_inbox_longest_wait_seconds",
        "How long the longest-waiting conversation has waited for an answer, by store (0: none).",
        labels=["store"],
    )
    for code in sorted({*codes, *found}):
        waits = found.get(code, {})
        since = waits.get("since")
        waiting.add_metric([code], waits.get("waiting", 0))
        longest.add_metric([code], max((now - since).total_seconds(), 0.0) if since else 0.0)
    yield waiting
    yield longest


class DatabaseCollector(Collector):
    """The figures above, read when scraped. A database that does not answer gives
    `sneakerstock_database_up 0` instead of an error page."""

    figures: tuple[Callable[[], Iterable[GaugeMetricFamily]], ...] = (
        outbox_figures,
        store_figures,
        inbox_figures,
    )

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families: list[GaugeMetricFamily] = []
        up = 1.0
        try:
            for figure in self.figures:
                families.extend(figure())
        except Exception:
            logger.warning("Metrics: the database did not answer", exc_info=True)
            families, up = [], 0.0
        yield GaugeMetricFamily(
            "sneakerstock_database_up", "1 when the database answered this scrape.", value=up
        )
        yield from families


def metrics_text() -> bytes:
    """Everything this process (or, with PROMETHEUS_MULTIPROC_DIR, every process of this
    container) counted, and the database's figures, in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        events = CollectorRegistry()
        multiprocess.MultiProcessCollector(events)
    else:
        events = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    return generate_latest(events) + generate_latest(database)


def _authorized(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


class MetricsEndpointMiddleware:
    """Answer `/metrics` for the operator; pass every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != "/metrics" or not settings.METRICS_TOKEN:
            return self.get_response(request)
        if request.method != "GET":
            return HttpResponse(status=405, headers={"Allow": "GET"})
        if not _authorized(request):
            return HttpResponse(
                "A metrics token is needed (Authorization: Bearer …).\n",
                status=401,
                content_type="text/plain",
                headers={"WWW-Authenticate": "Bearer"},
            )
        response = HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response
