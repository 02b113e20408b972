"""The Celery app. Settings come from Django's settings, prefixed CELERY_.

Its signals carry the web request's id into every task it queues (a header, made current
again while the task runs: `core.requestid`), count each finished task for the metrics, and,
in a worker with WORKER_METRICS_PORT, serve the worker's metrics (all its pool processes,
through PROMETHEUS_MULTIPROC_DIR) on that port for Prometheus.
"""

import os
import shutil
import time
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import (
    before_task_publish,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_shutdown,
    worker_ready,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("sneakerstock")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEADER = "request_id"
_started: dict[str, float] = {}


@before_task_publish.connect
def _request_id_into_headers(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    from core import requestid

    if headers is not None and not headers.get(HEADER):
        headers[HEADER] = requestid.current()


@task_prerun.connect
def _task_started(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    """The id of the request that queued the task (or, in-process, of the request running it;
    for a periodic task, its own id) is current while it runs."""
    from core import requestid

    given = task.request.get(HEADER) if task is not None else None
    requestid.set_current(given or requestid.current() or task_id)
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id: str = "", task: Any = None, state: str = "", **kwargs: Any) -> None:
    from core import metrics, requestid

    name = getattr(task, "name", "unknown")
    metrics.TASKS.labels(task=name, state=(state or "unknown").lower()).inc()
    started = _started.pop(task_id, None)
    if started is not None:
        metrics.TASK_SECONDS.labels(task=name).observe(time.perf_counter() - started)
    if not task or not task.request.is_eager:
        requestid.set_current("")


@worker_init.connect
def _fresh_metrics_folder(**kwargs: Any) -> None:
    """A worker starting counts from zero: the files of an earlier run (same folder, a
    restarted container) would be added in."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


@worker_ready.connect
def _serve_worker_metrics(**kwargs: Any) -> None:
    from django.conf import settings

    port = settings.WORKER_METRICS_PORT
    if port and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(port, registry=registry)


@worker_process_shutdown.connect
def _forget_pool_process(pid: int | None = None, **kwargs: Any) -> None:
    """A pool process that ended: its live gauges go (its counters are kept)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
