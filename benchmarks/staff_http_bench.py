"""The managers' dashboard and the staff finder over HTTP, under production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dashboard_bench \
    REDIS_URL=redis://127.0.0.1:6379/<own database> \
    python -m benchmarks.staff_http_bench [--runs 15]

(`make bench` runs it through benchmarks/bench_staff_http.py, after bench_dashboard has loaded
the data set.) DATABASE_URL's database holds the dashboard benchmark's data set (a year of 100
stores, benchmarks/dashboard_bench.py): it is migrated and the data set loaded with COPY when
it is not there yet (a few minutes). The project is served as `benchmarks/pages_bench.py`
serves it — `config.settings.production`, one gunicorn sync worker pinned to core 0 — and so
is the `startproject` hello-world, for reference. A superuser's session (kept in REDIS_URL's
cache, as production keeps sessions) asks, one request at a time, in interleaved rounds
after two warm-up requests each: the CX dashboard for the last 30 days and the last year, all
stores and one store, and the stock finder for one size's SKU and for a model's name, all
stores and from one store. Prints p50 / p95 / max (ms, the whole request as the browser
waits for it) with the page's size, the load average before and after, and writes
benchmarks/results/staff_http-<UTC time>.json.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.pages_bench import (  # first: production settings, django.setup()
    FORWARDED,
    RESULTS_DIR,
    STATIC_ROOT,
    Server,
    start,
    stop,
)

# isort: split

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from benchmarks import dashboard_bench
from benchmarks.dataset import database_url, dataset_ready
from catalog.models import Variant
from inventory.models import Store

DASHBOARD_GOAL_MS = 100
USERNAME = "staff-http-bench"


def staff_paths(days: int) -> list[tuple[str, str]]:
    """(what, path) of each staff page measured."""
    today = timezone.localdate()
    store = Store.objects.filter(is_warehouse=False).order_by("pk").first()
    assert store is not None, "the data set has no store"
    variant = Variant.objects.select_related("product").order_by("pk").first()
    assert variant is not None, "the data set has no sizes"
    year = min(days, 365)
    paths = []
    for label, first in [("30 days", today - timedelta(days=29)), (f"{year} days", None)]:
        start_day = first or today - timedelta(days=year - 1)
        for where, store_query in [("all stores", {}), ("one store", {"store": str(store.pk)})]:
            query = {"start": start_day.isoformat(), "end": today.isoformat(), **store_query}
            paths.append(
                (f"dashboard, {label}, {where}", f"/staff/cx/?{urllib.parse.urlencode(query)}")
            )
    for label, search in [
        ("finder, one size's SKU, all stores", {"q": variant.sku}),
        ("finder, a model's name, all stores", {"q": variant.product.name}),
        (
            "finder, a model's name, from one store",
            {"q": variant.product.name, "store": store.code},
        ),
    ]:
        paths.append((label, f"/staff/finder/?{urllib.parse.urlencode(search)}"))
    return paths


def session_cookie() -> str:
    """A superuser's session, kept where the served project reads sessions."""
    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def timed_get(url: str, cookie: str) -> tuple[float, int]:
    """ms the whole answer took, and its bytes; raises unless it is a 200."""
    request = urllib.request.Request(url, headers={**FORWARDED, "Cookie": cookie})  # noqa: S310
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
        body = response.read()
        status = response.status
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{url}: {status}")
    return elapsed, len(body)


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure(
    project: Server, hello: Server, paths: list[tuple[str, str]], cookie: str, runs: int
) -> list[dict[str, Any]]:
    targets = [
        ("hello-world (reference)", f"{hello.url}/"),
        *[(label, f"{project.url}{path}") for label, path in paths],
    ]
    times: dict[str, list[float]] = {label: [] for label, _url in targets}
    sizes: dict[str, int] = {}
    for label, url in targets:  # warm-up: imports, templates, connections
        for _ in range(2):
            sizes[label] = timed_get(url, cookie)[1]
    for _ in range(runs):  # interleaved: each round asks every page once
        for label, url in targets:
            times[label].append(timed_get(url, cookie)[0])
    rows = []
    for label, url in targets:
        rows.append(
            {
                "measurement": label,
                "url": url.split(":", 2)[-1].partition("/")[2],
                "kb": round(sizes[label] / 1024),
                **summary(times[label]),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--stores", type=int, default=100)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://.../<own database>")
        return 2
    call_command("migrate", interactive=False, verbosity=0)
    name = dashboard_bench.dataset_name(args.days, args.stores)
    if not dataset_ready(name):
        print(f"Loading the data set {name} with COPY (a few minutes)...")
        dashboard_bench.build_dataset(days=args.days, stores=args.stores, now=time.time())
    call_command("collectstatic", interactive=False, verbosity=0)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = RESULTS_DIR / "staff-http-gunicorn.log"
    server_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    project = Server(
        "project",
        "config.wsgi:application",
        {**server_env, "DATABASE_URL": database_url(settings.DATABASES["default"])},
    )
    hello = Server(
        "hello-world",
        "benchmarks.helloworld.wsgi:application",
        {**server_env, "DJANGO_SETTINGS_MODULE": "benchmarks.helloworld.settings"},
    )
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": name,
        "settings": "config.settings.production",
        "server": "gunicorn, 1 sync worker, taskset -c 0; one request at a time",
        "runs": args.runs,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        paths = staff_paths(args.days)
        cookie = session_cookie()
        start(project, log)
        start(hello, log)
        report["pages"] = measure(project, hello, paths, cookie, args.runs)
    finally:
        stop(project)
        stop(hello)
        get_user_model().objects.filter(username=USERNAME).delete()
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"{'measurement':<42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>5}")
    for row in report["pages"]:
        print(
            f"{row['measurement']:<42} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['max_ms']:>8} {row['kb']:>5}"
        )
    print(f"(load average {report['load_average_before'][0]} -> {report['load_average_after'][0]})")
    year = [r for r in report["pages"] if r["measurement"].startswith("dashboard, 365")]
    report["dashboard_year_meets_goal"] = all(r["p50_ms"] < DASHBOARD_GOAL_MS for r in year)
    print(
        f"Dashboard year under {DASHBOARD_GOAL_MS} ms (p50): {report['dashboard_year_meets_goal']}"
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"staff_http-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"Written to {path.relative_to(dashboard_bench.BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
