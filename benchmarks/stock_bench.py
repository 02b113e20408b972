"""Stock at scale: 100 stores × 50,000 sizes (5,000,000 stock rows) on PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings.local \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stock_bench \
    python benchmarks/stock_bench.py [--rebuild] [--samples 200] [--port 8104]

(`make bench` runs it too, through benchmarks/bench_stock.py, with the defaults.)

Use a database of its own: the script migrates it, loads the data set with COPY (skipped when
it is already there; --rebuild empties the tables and loads again) and then measures:

- stock finder (`inventory.selectors.stock_finder`), search by exact SKU and by model name;
- the product page's availability (`catalog.selectors.product_for_page` +
  `inventory.selectors.product_availability`);
- till API ingest: 8 concurrent clients posting batches over HTTP to a gunicorn server started
  by the script (`POST /api/v1/movements`), on contended rows (two tills per store, shared hot
  sizes), then checks that no update was lost: for every level touched, on-hand equals the sum
  of its ledger and the opening figure plus every applied line.

Prints a table and writes benchmarks/results/stock_bench-<timestamp>.json.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from benchmarks.dataset import (  # noqa: E402
    copy_rows,
    dataset_ready,
    drop_secondary_indexes,
    ean13,
    finish_loading,
    mark_loaded,
    start_loading,
    vacuum_analyze,
)
from catalog.selectors import product_for_page  # noqa: E402
from inventory.geo import point_of  # noqa: E402
from inventory.models import StockLevel, StockMovement, Store, TillToken  # noqa: E402
from inventory.selectors import product_availability, stock_finder  # noqa: E402
from inventory.services import StockChange, stock_apply  # noqa: E402
from inventory.tills import till_token_create  # noqa: E402

STORES = 100
PRODUCTS = 5_000
SIZES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45]  # 10 sizes a product: 50,000 variants
DATASET = f"{STORES} stores x {PRODUCTS * len(SIZES):,} sizes"
SEED = 20240601
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"

BRANDS = ["Nike", "Adidas", "New Balance", "Asics", "Puma", "Saucony", "Hoka", "Brooks",
          "On", "Mizuno", "Reebok", "Salomon", "Vans", "Converse", "Under Armour", "Altra"]
MODELS = ["Pegasus", "Vomero", "Ultraboost", "Adizero", "Fresh Foam", "Gel Kayano",
          "Gel Nimbus", "Velocity Nitro", "Endorphin", "Clifton", "Bondi", "Ghost",
          "Glycerin", "Cloudmonster", "Wave Rider", "Floatride", "Speedcross", "Old Skool",
          "Chuck Taylor", "Hovr", "Torin", "Mach", "Novablast", "Superblast", "Kinvara",
          "Ride", "Triumph", "Launch", "Adios", "Samba", "Gazelle", "Air Max", "Air Force",
          "Dunk", "Suede", "Club C", "Speedgoat", "Arahi", "Cloudsurfer", "Hyperion"]
CATEGORIES = [("running", "ריצה", "Running"), ("trail", "שטח", "Trail"),
              ("lifestyle", "אופנה", "Lifestyle"), ("basketball", "כדורסל", "Basketball"),
              ("tennis", "טניס", "Tennis"), ("kids", "ילדים", "Kids")]
COLOURS = [("שחור/לבן", "Black/White"), ("אפור", "Grey"), ("כחול", "Navy"),
           ("אדום", "Red"), ("לבן", "Triple White")]


# --- Data set ----------------------------------------------------------------------------------

def build_dataset() -> dict[str, float]:
    """Empty the catalogue and stock tables and load the data set. Returns seconds per step."""
    rng = random.Random(SEED)
    now = datetime.now(UTC).isoformat()
    timings: dict[str, float] = {}
    start_loading(truncate=[
        "inventory_stockmovement", "inventory_stocklevel", "inventory_tilltoken",
        "inventory_inboundshipmentline", "inventory_inboundshipment", "inventory_transfer",
        "inventory_hold", "inventory_staffprofile", "inventory_store", "catalog_variant",
        "catalog_productimage", "catalog_product", "catalog_brand", "catalog_category",
    ])

    started = time.perf_counter()
    copy_rows("catalog_brand", ["id", "name", "slug", "website"],
              ((i, name, name.lower().replace(" ", "-"), "") for i, name in enumerate(BRANDS, 1)))
    copy_rows("catalog_category", ["id", "slug", "name_he", "name_en", "position"],
              ((i, slug, he, en, i) for i, (slug, he, en) in enumerate(CATEGORIES, 1)))

    def products() -> Iterator[tuple[Any, ...]]:
        for p in range(1, PRODUCTS + 1):
            model = MODELS[p % len(MODELS)]
            colour_he, colour_en = COLOURS[p % len(COLOURS)]
            yield (p, f"{model} {p}", f"p-{p}", f"BX{p:06d}-{p % 900 + 100}", colour_he,
                   colour_en, "", "", "", "", f"{rng.randint(300, 900)}.90", "unisex", None,
                   "t", now, p % len(BRANDS) + 1, p % len(CATEGORIES) + 1)

    copy_rows("catalog_product", ["id", "name", "slug", "style_code", "colourway_he",
                                  "colourway_en", "description_he", "description_en",
                                  "specs_he", "specs_en", "price", "gender", "release_date",
                                  "is_active", "created_at", "brand_id", "category_id"],
              products())

    def variants() -> Iterator[tuple[Any, ...]]:
        for p in range(1, PRODUCTS + 1):
            for s, size in enumerate(SIZES):
                v = (p - 1) * len(SIZES) + s + 1
                yield (v, size, "", "", f"BX{p:06d}-{size}", ean13(v), p)

    copy_rows("catalog_variant", ["id", "eu_size", "us_label", "uk_label", "sku", "barcode",
                                  "product_id"], variants())

    def stores() -> Iterator[tuple[Any, ...]]:
        for i in range(1, STORES + 1):
            lat = 29.55 + (i * 0.0377) % 3.7
            lon = 34.30 + (i * 0.0131) % 1.3
            yield (i, f"bench-{i:03d}", f"סניף {i}", f"Branch {i}", "עיר", "City", "רחוב 1",
                   "1 Street", f"{lat:.6f}", f"{lon:.6f}", "", "", "", "t",
                   "t" if i == STORES else "f")

    copy_rows("inventory_store", ["id", "code", "name_he", "name_en", "city_he", "city_en",
                                  "address_he", "address_en", "latitude", "longitude", "phone",
                                  "opening_hours_he", "opening_hours_en", "is_active",
                                  "is_warehouse"], stores())
    timings["catalogue and stores"] = time.perf_counter() - started

    # Stock and its opening ledger: load without the plain indexes, then build them once.
    dropped = drop_secondary_indexes(["inventory_stocklevel", "inventory_stockmovement"])
    variant_count = PRODUCTS * len(SIZES)
    quantities = [rng.choices([0, 1, 2, 3, 4, 6], weights=[40, 20, 15, 12, 8, 5])[0]
                  for _ in range(10_007)]

    def levels() -> Iterator[tuple[Any, ...]]:
        n = 0
        for store_id in range(1, STORES + 1):
            for variant_id in range(1, variant_count + 1):
                n += 1
                on_hand = quantities[(n * 7919) % len(quantities)]
                yield (n, store_id, variant_id, on_hand, 0, now)

    started = time.perf_counter()
    copy_rows("inventory_stocklevel", ["id", "store_id", "variant_id", "on_hand", "reserved",
                                       "updated_at"], levels())
    timings["stock rows (COPY)"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The ledger's opening balance: one count per level with pairs, so that for every
        # level the sum of its movements equals on-hand from the start.
        cursor.execute("""
            INSERT INTO inventory_stockmovement (store_id, variant_id, delta, on_hand_after,
                reason, reference, external_reference, created_at)
            SELECT store_id, variant_id, on_hand, on_hand, 'count', 'opening balance', '',
                   updated_at
            FROM inventory_stocklevel WHERE on_hand > 0 ORDER BY id
        """)
    timings["opening ledger"] = time.perf_counter() - started

    started = time.perf_counter()
    finish_loading(dropped=dropped, tables=[
        "catalog_brand", "catalog_category", "catalog_product", "catalog_variant",
        "inventory_store", "inventory_stocklevel", "inventory_stockmovement",
    ])
    timings["indexes"] = time.perf_counter() - started

    started = time.perf_counter()
    vacuum_analyze()
    mark_loaded(DATASET)
    timings["vacuum analyze"] = time.perf_counter() - started
    return timings


# --- Timing helpers ----------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(label: str, calls: list[Callable[[], Any]], warmup: int = 5) -> dict[str, Any]:
    for call in calls[:warmup]:
        call()
    samples, cpu = [], []
    for call in calls:
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    # CPU is this process's own (Python) time: the part a busy machine inflates least.
    return {"measurement": label, "samples": len(samples),
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(percentile(samples, 95), 2),
            "max_ms": round(max(samples), 2),
            "python_cpu_p50_ms": round(statistics.median(cpu), 2)}


# --- Reads ------------------------------------------------------------------------------------

def measure_reads(samples: int, rng: random.Random) -> list[dict[str, Any]]:
    stores = list(Store.objects.filter(is_warehouse=False).order_by("pk"))
    products = PRODUCTS
    results = []

    def finder(query: str, home: Store) -> Callable[[], Any]:
        def run() -> Any:
            result = stock_finder(query=query, origin=point_of(home), home_store_id=home.pk)
            assert result.total >= 1, query
            return result
        return run

    sku_calls = []
    for _ in range(samples):
        p, size = rng.randint(1, products), rng.choice(SIZES)
        sku_calls.append(finder(f"BX{p:06d}-{size}", rng.choice(stores)))
    results.append(timed("stock finder: exact SKU (10 sizes x 100 stores grid)", sku_calls))

    name_calls = []
    for _ in range(samples):
        p = rng.randint(1, products)
        name_calls.append(finder(f"{MODELS[p % len(MODELS)]} {p}", rng.choice(stores)))
    results.append(timed("stock finder: model name + number (one product)", name_calls))

    word_calls = [finder(rng.choice(MODELS), rng.choice(stores))
                  for _ in range(max(samples // 4, 20))]
    results.append(timed("stock finder: model name only (first page of 10 products)",
                         word_calls))

    def page(slug: str) -> Callable[[], Any]:
        def run() -> Any:
            product = product_for_page(slug=slug)
            return product_availability(product=product)
        return run

    page_calls = [page(f"p-{rng.randint(1, products)}") for _ in range(samples)]
    results.append(timed("product page availability (10 sizes x 99 shops)", page_calls))
    return results


# --- Till ingest over HTTP ---------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _database_backends() -> list[int]:
    """Server processes of this database other than this script's own connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    log = (RESULTS_DIR / "gunicorn.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread", "--log-level", "warning"],
        cwd=BASE_DIR, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
        stdout=log, stderr=log,
    )
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see benchmarks/results/gunicorn.log")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz/", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def measure_ingest(*, server: subprocess.Popen[bytes], port: int, clients: int, batches: int,
                   lines_per_batch: int, rng: random.Random) -> dict[str, Any]:
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    # Two tills per store, all drawing from the same 200 hot sizes: real row contention.
    stores = list(Store.objects.filter(is_warehouse=False).order_by("pk")[: max(clients // 2, 1)])
    hot = [(rng.randint(1, PRODUCTS), rng.choice(SIZES)) for _ in range(200)]
    hot_skus = sorted({f"BX{p:06d}-{s}" for p, s in hot})
    keys: list[tuple[Store, str]] = []
    for index in range(clients):
        store = stores[index % len(stores)]
        _token, raw_key = till_token_create(store=store, name=f"bench {run_id} #{index}")
        keys.append((store, raw_key))

    # Enough pairs that sales never run short: the figure measured is throughput, not refusals.
    variant_ids = dict(
        StockLevel.objects.filter(variant__sku__in=hot_skus, store=stores[0])
        .values_list("variant__sku", "variant_id")
    )
    stock_apply(changes=[
        StockChange(store.pk, variant_ids[sku], reason=StockMovement.Reason.RECEIPT, delta=500,
                    reference=f"bench {run_id} top-up")
        for store in stores for sku in hot_skus
    ])
    touched = [(store.pk, variant_ids[sku]) for store in stores for sku in hot_skus]
    before = {(s, v): on_hand for s, v, on_hand in StockLevel.objects.filter(
        store__in=stores, variant_id__in=variant_ids.values(),
    ).values_list("store_id", "variant_id", "on_hand")}

    applied_deltas: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()
    errors: list[str] = []
    latencies: list[float] = []
    applied_total = 0
    duplicates_total = 0
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        nonlocal applied_total, duplicates_total
        store, raw_key = keys[index]
        local_rng = random.Random(SEED + index)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {raw_key}"
        url = f"http://127.0.0.1:{port}/api/v1/movements"
        sent: list[dict[str, Any]] = []
        start.wait()
        for b in range(batches):
            if sent and local_rng.random() < 0.05:
                batch = local_rng.choice(sent)  # a till resending after a timeout
            else:
                lines = []
                for n in range(lines_per_batch):
                    kind = local_rng.choices(["sale", "receipt", "return"], [6, 3, 1])[0]
                    lines.append({"type": kind, "sku": local_rng.choice(hot_skus),
                                  "quantity": local_rng.randint(1, 2),
                                  "reference": f"{run_id}-{index}-{b}-{n}"})
                batch = {"lines": lines}
                sent.append(batch)
            started = time.perf_counter()
            response = session.post(url, json=batch, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                with lock:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                continue
            body = response.json()
            with lock:
                latencies.append(elapsed)
                applied_total += body["applied"]
                duplicates_total += body["duplicates"]
                for line, result in zip(batch["lines"], body["lines"], strict=True):
                    if result["status"] == "applied":
                        sign = -1 if line["type"] == "sale" else 1
                        applied_deltas[(store.pk, line["sku"])] += sign * line["quantity"]
        session.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    workers = [server.pid, *_children(server.pid)]
    backends_before = {pid: _cpu_seconds(pid) for pid in _database_backends()}
    workers_before = sum(_cpu_seconds(pid) for pid in workers)
    load_before = os.getloadavg()[0]
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    # CPU the server side spent (gunicorn workers and their database backends): what the
    # figure would be on a machine that did nothing else.
    server_cpu = sum(_cpu_seconds(pid) for pid in workers) - workers_before
    database_cpu = sum(_cpu_seconds(pid) - backends_before.get(pid, 0.0)
                       for pid in _database_backends())
    load_after = os.getloadavg()[0]

    # No lost update: every level equals its opening figure plus what was applied, and the
    # ledger still sums to on-hand.
    after = {(s, v): on_hand for s, v, on_hand in StockLevel.objects.filter(
        store__in=stores, variant_id__in=variant_ids.values(),
    ).values_list("store_id", "variant_id", "on_hand")}
    ledger = {(row["store_id"], row["variant_id"]): row["total"] for row in (
        StockMovement.objects.filter(store__in=stores, variant_id__in=variant_ids.values())
        .values("store_id", "variant_id").annotate(total=Sum("delta")).order_by()
    )}
    mismatched = []
    for store_id, variant_id in touched:
        sku = next(s for s, v in variant_ids.items() if v == variant_id)
        expected = before[(store_id, variant_id)] + applied_deltas[(store_id, sku)]
        actual = after[(store_id, variant_id)]
        if actual != expected or ledger.get((store_id, variant_id), 0) != actual:
            mismatched.append((store_id, variant_id, expected, actual,
                               ledger.get((store_id, variant_id))))
    TillToken.objects.filter(name__startswith=f"bench {run_id}").update(
        revoked_at=datetime.now(UTC))
    return {
        "measurement": f"till API ingest over HTTP, {clients} concurrent clients",
        "batches_per_client": batches, "lines_per_batch": lines_per_batch,
        "movements_applied": applied_total, "duplicate_lines_skipped": duplicates_total,
        "seconds": round(wall, 2),
        "movements_per_s": round(applied_total / wall, 1),
        "batch_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "batch_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "http_errors": len(errors), "first_errors": errors[:3],
        "levels_checked": len(touched), "lost_updates": len(mismatched),
        "mismatches": mismatched[:5],
        "server_cpu_s": round(server_cpu, 1), "database_cpu_s": round(database_cpu, 1),
        "cpu_ms_per_movement": round((server_cpu + database_cpu) * 1000 / applied_total, 2)
        if applied_total else None,
        "load_average_before_after": [round(load_before, 1), round(load_after, 1)],
    }


# --- Main --------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="load the data set again")
    parser.add_argument("--samples", type=int, default=200, help="timed calls per read")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8104)))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batches", type=int, default=60, help="batches per client")
    parser.add_argument("--lines", type=int, default=25, help="lines per batch")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://.../<own database>")
        return 2
    database = connection.settings_dict["NAME"]
    print(f"Database {database}; data set {DATASET}.")
    call_command("migrate", interactive=False, verbosity=0)

    report: dict[str, Any] = {"database": database, "dataset": DATASET,
                              "started_at": datetime.now(UTC).isoformat(), "cpus": os.cpu_count()}
    if args.rebuild or not dataset_ready(DATASET):
        print("Loading the data set with COPY (a few minutes)...")
        report["build_seconds"] = {k: round(v, 1) for k, v in build_dataset().items()}
        for step, seconds in report["build_seconds"].items():
            print(f"  {step:<24} {seconds:8.1f} s")
    else:
        print("Data set already loaded (use --rebuild to load it again).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inventory_stocklevel")
        report["stock_rows"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM inventory_stockmovement")
        report["ledger_rows"] = cursor.fetchone()[0]

    rng = random.Random(SEED)
    report["reads"] = measure_reads(args.samples, rng)
    connection.close()

    if not args.skip_ingest:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        port = free_port(args.port)
        server = start_server(port, args.workers, args.threads)
        try:
            report["ingest"] = measure_ingest(server=server, port=port, clients=args.clients,
                                              batches=args.batches,
                                              lines_per_batch=args.lines, rng=rng)
            report["ingest"]["server"] = (f"gunicorn gthread, {args.workers} workers x "
                                          f"{args.threads} threads")
        finally:
            stop_server(server)

    print()
    print(f"{'measurement':<62} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50':>8}")
    for row in report["reads"]:
        print(f"{row['measurement']:<62} {row['p50_ms']:>8} {row['p95_ms']:>8} "
              f"{row['max_ms']:>8} {row['python_cpu_p50_ms']:>8}")
    print(f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU p50 is "
          "the Python time of one call, database time not included)")
    ingest = report.get("ingest")
    if ingest:
        print()
        print(f"{ingest['measurement']} ({ingest['server']}):")
        print(f"  {ingest['movements_applied']:,} movements in {ingest['seconds']} s = "
              f"{ingest['movements_per_s']:,} movements/s; batch of {ingest['lines_per_batch']} "
              f"p50 {ingest['batch_p50_ms']} ms, p95 {ingest['batch_p95_ms']} ms; "
              f"{ingest['duplicate_lines_skipped']} resent lines skipped; "
              f"HTTP errors {ingest['http_errors']}")
        print(f"  lost updates: {ingest['lost_updates']} of {ingest['levels_checked']} levels "
              f"checked (on-hand = opening + applied lines = ledger sum)")
        if ingest["cpu_ms_per_movement"]:
            cores = os.cpu_count() or 1
            print(f"  server CPU {ingest['server_cpu_s']} s + database CPU "
                  f"{ingest['database_cpu_s']} s = {ingest['cpu_ms_per_movement']} ms a movement "
                  f"(~{cores * 1000 / ingest['cpu_ms_per_movement']:,.0f} movements/s if these "
                  f"{cores} cores did nothing else); load average "
                  f"{ingest['load_average_before_after'][0]} -> "
                  f"{ingest['load_average_before_after'][1]}")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"stock_bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
    failed = bool(ingest and (ingest["lost_updates"] or ingest["http_errors"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
