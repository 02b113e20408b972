"""The storefront under the traffic a chain sees, against Django's hello-world in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/base \
    REDIS_URL=redis://127.0.0.1:6379/3 \
    python benchmarks/traffic_bench.py [--stores 100] [--seconds 20] [--writes 0 1 10]

Served as benchmarks/pages_bench.py serves (production settings, one gunicorn sync worker on
core 0 for the project and for the hello-world, wrk on core 1, a scratch database
`<name>_traffic_bench` dropped on exit, REDIS_URL's database emptied), on its data set
(benchmarks/pages_dataset.py: the demo catalogue in 14 sizes at 100 shops).

- **Realistic mix**: every product page, every `?size=` of it and every size's stores
  fragment (htmx), in Hebrew and English, with the home page and the catalogue; products
  drawn by a Zipf law (the n-th most popular is asked 1/n as often), sizes evenly. Each
  measurement starts cold (Redis emptied, a new worker). Beside it a till writer makes
  --writes movements a second (a sale of one pair at a shop, or a delivery when the shop
  has one left) through `inventory.services`, and after each write reads that size's
  fragment and its product page with the size open, from the same server, and checks that
  both show the shop's new number: a page that does not is stale.
- **Every page a miss**: product pages each with its own size open and its own city, in both
  languages, none asked twice — what a customer who opens a size or picks a city gets. The
  page is built; the parts it shares with pages asked before (the frame, the product, the
  size lines, which are the same for every city) may be kept.
- **Full build**: nothing kept at all — Redis emptied before each request (a new version of
  everything: the worker's own memory serves nothing either), then one product page with a
  size open and a city, in either language, asked and timed on its own; the hello-world is
  timed the same way, one request at a time, in the same rounds. The ratio is the
  hello-world's median time over the page's.

Each figure is requests per second over the hello-world's in the same run (measured just
before it, with the same wrk settings), with wrk's p50 and p95 latency. The load average is
printed with it: on a shared machine the ratio, not the absolute rate, is the figure.
Writes results to benchmarks/results/traffic-<UTC timestamp>.json.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from benchmarks.dataset import database_url  # noqa: E402
from benchmarks.pages_bench import (  # sets the production environment, then django.setup()
    BASE_DIR,
    FORWARDED,
    LOAD_CORE,
    RESULTS_DIR,
    STATIC_ROOT,
    WRK,
    Server,
    _raise_exit,
    fetch,
    start,
    stop,
)
from benchmarks.pages_dataset import SIZES, build_dataset  # noqa: I001
from catalog.models import Product  # noqa: E402
from inventory import policy, services  # noqa: E402
from inventory.geo import CITIES  # noqa: E402
from inventory.models import StockLevel  # noqa: E402

SEED = 20240601
LUA = """
local requests = {}
local position = 0
init = function(args)
  for line in io.lines(args[1]) do
    local htmx, path = line:match("^(%d) (.*)$")
    local headers = {["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"}
    if htmx == "1" then headers["HX-Request"] = "true" end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
end
request = function()
  position = position % #requests + 1
  return requests[position]
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


@dataclass(frozen=True)
class Ask:
    path: str
    htmx: bool = False


def _paths(language: str, product: Product) -> tuple[str, list[tuple[str, str]]]:
    with translation.override(language):
        page = reverse("storefront:product", args=[product.slug])
        fragments = [
            (v.size_label, reverse("storefront:product_size", args=[product.slug, v.pk]))
            for v in product.variants.all()
        ]
    return page, fragments


def realistic_mix(products: list[Product], count: int, rng: random.Random) -> list[Ask]:
    """`count` requests: products by a Zipf draw; the page, a size open or a size's fragment."""
    weights = [1 / rank for rank in range(1, len(products) + 1)]
    with translation.override("he"):
        extras = [Ask(reverse("storefront:home")), Ask(reverse("storefront:product_list"))]
    asks = []
    # Each product's addresses reversed once a language (not once a request: 200,000 requests
    # of 15 reversals each took minutes before the first measurement).
    paths: dict[tuple[str, int], tuple[str, list[tuple[str, str]]]] = {}
    for product in rng.choices(products, weights, k=count):
        if rng.random() < 0.06:
            asks.append(rng.choice(extras))
            continue
        language = rng.choice(["he", "he", "he", "en"])
        if (language, product.pk) not in paths:
            paths[(language, product.pk)] = _paths(language, product)
        page, fragments = paths[(language, product.pk)]
        label, fragment = rng.choice(fragments)
        kind = rng.random()
        if kind < 0.4:
            asks.append(Ask(page))
        elif kind < 0.65:
            asks.append(Ask(f"{page}?size={label}"))
        else:
            asks.append(Ask(fragment, htmx=True))
    return asks


def cold_builds(products: list[Product], rng: random.Random) -> list[Ask]:
    """Product pages none of which is asked twice: each with its own size open and city."""
    asks = []
    for language in ("he", "en"):
        for product in products:
            page, fragments = _paths(language, product)
            for city in [None, *CITIES]:
                label, _fragment = rng.choice(fragments)
                query = f"?size={label}" + (f"&city={city.slug}" if city else "")
                asks.append(Ask(page + query))
    rng.shuffle(asks)
    return asks


def wrk_mix(url: str, asks: list[Ask], seconds: int, connections: int) -> dict[str, Any]:
    """req/s, p50 and p95 (ms) of wrk on core 1 going through `asks` in order."""
    folder = Path(tempfile.mkdtemp(prefix="traffic-bench-"))
    try:
        (folder / "asks.txt").write_text("".join(f"{int(a.htmx)} {a.path}\n" for a in asks))
        (folder / "mix.lua").write_text(LUA)
        command = ["taskset", "-c", LOAD_CORE, WRK, "-t1", f"-c{connections}", f"-d{seconds}s"]
        command += ["--timeout", "60s", "-s", str(folder / "mix.lua"), url, "--"]
        command.append(str(folder / "asks.txt"))
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 120
        ).stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50, p95 = re.search(r"P50 (\d+)", out), re.search(r"P95 (\d+)", out)
    if not rate or not p50 or not p95:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(rate.group(1)),
        "p50_ms": int(p50.group(1)) / 1000,
        "p95_ms": int(p95.group(1)) / 1000,
        "errors": int(bad.group(1)) if bad else 0,
    }


