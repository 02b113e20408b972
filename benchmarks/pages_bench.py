"""The storefront's pages against Django's hello-world, served the same way, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/base \
    REDIS_URL=redis://127.0.0.1:6379/3 \
    python benchmarks/pages_bench.py [--stores 12 100] [--seconds 5] [--rounds 3]

(`make bench` runs it too, through benchmarks/bench_pages.py, with the defaults; a default
run takes about four minutes.)

The project runs under `config.settings.production` (the variables it demands are set here,
for this run only: a throw-away SECRET_KEY, loopback hosts, texts off) against a scratch
database created beside DATABASE_URL's (`<name>_pages_bench`, dropped on exit) and the Redis
of REDIS_URL, whose database is emptied before each data set: give the run a Redis database of
its own. Static files are collected into a temporary folder, as Compose does.

Two gunicorn servers, each one sync worker pinned to core 0 with taskset: the project, and
the hello-world of benchmarks/helloworld/ (`startproject` settings and middleware, DEBUG off,
one view). The load generator, wrk (Debian's package: `apt-get install wrk`), is pinned to
core 1 with 4 connections. Requests carry `X-Forwarded-Proto: https`, as behind Compose's
Caddy. For each data set (12 and 100 shops × 14 sizes, benchmarks/pages_dataset.py) every
target is warmed up, then each round measures the hello-world and then each page, for
--seconds each (A/B/A/B...): a page's ratio is its req/s over the hello-world's in the same
round. Pages: the product page in Hebrew and English (the product stocked at the most shops),
home, the catalogue list and the stores page. Page bytes and SQL queries per request are
counted outside the load, with Django's test client under the same settings.

Prints a table (mean ratio with its min and max over the rounds, and the load average before
and after) and writes benchmarks/results/pages-<UTC timestamp>.json. Ctrl-C stops the servers
and drops the scratch database.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"
STATIC_ROOT = str(Path(tempfile.gettempdir()) / f"pages-bench-static-{os.getpid()}")
HOSTS = "127.0.0.1,localhost"
# What config.settings.production refuses to start without, for this run only.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "page-benchmark-only-" + os.urandom(24).hex(),
    "ALLOWED_HOSTS": HOSTS,
    "SITE_URL": "https://shop.example.com",
    "SMS_ENABLED": "False",
    # Production refuses a broker on the cache's Redis server. No worker runs here and texts
    # are off: a task queued by a till write finds no broker (one refused connection, then
    # core.tasks leaves it alone for a while), as when the broker is down.
    "CELERY_BROKER_URL": "redis://127.0.0.2:6379/0",
    "STATIC_ROOT": STATIC_ROOT,
    "DEBUG": "False",
    "LOG_LEVEL": "WARNING",
    "DJANGO_READ_DOT_ENV_FILE": "False",
}
os.environ.update(PRODUCTION_ENV)

import django  # noqa: E402

if not os.environ.get("REDIS_URL"):
    print(
        "The page benchmark needs REDIS_URL=redis://HOST:6379/<a database of its own> "
        "(production settings need a shared cache; the run empties that database)."
    )
    sys.exit(2)
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from benchmarks.dataset import database_url  # noqa: E402
from benchmarks.pages_dataset import SIZES, build_dataset, busiest_product  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
SERVER_CORE, LOAD_CORE = "0", "1"
FORWARDED = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Page:
    name: str
    path: str


@dataclass
class Server:
    name: str
    wsgi: str
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(server: Server, log: Path, workers: int = 1) -> None:
    """gunicorn with `workers` sync workers (one unless told) on core 0; returns once it
    answers."""
    server.port = _free_port()
    with log.open("ab") as out:
        server.process = subprocess.Popen(
            [
                "taskset",
                "-c",
                SERVER_CORE,
                sys.executable,
                "-m",
                "gunicorn",
                server.wsgi,
                "--bind",
                f"127.0.0.1:{server.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=server.env,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited at start; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not start; see {log}")


def stop(server: Server) -> None:
    process, server.process = server.process, None
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=FORWARDED)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status, response.read()


def wrk(url: str, seconds: int, connections: int) -> dict[str, Any]:
    """Requests per second over `seconds` from wrk on core 1; non-2xx answers are errors."""
    command = [
        "taskset",
        "-c",
        LOAD_CORE,
        WRK,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
    ]
    for name, value in FORWARDED.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 90
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    total = re.search(r"(\d+) requests in", result.stdout)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", result.stdout)
    if not rate or not total:
        raise RuntimeError(f"unexpected wrk output:\n{result.stdout}{result.stderr}")
    return {
        "rps": float(rate.group(1)),
        "requests": int(total.group(1)),
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


# --- What a request costs, outside the load ----------------------------------------------------


def weigh(pages: list[Page]) -> dict[str, dict[str, int]]:
    """Bytes (uncompressed, and gzipped as a proxy would send them) and SQL queries of each
    page: the first request after the data set was loaded, and a repeat (what the load run
    sees)."""
    client = Client(headers={"Host": "127.0.0.1", **FORWARDED})
    figures = {}
    for page in pages:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            if response.status_code != 200:
                raise RuntimeError(f"{page.path} answered {response.status_code}")
            counts.append(len(queries))
        figures[page.name] = {
            "bytes": len(response.content),
            "gzip_bytes": len(gzip.compress(response.content)),
            "queries": counts[1],
            "queries_first_request": counts[0],
        }
    return figures


def storefront_pages() -> list[Page]:
    product = busiest_product()
    pages = []
    for language, name in (("he", "product page (Hebrew)"), ("en", "product page (English)")):
        with translation.override(language):
            pages.append(Page(name, reverse("storefront:product", args=[product.slug])))
    with translation.override("he"):
        pages += [
            Page("home", reverse("storefront:home")),
            Page("catalogue list", reverse("storefront:product_list")),
            Page("stores page", reverse("storefront:stores")),
        ]
    return pages


# --- One data set -------------------------------------------------------------------------------


def measure_scale(
    *, stores: int, sizes: int, args: argparse.Namespace, hello: Server, project: Server, log: Path
) -> dict[str, Any]:
    print(f"\n== {stores} shops x {sizes} sizes")
    started = time.perf_counter()
    rows = build_dataset(stores=stores, sizes=sizes)
    cache.clear()  # nothing cached from the previous data set
    print(
        f"  data set in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in rows.items())
    )
    pages = storefront_pages()
    weights = weigh(pages)
    connection.close()
    stop(project)  # a fresh worker: no per-process state from the previous data set
    start(project, log)
    status, body = fetch(hello.url + "/")
    if (status, body) != (200, b"Hello, world"):
        raise RuntimeError(f"the hello-world answered {status} {body[:100]!r}")
    for target in [hello.url + "/"] + [project.url + page.path for page in pages]:
        status, _body = fetch(target)
        if status != 200:
            raise RuntimeError(f"{target} answered {status}")
        wrk(target, args.warmup, args.connections)

    load_before = os.getloadavg()
    hello_rounds: list[dict[str, Any]] = []
    page_rounds: dict[str, list[dict[str, Any]]] = {page.name: [] for page in pages}
    for round_number in range(1, args.rounds + 1):
        hello_run = wrk(hello.url + "/", args.seconds, args.connections)
        hello_rounds.append(hello_run)
        line = [f"  round {round_number}: hello-world {hello_run['rps']:,.0f} req/s"]
        for page in pages:
            run = wrk(project.url + page.path, args.seconds, args.connections)
            run["ratio"] = run["rps"] / hello_run["rps"]
            page_rounds[page.name].append(run)
            line.append(f"{page.name} {run['ratio']:.1%}")
        print("; ".join(line))
    load_after = os.getloadavg()

    results = []
    for page in pages:
        runs = page_rounds[page.name]
        ratios = [run["ratio"] for run in runs]
        results.append(
            {
                "page": page.name,
                "path": page.path,
                "rps_mean": round(statistics.mean(run["rps"] for run in runs), 1),
                "ratio_mean": round(statistics.mean(ratios), 4),
                "ratio_min": round(min(ratios), 4),
                "ratio_max": round(max(ratios), 4),
                "rounds": [
                    {
                        "rps": run["rps"],
                        "ratio": round(run["ratio"], 4),
                        "requests": run["requests"],
                        "errors": run["errors"],
                        "socket_errors": run["socket_errors"],
                    }
                    for run in runs
                ],
                **weights[page.name],
            }
        )
    return {
        "stores": stores,
        "sizes": sizes,
        "rows": rows,
        "hello_world_rps": [run["rps"] for run in hello_rounds],
        "hello_world_errors": sum(run["errors"] for run in hello_rounds),
        "pages": results,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }


def print_table(report: dict[str, Any]) -> None:
    for scale in report["scales"]:
        hello = scale["hello_world_rps"]
        print(
            f"\n{scale['stores']} shops x {scale['sizes']} sizes; hello-world "
            f"{statistics.mean(hello):,.0f} req/s ({min(hello):,.0f}-{max(hello):,.0f}); "
            f"load average {scale['load_average_before'][0]:.2f} -> "
            f"{scale['load_average_after'][0]:.2f}"
        )
        print(
            f"  {'page':<24} {'req/s':>8} {'ratio':>7} {'(min-max)':>15} "
            f"{'KB':>8} {'KB gzip':>8} {'queries':>8}"
        )
        for row in scale["pages"]:
            span = f"{row['ratio_min']:.1%}-{row['ratio_max']:.1%}"
            print(
                f"  {row['page']:<24} {row['rps_mean']:>8,.1f} {row['ratio_mean']:>7.1%} "
                f"{span:>15} {row['bytes'] / 1024:>8.1f} {row['gzip_bytes'] / 1024:>8.1f} "
                f"{row['queries']:>8}"
            )


def _raise_exit(signum: int, _frame: Any) -> NoReturn:
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stores",
        type=int,
        nargs="+",
        default=[12, 100],
        help="shop counts, one data set each (default: 12 100)",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        default=len(SIZES),
        choices=range(1, 15),
        metavar=f"1..{len(SIZES)}",
        help="sizes a product (default: 14)",
    )
    parser.add_argument("--seconds", type=int, default=5, help="each measurement (whole seconds)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="seconds a target, first")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("The page benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    if not Path(WRK).exists():
        print("The page benchmark drives the servers with wrk: apt-get install wrk")
        return 2
    if not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        print(
            "The page benchmark pins the server and wrk to two cores with taskset "
            "(util-linux): it needs two cores."
        )
        return 2

    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = RESULTS_DIR / "pages-gunicorn.log"
    scratch = f"{connection.settings_dict['NAME']}_pages_bench"
    connection.settings_dict["TEST"]["NAME"] = scratch
    server_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    hello = Server(
        "hello-world",
        "benchmarks.helloworld.wsgi:application",
        {**server_env, "DJANGO_SETTINGS_MODULE": "benchmarks.helloworld.settings"},
    )
    project = Server("project", "config.wsgi:application", {})
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "settings": "config.settings.production",
        "server": "gunicorn, 1 sync worker, taskset -c 0 (project and hello-world alike)",
        "load": f"wrk -t1 -c{args.connections}, taskset -c 1, X-Forwarded-Proto: https",
        "seconds": args.seconds,
        "rounds": args.rounds,
        "warmup_seconds": args.warmup,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "scales": [],
    }
    created = False
    try:
        print(f"Scratch database {scratch}; collecting static files...")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        created = True
        call_command("collectstatic", interactive=False, verbosity=0)
        db = settings.DATABASES["default"]
        project.env = {**server_env, "DATABASE_URL": database_url(db)}
        start(hello, log)
        for stores in args.stores:
            report["scales"].append(
                measure_scale(
                    stores=stores,
                    sizes=args.sizes,
                    args=args,
                    hello=hello,
                    project=project,
                    log=log,
                )
            )
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers and dropping the scratch database.")
        return 130
    finally:
        stop(project)
        stop(hello)
        connection.close()
        if created:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]

    print_table(report)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"pages-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
    errors = sum(
        scale["hello_world_errors"]
        + sum(run["errors"] for row in scale["pages"] for run in row["rounds"])
        for scale in report["scales"]
    )
    if errors:
        print(f"{errors} answers were not 2xx/3xx: see {log.relative_to(BASE_DIR)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
