"""The stock benchmark's till ingest: concurrent clients posting batches to a gunicorn server
over HTTP, the CPU the server side spent, and the check that no update was lost."""

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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from django.db import connection
from django.db.models import Sum

from benchmarks.stock_dataset import PRODUCTS, SEED, SIZES
from benchmarks.stock_reads import percentile
from benchmarks.stock_setup import BASE_DIR, RESULTS_DIR
from inventory.models import StockLevel, StockMovement, Store, TillToken
from inventory.services import StockChange, stock_apply
from inventory.tills import till_token_create

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
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
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
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
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


def measure_ingest(
    *,
    server: subprocess.Popen[bytes],
    port: int,
    clients: int,
    batches: int,
    lines_per_batch: int,
    rng: random.Random,
) -> dict[str, Any]:
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
        StockLevel.objects.filter(variant__sku__in=hot_skus, store=stores[0]).values_list(
            "variant__sku", "variant_id"
        )
    )
    stock_apply(
        changes=[
            StockChange(
                store.pk,
                variant_ids[sku],
                reason=StockMovement.Reason.RECEIPT,
                delta=500,
                reference=f"bench {run_id} top-up",
            )
            for store in stores
            for sku in hot_skus
        ]
    )
    touched = [(store.pk, variant_ids[sku]) for store in stores for sku in hot_skus]
    before = {
        (s, v): on_hand
        for s, v, on_hand in StockLevel.objects.filter(
            store__in=stores,
            variant_id__in=variant_ids.values(),
        ).values_list("store_id", "variant_id", "on_hand")
    }

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
                    lines.append(
                        {
                            "type": kind,
                            "sku": local_rng.choice(hot_skus),
                            "quantity": local_rng.randint(1, 2),
                            "reference": f"{run_id}-{index}-{b}-{n}",
                        }
                    )
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
    database_cpu = sum(
        _cpu_seconds(pid) - backends_before.get(pid, 0.0) for pid in _database_backends()
    )
    load_after = os.getloadavg()[0]

    # No lost update: every level equals its opening figure plus what was applied, and the
    # ledger still sums to on-hand.
    after = {
        (s, v): on_hand
        for s, v, on_hand in StockLevel.objects.filter(
            store__in=stores,
            variant_id__in=variant_ids.values(),
        ).values_list("store_id", "variant_id", "on_hand")
    }
    ledger = {
        (row["store_id"], row["variant_id"]): row["total"]
        for row in (
            StockMovement.objects.filter(store__in=stores, variant_id__in=variant_ids.values())
            .values("store_id", "variant_id")
            .annotate(total=Sum("delta"))
            .order_by()
        )
    }
    mismatched = []
    for store_id, variant_id in touched:
        sku = next(s for s, v in variant_ids.items() if v == variant_id)
        expected = before[(store_id, variant_id)] + applied_deltas[(store_id, sku)]
        actual = after[(store_id, variant_id)]
        if actual != expected or ledger.get((store_id, variant_id), 0) != actual:
            mismatched.append(
                (store_id, variant_id, expected, actual, ledger.get((store_id, variant_id)))
            )
    TillToken.objects.filter(name__startswith=f"bench {run_id}").update(
        revoked_at=datetime.now(UTC)
    )
    return {
        "measurement": f"till API ingest over HTTP, {clients} concurrent clients",
        "batches_per_client": batches,
        "lines_per_batch": lines_per_batch,
        "movements_applied": applied_total,
        "duplicate_lines_skipped": duplicates_total,
        "seconds": round(wall, 2),
        "movements_per_s": round(applied_total / wall, 1),
        "batch_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "batch_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "http_errors": len(errors),
        "first_errors": errors[:3],
        "levels_checked": len(touched),
        "lost_updates": len(mismatched),
        "mismatches": mismatched[:5],
        "server_cpu_s": round(server_cpu, 1),
        "database_cpu_s": round(database_cpu, 1),
        "cpu_ms_per_movement": round((server_cpu + database_cpu) * 1000 / applied_total, 2)
        if applied_total
        else None,
        "load_average_before_after": [round(load_before, 1), round(load_after, 1)],
    }