@dataclass
class Writer:
    """A till writing `rate` movements a second, checking after each that the next read of
    the size's fragment and of its product page shows the shop's new number."""

    server: Server  # its address changes when it is started again
    rate: float
    products: list[Product]
    rng: random.Random
    writes: int = 0
    checks: int = 0
    stale: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        weights = [1 / rank for rank in range(1, len(self.products) + 1)]
        next_at = time.monotonic()
        try:
            while not self.stopping.is_set():
                next_at += 1 / self.rate
                product = self.rng.choices(self.products, weights)[0]
                try:
                    self.write_and_check(product)
                except Exception as error:  # counted and reported: the run fails
                    self.failures.append(repr(error))
                self.stopping.wait(max(next_at - time.monotonic(), 0))
        finally:
            connection.close()

    def write_and_check(self, product: Product) -> None:
        level = (
            StockLevel.objects.at_customer_stores()
            .filter(variant__product=product)
            .select_related("store", "variant")
            .order_by("?")
            .first()
        )
        if level is None:
            return
        if level.available > 1:
            services.stock_sell(store=level.store, variant=level.variant, quantity=1)
        else:
            services.stock_receive(
                store=level.store, variant=level.variant, quantity=2, reference="traffic bench"
            )
        self.writes += 1
        level.refresh_from_db()
        now = policy.available(on_hand=level.on_hand, reserved=level.reserved)
        store = str(level.store.name_en)
        _page, fragments = _paths("en", product)
        fragment = dict(fragments)[level.variant.size_label]
        with translation.override("en"):
            page = reverse("storefront:product", args=[product.slug])
        for path, htmx in ((fragment, True), (f"{page}?size={level.variant.size_label}", False)):
            shown = _shop_row(self.server.url + path, store, htmx)
            expected = f"{now} pair" if now else "Not in stock here"
            self.checks += 1
            if not shown.startswith(expected):
                self.stale.append(f"{path}: {store} shows {shown!r}, {now} available")


