"""Queueing a task after commit: never before, never for a rollback, never failing the caller
over a broker outage unless tasks run in-process."""

import logging

import pytest
from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

from core import tasks
from core.tasks import queue_after_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _forget_fake_tasks():
    yield
    for name in [name for name in current_app.tasks if name.startswith("tests.fake.")]:
        del current_app.tasks[name]


class FakeTask:
    """Records what was published; raises `error` instead when it is set. Registered with the
    Celery app under a name of its own, as services name the tasks they queue."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.published: list[tuple[tuple, float | None]] = []
        self.name = f"tests.fake.{id(self)}"
        current_app.tasks[self.name] = self  # type: ignore[assignment]

    def delay(self, *args):
        self._publish(args, None)

    def apply_async(self, args, countdown=None):
        self._publish(tuple(args), countdown)

    def _publish(self, args, countdown):
        if self.error is not None:
            raise self.error
        self.published.append((args, countdown))


def test_queue_after_commit_publishes_only_once_the_transaction_commits():
    task = FakeTask()
    with transaction.atomic():
        queue_after_commit(task.name, 1, 2)
        assert task.published == []
    assert task.published == [((1, 2), None)]


def test_queue_after_commit_publishes_nothing_for_a_rollback():
    task = FakeTask()
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_after_commit(task.name, 1)
        raise RuntimeError("rolled back")
    assert task.published == []


def test_queue_after_commit_outside_a_transaction_publishes_at_once_with_its_countdown():
    task = FakeTask()
    queue_after_commit(task.name, 7, countdown=30)
    assert task.published == [((7,), 30)]


def test_queue_after_commit_broker_down_is_logged_and_the_caller_carries_on(settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    down = FakeTask(OperationalError("connection refused"))
    after: list[str] = []
    with caplog.at_level(logging.WARNING, logger="core.tasks"), transaction.atomic():
        queue_after_commit(down.name, 5, what="SMS #5 (the sweep will send it)")
        transaction.on_commit(lambda: after.append("ran"))
    assert after == ["ran"]  # the next after-commit callback still ran
    assert "Could not queue SMS #5 (the sweep will send it)" in caplog.text


def test_queue_after_commit_broker_down_is_tried_once_then_left_alone_for_a_while(
    settings, caplog, monkeypatch
):
    """A receipt of many lines waits on a broker that is down once, not once a line."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    clock = [1000.0]
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    down = FakeTask(OperationalError("connection refused"))
    tries: list[int] = []
    monkeypatch.setattr(down, "delay", lambda *args: tries.append(1) or down._publish(args, None))
    with caplog.at_level(logging.WARNING, logger="core.tasks"), transaction.atomic():
        for line in range(10):
            queue_after_commit(down.name, line, what=f"the allocation for line {line}")
    assert len(tries) == 1
    assert "Broker unreachable a moment ago: not queueing the allocation for line 9" in caplog.text

    clock[0] += tasks.BROKER_RETRY_AFTER + 1  # the broker is back
    down.error = None
    queue_after_commit(down.name, 10)
    assert down.published == [((10,), None)]


def test_queue_after_commit_an_error_that_is_not_the_broker_does_not_stop_other_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broken, fine = FakeTask(TypeError("not JSON serialisable")), FakeTask()
    queue_after_commit(broken.name, 1)
    queue_after_commit(fine.name, 2)
    assert fine.published == [((2,), None)]


def test_queue_after_commit_eager_tasks_raise_their_errors(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    task = FakeTask(ValueError("the task failed"))
    with pytest.raises(ValueError, match="the task failed"), transaction.atomic():
        queue_after_commit(task.name, 1)


def test_a_worker_that_has_a_task_from_the_broker_tries_the_broker_again_at_once(settings):
    """After an outage a worker's sweeps hand their texts over as soon as they run, not after
    the pause a failure earlier in that process began."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    tasks.broker.failed()
    after = FakeTask()
    queue_after_commit(after.name, 1)
    assert after.published == []  # left alone: the broker failed a moment ago

    tasks._registered("notifications.messages_dispatch_due").apply()  # as a worker runs it

    queue_after_commit(after.name, 2)
    assert after.published == [((2,), None)]
