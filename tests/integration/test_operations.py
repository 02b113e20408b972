"""Two web containers (gunicorn, two processes each) and two Celery workers on one PostgreSQL
and one Redis, as `docker compose up --scale web=2 --scale worker=2` runs them: kept pages,
rate limits, allocation and sending behave as one system. And what an operator sees of them:
the workers' metrics on their own ports and a web container's at /metrics (every process
added up), and the workers' JSON log lines carrying the id of the web request that queued
the task."""

import contextlib
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.logging import redact
from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold
from inventory.tills import till_token_create
from notifications import services as messaging
from notifications.models import Message
from reviews.models import SiteFeedback
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import Worker, celery_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_LOCAL, PHONE = "050-234-5678", "+972502345678"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _metrics_env(port: int) -> dict[str, str]:
    return {
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="worker-metrics-"),
        "WORKER_METRICS_PORT": str(port),
        "LOG_FORMAT": "json",
    }


@pytest.fixture(scope="module")
def workers(start_worker: Callable[..., Worker]) -> list[Worker]:
    """Two workers on one broker, each logging JSON and serving its metrics on its own port
    (a text may go through either)."""
    started = []
    for _ in range(2):
        port = _free_port()
        worker = start_worker(concurrency=2, extra_env=_metrics_env(port))
        worker.metrics_url = f"http://127.0.0.1:{port}/metrics"  # type: ignore[attr-defined]
        started.append(worker)
    return started


def scrape(worker: Worker) -> str:
    url = worker.metrics_url  # type: ignore[attr-defined]
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
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


def scrape_all(workers: list[Worker]) -> str:
    return "\n".join(scrape(worker) for worker in workers)


def test_worker_metrics_move_when_a_restock_reaches_a_phone(workers, twilio):
    store, variant = StoreFactory(), VariantFactory()
    WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)

    inventory.stock_receive(store=store, variant=variant, quantity=1)

    twilio.wait_for(1)
    moved = {
        'sneakerstock_message_sends_total{channel="sms"',
        "sneakerstock_allocation_lag_seconds_count",
        'sneakerstock_holds_total{event="created",purpose="waitlist"}',
        # The allocation task may finish after the text it queued has gone from the other worker.
        'sneakerstock_celery_tasks_total{state="success",task="demand.waitlist_allocate"}',
    }

    def still() -> set[str]:
        scraped = scrape_all(workers)
        return {series for series in moved if value(scraped, series) < 1}

    wait_until(lambda: not still(), what="the workers' metrics moving")
    text = scrape_all(workers)
    labels = " ".join(line.partition("{")[2] for line in text.splitlines() if "{" in line)
    assert PHONE not in text and redact(labels) == labels


def test_a_log_line_follows_a_sign_up_into_the_task_that_texts_the_code(workers, twilio):
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
        lines = [line for worker in workers for line in json_lines(worker.log)]
        return [line for line in lines if line.get("request_id") == request_id]

    wait_until(lambda: traced(), what="a worker log line with the request's id")
    assert any(f"SMS #{code_text.pk} sent" in line["message"] for line in traced())
    logged = "".join(worker.log.read_text(errors="replace") for worker in workers)
    assert PHONE not in logged and PHONE_LOCAL not in logged


# --- Two web containers ---------------------------------------------------------------------
FEEDBACK_LIMIT = 3


METRICS_TOKEN = "scaled-metrics-token-0123456789"


