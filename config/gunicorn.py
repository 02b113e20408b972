"""gunicorn's settings for the web container (`gunicorn -c config/gunicorn.py config.wsgi`).

Each gunicorn worker counts its own metrics into PROMETHEUS_MULTIPROC_DIR; /metrics adds the
files up. The folder is emptied when gunicorn starts (counts of an earlier run would be added
in), and a worker that exits has its live figures dropped.
https://prometheus.github.io/client_python/multiprocess/
https://docs.gunicorn.org/en/stable/settings.html#server-hooks
"""

import os
import shutil
from pathlib import Path
from typing import Any

bind = "0.0.0.0:8000"
accesslog = "-"
timeout = 30
# Workers: WEB_CONCURRENCY, read by gunicorn itself.


def on_starting(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
