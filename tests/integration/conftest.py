"""A real Celery worker process on a real Redis broker, sharing the pytest database.

The worker is `celery -A config worker` in a subprocess with the test settings, not eager,
pointed at the test database (its name is only known once pytest-django has created it) and
at the Twilio-compatible fake on loopback. Tests are transactional: what they write is
committed, so the worker sees it, and what the worker writes, they see.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from tests.integration.twilio_fake import FakeTwilio

BASE_DIR = Path(__file__).resolve().parents[2]
TWILIO_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "integration-auth-token",
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "1" * 32,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def integration_db(django_db_setup: None) -> str:
    """The test database's URL, for the worker. Skips without PostgreSQL and Redis."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Integration tests need PostgreSQL: a worker process shares the test "
            "database, with row locks (set DATABASE_URL=postgres://...)."
        )
    if not settings.REDIS_URL:
        pytest.skip("Integration tests need Redis as the Celery broker (set REDIS_URL).")
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def twilio(integration_db: str) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    fake.url = fake.start()  # type: ignore[attr-defined]
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _fresh_fake(request: pytest.FixtureRequest) -> None:
    if "twilio" in request.fixturenames:
        request.getfixturevalue("twilio").reset()


def use_broker(url: str) -> None:
    """Make this (test) process publish to `url` instead of running tasks in-process."""
    conf: Any = celery_app.conf
    conf.task_always_eager = False
    conf.broker_url = url
    # Drop pooled connections and producers bound to the previous broker (kombu keeps a
    # process-wide registry of them too).
    kombu_pools.reset()
    setattr(celery_app, "_pool", None)  # noqa: B010 (private attributes, no public reset)
    setattr(celery_app.amqp, "_producer_pool", None)  # noqa: B010


class Worker:
    """One `celery worker` process (and its pool children) in its own process group."""

    def __init__(
        self,
        *,
        database_url: str,
        broker_url: str,
        twilio_url: str,
        concurrency: int = 4,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.name = f"it-{uuid.uuid4().hex[:8]}@localhost"
        self.log = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": broker_url,
            "SMS_BACKEND": "notifications.backends.twilio.TwilioBackend",
            "TWILIO_API_BASE_URL": twilio_url,
            "TWILIO_HTTP_TIMEOUT": "5",
            "SMS_RETRY_BACKOFF": "0.3",
            "SMS_RETRY_BACKOFF_MAX": "1",
            "SMS_MAX_ATTEMPTS": "4",
            "QUIET_HOURS": "",
            "SMS_SEND_RATE_PER_SECOND": "0",
            "SITE_URL": "https://sole.example",
            "PYTHONUNBUFFERED": "1",
            **TWILIO_ENV,
            **(extra_env or {}),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-n",
                self.name,
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited:\n{self.tail()}")
            if " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise RuntimeError(f"The worker did not start:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the worker and every pool process: nothing gets to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def start_worker(integration_db: str, twilio: FakeTwilio) -> Iterator[Callable[..., Worker]]:
    """Start workers (stopped at the end of the module); this process publishes to the same
    broker."""
    started: list[Worker] = []

    def start(broker_url: str | None = None, **kwargs: object) -> Worker:
        broker = broker_url or settings.REDIS_URL
        use_broker(broker)
        worker = Worker(
            database_url=integration_db,
            broker_url=broker,
            twilio_url=twilio.url,  # type: ignore[attr-defined]
            **kwargs,  # type: ignore[arg-type]
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(scope="module")
def worker(start_worker: Callable[..., Worker]) -> Worker:
    return start_worker()


@pytest.fixture(autouse=True)
def _as_the_web_process(settings: object) -> None:
    """This process plays the web server: it publishes tasks (never runs them) and gets the
    webhooks, with the worker's Twilio credentials."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # type: ignore[attr-defined]
    settings.TWILIO_AUTH_TOKEN = TWILIO_ENV["TWILIO_AUTH_TOKEN"]  # type: ignore[attr-defined]
    settings.QUIET_HOURS = ""  # type: ignore[attr-defined]


class PrivateRedis:
    """A redis-server of our own on a spare port, so stopping it disturbs nobody."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = _free_port(start=6390)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a private redis-server")


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")