class Web:
    """One web container: gunicorn with Compose's config (config/gunicorn.py) and two worker
    processes counting their metrics into a folder of their own, on its own port."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.metrics_dir = Path(tempfile.mkdtemp(prefix="web-metrics-"))
        env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "config/gunicorn.py",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        wait_until(self._answers, timeout=60, what="gunicorn answering")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {self.process.stderr.read()!r}")  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        return False

    def stop(self) -> None:
        """Ask gunicorn to stop; `wait` for it."""
        self.process.terminate()

    def wait(self) -> None:
        self.process.wait(timeout=20)
        shutil.rmtree(self.metrics_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def webs(workers: list[Worker], integration_db: str, twilio) -> Iterator[list[Web]]:
    env = celery_env(
        database_url=integration_db,
        broker_url=settings.REDIS_URL,
        twilio_url=twilio.url,
        extra_env={
            "SITE_FEEDBACK_PER_IP_HOUR": str(FEEDBACK_LIMIT),
            "METRICS_TOKEN": METRICS_TOKEN,
            "LOG_LEVEL": "WARNING",
            "DJANGO_READ_DOT_ENV_FILE": "False",
        },
    )
    started = [Web(env), Web(env)]
    yield started
    for web in started:
        web.stop()
    for web in started:
        web.wait()


class Visitor:
    """One browser: its cookies (the CSRF cookie works on either web process, which share the
    secret key) and plain HTTP to a given process."""

    def __init__(self) -> None:
        self.cookies: SimpleCookie = SimpleCookie()

    def request(self, web: Web, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=20)
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        connection.request(method, path, headers=headers, **kwargs)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        body = response.read()
        connection.close()
        return response.status, body

    def page(self, web: Web, path: str) -> bytes:
        status, body = self.request(web, "GET", path)
        assert status == 200, body[:500]
        # Each render masks the CSRF token differently; everything else is the same page.
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)


def till_post(web: Web, key: str, variant: Any, reference: str) -> int:
    line = {"type": "receipt", "sku": variant.sku, "quantity": 1, "reference": reference}
    status, _body = Visitor().request(
        web,
        "POST",
        "/api/v1/movements",
        body=json.dumps({"lines": [line]}),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    return status


def test_a_page_kept_by_one_web_process_is_renewed_by_a_change_through_the_other(webs):
    first, second = webs
    store, variant = StoreFactory(), VariantFactory()
    _token, key = till_token_create(store=store, name="till 1")
    path = reverse("storefront:product", args=[variant.product.slug])
    visitor = Visitor()
    before = visitor.page(first, path)
    assert visitor.page(second, path) == before  # kept, the same for both

    assert till_post(second, key, variant, "R-kept-1") == 200

    wait_until(lambda: visitor.page(first, path) != before, what="the first process's page")
    assert visitor.page(first, path) == visitor.page(second, path)


def test_a_rate_limit_counts_across_web_processes(webs):
    visitor = Visitor()
    status, page = visitor.request(webs[0], "GET", "/admin/login/")
    assert status == 200
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    csrf = found.group(1).decode()

    for attempt in range(2 * FEEDBACK_LIMIT):
        status, _ = visitor.request(
            webs[attempt % 2],
            "POST",
            "/feedback/",
            body="found=no&comment=missing+size",
            headers={
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 200

    assert SiteFeedback.objects.count() == FEEDBACK_LIMIT


def test_restocks_through_two_web_processes_are_allocated_and_texted_once(webs, twilio):
    store, variant = StoreFactory(), VariantFactory()
    waiting = [
        WaitlistEntryFactory(store=store, variant=variant, phone=f"+97250{4000000 + i:07d}")
        for i in range(4)
    ]
    for i, entry in enumerate(waiting):
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            created_at=timezone.now() - timedelta(hours=1) + timedelta(seconds=i)
        )
    keys = [till_token_create(store=store, name=f"till {n}")[1] for n in (1, 2)]
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda web, key, n: statuses.append(till_post(web, key, variant, f"R-{n}")),
            args=(web, key, n),
        )
        for n, (web, key) in enumerate(zip(webs, keys, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    accepted = twilio.wait_for(2)
    wait_until(
        lambda: Message.objects.filter(purpose="hold_ready", status="sent").count() == 2,
        what="two hold texts sent",
    )
    assert sorted(r.form["To"] for r in accepted) == sorted(e.phone for e in waiting[:2])
    assert Hold.objects.filter(store=store, status="active").count() == 2


def test_two_workers_send_each_queued_text_once(workers, twilio, settings):
    settings.SMS_SEND_BATCH = 2
    texts = [
        Message.objects.create(
            recipient=f"+97250{5000000 + i:07d}",
            body=f"text {i}",
            purpose="other",
            idempotency_key=f"scaled-{i}",
        )
        for i in range(10)
    ]
    ids = [text.pk for text in texts]

    # The same texts handed over twice (a sweep racing the first hand-over): two tasks for each.
    messaging.messages_dispatch(ids)
    messaging.messages_dispatch(ids)

    twilio.wait_for(10)
    wait_until(
        lambda: Message.objects.filter(pk__in=ids, status="sent").count() == 10,
        what="ten texts sent",
    )
    sent_to = [r.form["To"] for r in twilio.requests]
    assert sorted(sent_to) == sorted(text.recipient for text in texts)


def test_a_web_containers_metrics_add_up_its_gunicorn_processes(webs):
    web = webs[0]
    series = (
        'sneakerstock_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}'
    )

    def scraped() -> float:
        status, body = Visitor().request(
            web, "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        assert status == 200
        return value(body.decode(), series)

    before = scraped()
    # Eight at a time: a sync worker answers one request at a time, so both take some.
    threads = [
        threading.Thread(
            target=lambda: [Visitor().request(web, "GET", "/healthz/") for _ in range(5)]
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert scraped() - before == 40
    counting = {path.stem.rsplit("_", 1)[-1] for path in web.metrics_dir.glob("histogram_*.db")}
    assert len(counting) >= 2, "one gunicorn process served every request"
