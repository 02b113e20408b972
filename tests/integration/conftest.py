"""A real Celery worker process on a real Redis broker, sharing the pytest database.

The worker is `celery -A config worker` in a subprocess with the test settings, not eager,
pointed at the test database (its name is only known once pytest-django has created it) and
at the Twilio-compatible fake on loopback. Tests are transactional: what they write is
committed, so the worker sees it, and what the worker writes, they see.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
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


def celery_env(
    *, database_url: str, broker_url: str, twilio_url: str, extra_env: dict[str, str] | None
) -> dict[str, str]:
    """The environment of a worker or beat: test settings, not eager, this test's database and
    broker, Twilio at the fake."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        # The URL above is this test process's already (config/settings/test.py).
        "PYTEST_XDIST_WORKER": "",
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


class CeleryProcess:
    """A `celery` command in its own process group, logging to a file of its own."""

    ready_line = ""

    def __init__(self, arguments: list[str], env: dict[str, str]) -> None:
        self.log = Path(tempfile.mkstemp(prefix="celery-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *arguments],
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
                raise RuntimeError(f"celery exited:\n{self.tail()}")
            if self.ready_line in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise RuntimeError(f"celery did not start:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the process and its children: nothing gets to clean up."""
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


class Worker(CeleryProcess):
    """One `celery worker` process (and its pool children)."""

    ready_line = " ready."

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
        env = celery_env(
            database_url=database_url,
            broker_url=broker_url,
            twilio_url=twilio_url,
            extra_env=extra_env,
        )
        super().__init__(
            [
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
            env,
        )


class Beat(CeleryProcess):
    """`celery beat` with the settings' own schedule (CELERY_BEAT_SCHEDULE)."""

    ready_line = "beat: Starting"

    def __init__(self, *, database_url: str, broker_url: str, twilio_url: str) -> None:
        self.schedule = Path(tempfile.mkdtemp(prefix="celerybeat-")) / "schedule"
        env = celery_env(
            database_url=database_url, broker_url=broker_url, twilio_url=twilio_url, extra_env={}
        )
        super().__init__(
            ["beat", f"--schedule={self.schedule}", "--loglevel=INFO"],
            env,
        )

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.schedule.parent, ignore_errors=True)


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


@pytest.fixture
def start_beat(integration_db: str, twilio: FakeTwilio) -> Iterator[Callable[..., Beat]]:
    """Start celery beat on a broker (stopped at the end of the test): the periodic sweeps on
    their real schedule."""
    started: list[Beat] = []

    def start(broker_url: str | None = None) -> Beat:
        beat = Beat(
            database_url=integration_db,
            broker_url=broker_url or settings.REDIS_URL,
            twilio_url=twilio.url,  # type: ignore[attr-defined]
        )
        started.append(beat)
        return beat

    yield start
    for beat in started:
        beat.stop()


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
        self.port = free_port()
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


class CountingRelay:
    """A TCP relay to a port on loopback that counts the connections made through it: how many
    times a process tried to reach its broker. A connection the target refuses is closed at
    once, as the target would have refused it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed
            self.connections += 1
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
            except OSError:
                client.close()
                continue
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()
        for end in self._sockets:
            end.close()


def free_port() -> int:
    """A port nobody listens on, chosen by the kernel (no two test processes get the same)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
