"""What an operator sees of a real worker: its metrics on its own port (every pool process
added up), and its JSON log lines carrying the id of the web request that queued the task."""

import json
import socket
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.logging import redact
from inventory import services as inventory
from notifications.models import Message
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import Worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_LOCAL, PHONE = "050-234-5678", "+972502345678"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def worker(start_worker: Callable[..., Worker]) -> Worker:
    """One worker for the module, logging JSON and serving its metrics on a port of its own."""
    port = _free_port()
    started = start_worker(
        concurrency=2,
        extra_env={
            "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="worker-metrics-"),
            "WORKER_METRICS_PORT": str(port),
            "LOG_FORMAT": "json",
        },
    )
    started.metrics_url = f"http://127.0.0.1:{port}/metrics"  # type: ignore[attr-defined]
    return started


def scrape(worker: Worker) -> str:
    url = worker.metrics_url  # type: ignore[attr-defined]
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode()


def value(text: str, series: str) -> float:
    """The sum of every series line that starts with `series` (all label sets)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(series) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def json_lines(log: Path) -> list[dict]:
    lines = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def test_worker_metrics_move_when_a_restock_reaches_a_phone(worker, twilio):
    store, variant = StoreFactory(), VariantFactory()
    WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)

    inventory.stock_receive(store=store, variant=variant, quantity=1)

    twilio.wait_for(1)
    wait_until(
        lambda: value(scrape(worker), 'sneakerstock_message_sends_total{channel="sms"') >= 1,
        what="the worker counted the text it sent",
    )
    text = scrape(worker)
    assert value(text, "sneakerstock_allocation_lag_seconds_count") >= 1
    assert value(text, 'sneakerstock_holds_total{event="created",purpose="waitlist"}') >= 1
    assert (
        value(
            text, 'sneakerstock_celery_tasks_total{state="success",task="demand.waitlist_allocate"}'
        )
        >= 1
    )
    labels = " ".join(line.partition("{")[2] for line in text.splitlines() if "{" in line)
    assert PHONE not in text and redact(labels) == labels


def test_a_log_line_follows_a_sign_up_into_the_task_that_texts_the_code(worker, twilio):
    store, variant = StoreFactory(), VariantFactory()
    request_id = "signup-trace-abcdef"
    customer = Client(headers={"x-request-id": request_id})

    answer = customer.post(
        f"{reverse('demand:signup')}?variant={variant.pk}&store={store.pk}",
        {"variant": variant.pk, "store": store.pk, "phone": PHONE_LOCAL, "language": "en"},
    )

    assert answer["X-Request-ID"] == request_id
    twilio.wait_for(1)
    code_text = Message.objects.get(purpose="verification")

    def traced() -> list[dict]:
        return [line for line in json_lines(worker.log) if line.get("request_id") == request_id]

    wait_until(lambda: traced(), what="a worker log line with the request's id")
    assert any(f"SMS #{code_text.pk} sent" in line["message"] for line in traced())
    logged = worker.log.read_text(errors="replace")
    assert PHONE not in logged and PHONE_LOCAL not in logged
