"""Stock at scale: 100 stores × 50,000 sizes (5,000,000 stock rows) on PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings.local \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stock_bench \
    python benchmarks/stock_bench.py [--rebuild] [--samples 200] [--port 8104]

(`make bench` runs it too, through benchmarks/bench_stock.py, with the defaults.)

Use a database of its own: the script migrates it, loads the data set with COPY (skipped when
it is already there; --rebuild empties the tables and loads again) and then measures:

- stock finder, by exact SKU, by model name with its number and by model name alone: the
  selector (`inventory.selectors.stock_finder`) and the whole staff page through Django's test
  client, each beside a trivial reference timed in the same interleaved rounds (p50 ratio);
- the product page's availability (`catalog.selectors.product_for_page` +
  `inventory.selectors.product_availability`);
- till API ingest: 8 concurrent clients posting batches over HTTP to a gunicorn server started
  by the script (`POST /api/v1/movements`), on contended rows (two tills per store, shared hot
  sizes), then checks that no update was lost: for every level touched, on-hand equals the sum
  of its ledger and the opening figure plus every applied line.

Prints a table and writes benchmarks/results/stock_bench-<timestamp>.json. The data set is
built by benchmarks/stock_dataset.py, the reads are measured in benchmarks/stock_reads.py and
the till ingest in benchmarks/stock_ingest.py.
"""

import argparse
import json
import os
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)  # for `python benchmarks/stock_bench.py`
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.dataset import dataset_ready  # noqa: E402
from benchmarks.stock_dataset import DATASET, SEED, build_dataset  # noqa: E402
from benchmarks.stock_ingest import (  # noqa: E402
    free_port,
    measure_ingest,
    start_server,
    stop_server,
)
from benchmarks.stock_reads import measure_reads  # noqa: E402
from benchmarks.stock_setup import BASE_DIR, RESULTS_DIR  # noqa: E402

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

    report: dict[str, Any] = {
        "database": database,
        "dataset": DATASET,
        "started_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
    }
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
    load_before = round(os.getloadavg()[0], 2)
    report["reads"] = measure_reads(args.samples, rng)
    report["load_average_reads"] = [load_before, round(os.getloadavg()[0], 2)]
    connection.close()

    if not args.skip_ingest:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        port = free_port(args.port)
        server = start_server(port, args.workers, args.threads)
        try:
            report["ingest"] = measure_ingest(
                server=server,
                port=port,
                clients=args.clients,
                batches=args.batches,
                lines_per_batch=args.lines,
                rng=rng,
            )
            report["ingest"]["server"] = (
                f"gunicorn gthread, {args.workers} workers x {args.threads} threads"
            )
        finally:
            stop_server(server)

    print()
    print(
        f"{'measurement':<56} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50':>8} "
        f"{'x ref':>6} {'KB':>6}"
    )
    for row in report["reads"]:
        kb = f"{row['html_bytes'] / 1024:.0f}" if "html_bytes" in row else ""
        print(
            f"{row['measurement']:<56} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['max_ms']:>8} {row['python_cpu_p50_ms']:>8} "
            f"{row['x_reference_p50']:>6} {kb:>6}"
        )
    print(
        f"(load average {report['load_average_reads'][0]} before the reads, "
        f"{report['load_average_reads'][1]} after, on {os.cpu_count()} cores; CPU p50 is the "
        'Python time of one call, database time not included; "x ref" is p50 over the '
        "p50 of the reference measured in the same rounds)"
    )
    ingest = report.get("ingest")
    if ingest:
        print()
        print(f"{ingest['measurement']} ({ingest['server']}):")
        print(
            f"  {ingest['movements_applied']:,} movements in {ingest['seconds']} s = "
            f"{ingest['movements_per_s']:,} movements/s; batch of {ingest['lines_per_batch']} "
            f"p50 {ingest['batch_p50_ms']} ms, p95 {ingest['batch_p95_ms']} ms; "
            f"{ingest['duplicate_lines_skipped']} resent lines skipped; "
            f"HTTP errors {ingest['http_errors']}"
        )
        print(
            f"  lost updates: {ingest['lost_updates']} of {ingest['levels_checked']} levels "
            f"checked (on-hand = opening + applied lines = ledger sum)"
        )
        if ingest["cpu_ms_per_movement"]:
            cores = os.cpu_count() or 1
            print(
                f"  server CPU {ingest['server_cpu_s']} s + database CPU "
                f"{ingest['database_cpu_s']} s = {ingest['cpu_ms_per_movement']} ms a movement "
                f"(~{cores * 1000 / ingest['cpu_ms_per_movement']:,.0f} movements/s if these "
                f"{cores} cores did nothing else); load average "
                f"{ingest['load_average_before_after'][0]} -> "
                f"{ingest['load_average_before_after'][1]}"
            )

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"stock_bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
    failed = bool(ingest and (ingest["lost_updates"] or ingest["http_errors"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