def _shop_row(url: str, store: str, htmx: bool) -> str:
    """What the page at `url` says about `store` (the visible text of its row)."""
    headers = {**FORWARDED, **({"HX-Request": "true"} if htmx else {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        html = response.read().decode()
    for item in re.findall(r'<li class="shop[^"]*">(.*?)</li>', html, re.S):
        name = re.search(r'class="shop__name"[^>]*>(.*?)</a>', item, re.S)
        if name and unescape(name.group(1)).strip() == store:
            what = item[item.index('class="shop__what"') :]
            return " ".join(unescape(re.sub(r"<[^>]+>", " ", what[what.index(">") + 1 :])).split())
    return f"(no row for {store})"


def full_builds(
    servers: tuple[Server, Server], asks: list[Ask], rounds: int = 10
) -> dict[str, Any]:
    """Each of `asks` with nothing kept (Redis emptied just before it, outside its time), timed
    one request at a time, and the hello-world timed the same way between them."""
    hello, project = servers
    pages: list[float] = []
    hellos: list[float] = []
    load = os.getloadavg()
    per_round = max(len(asks) // rounds, 1)
    for first in range(0, len(asks), per_round):
        for ask in asks[first : first + per_round]:
            cache.clear()
            began = time.perf_counter()
            status, _body = fetch(project.url + ask.path)
            pages.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"{ask.path} answered {status}")
        for _ in range(per_round):
            began = time.perf_counter()
            fetch(hello.url + "/")
            hellos.append(time.perf_counter() - began)
    page_p50, hello_p50 = statistics.median(pages), statistics.median(hellos)
    result = {
        "measurement": "full build: nothing kept, one request at a time",
        "ratio": round(hello_p50 / page_p50, 4),
        "requests": len(pages),
        "p50_ms": round(page_p50 * 1000, 2),
        "p95_ms": round(sorted(pages)[int(len(pages) * 0.95)] * 1000, 2),
        "hello_world_p50_ms": round(hello_p50 * 1000, 2),
        "load_average": [round(x, 2) for x in load],
    }
    print(
        f"  {result['measurement']:<44} {result['ratio']:6.1%} of hello-world "
        f"(p50 {result['p50_ms']:.1f} ms vs {result['hello_world_p50_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, {len(pages)} pages); load {load[0]:.2f}",
        flush=True,
    )
    return result


def cold(project: Server, log: Path) -> None:
    """Nothing kept: Redis emptied and a new worker (no entries in its memory)."""
    cache.clear()
    stop(project)
    start(project, log)


def measure(
    name: str,
    asks: list[Ask],
    args: argparse.Namespace,
    servers: tuple[Server, Server],
    log: Path,
    writer: Writer | None = None,
) -> dict[str, Any]:
    hello, project = servers
    hello_run = wrk_mix(hello.url, [Ask("/")], args.seconds, args.connections)
    cold(project, log)
    thread = threading.Thread(target=writer.run, daemon=True) if writer else None
    load = os.getloadavg()
    if thread:
        thread.start()
    run = wrk_mix(project.url, asks, args.seconds, args.connections)
    if writer and thread:
        writer.stopping.set()
        thread.join(timeout=120)
    result = {
        "measurement": name,
        "ratio": round(run["rps"] / hello_run["rps"], 4),
        **run,
        "hello_world": hello_run,
        "load_average": [round(x, 2) for x in load],
    }
    if writer:
        result |= {
            "writes": writer.writes,
            "checks": writer.checks,
            "stale": writer.stale,
            "failures": writer.failures,
        }
    stale = (
        f", {writer.writes} writes, stale {len(writer.stale)}/{writer.checks}"
        f", failed {len(writer.failures)}"
        if writer
        else ""
    )
    print(
        f"  {name:<44} {result['ratio']:6.1%} of hello-world ({run['rps']:,.0f} vs "
        f"{hello_run['rps']:,.0f} req/s), p50 {run['p50_ms']:.1f} ms, p95 {run['p95_ms']:.1f} ms"
        f"{stale}; load {load[0]:.2f}",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=20, help="each measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--writes", type=float, nargs="+", default=[0, 1, 10], help="per second")
    parser.add_argument(
        "--full-builds", type=int, default=200, help="pages built with nothing kept"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not Path(WRK).exists() or (os.cpu_count() or 1) < 2:
        print("The traffic benchmark needs PostgreSQL, wrk (apt-get install wrk) and two cores.")
        return 2

    signal.signal(signal.SIGTERM, _raise_exit)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = RESULTS_DIR / "traffic-gunicorn.log"
    scratch = f"{connection.settings_dict['NAME']}_traffic_bench"
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
        "server": "gunicorn, 1 sync worker, taskset -c 0 (project and hello-world alike)",
        "load": f"wrk -t1 -c{args.connections}, taskset -c 1",
        "stores": args.stores,
        "measurements": [],
    }
    created = False
    try:
        print(
            f"Scratch database {scratch}; loading {args.stores} shops x {len(SIZES)} sizes...",
            flush=True,
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        created = True
        call_command("collectstatic", interactive=False, verbosity=0)
        report["rows"] = build_dataset(stores=args.stores, sizes=len(SIZES))
        project.env = {**server_env, "DATABASE_URL": database_url(settings.DATABASES["default"])}
        start(hello, log)
        start(project, log)
        if fetch(hello.url + "/") != (200, b"Hello, world"):
            raise RuntimeError("the hello-world does not answer")
        products = list(Product.objects.active().prefetch_related("variants"))
        rng = random.Random(SEED)
        rng.shuffle(products)  # popularity unrelated to the order of the catalogue
        mix = realistic_mix(products, 200_000, rng)
        servers = (hello, project)
        for rate in args.writes:
            writer = Writer(project, rate, products, random.Random(SEED)) if rate else None
            name = f"realistic mix, cold, {rate:g} till writes/s"
            report["measurements"].append(measure(name, mix, args, servers, log, writer))
            close_old_connections()
        builds = cold_builds(products, rng)
        name = "every page a miss (own size open, own city)"
        report["measurements"].append(measure(name, builds, args, servers, log))
        report["measurements"].append(full_builds(servers, builds[: args.full_builds]))
    finally:
        stop(project)
        stop(hello)
        connection.close()
        if created:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"traffic-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"Written to {path.relative_to(BASE_DIR)}")
    failed = [
        m for m in report["measurements"] if m.get("stale") or m.get("failures") or m.get("errors")
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
