"""The managers' dashboard on a year of data for 100 stores, on PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings.local \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dashboard_bench \
    python benchmarks/dashboard_bench.py [--rebuild] [--days 365] [--stores 100] [--runs 7]

Use a database of its own: the script migrates it, loads the data set with COPY (skipped when
it is already there; --rebuild empties the tables and loads again) and then times
`insights.selectors.dashboard()` warm, for the last 30 days and the last year, all stores and
one store, with the number of SQL queries each call makes — each beside the same figures
counted from the raw rows (`dashboard(from_rows=True)`, the reference) in the same run.
--explain also prints the plan (EXPLAIN ANALYZE) of each view's slowest query.

The data set, per store and day: ~15 confirmed waitlist sign-ups, each held a few days later
(70% collected, 25% expired, 5% released; the hold text sent and delivered), ~40% of ended
holds rated (low scores flagged, most flags handled), ~2 transfers received; sign-ups whose
pair has not come yet are still waiting. Timestamps are spread over the period as they would
have been written.

Prints a table and writes benchmarks/results/dashboard_bench-<timestamp>.json.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")  # no query log in memory

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

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
from insights.selectors import Period, dashboard  # noqa: E402
from insights.totals import daily_totals_rebuild  # noqa: E402
from inventory.models import Store  # noqa: E402

SEED = 20240601
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"
PRODUCTS = 500
SIZES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45]
SIGNUPS_PER_DAY = (10, 20)  # per store, uniform: ~15
TRANSFERS_PER_DAY = (1, 3)  # per store: ~2
PRICE = "599.90"
DAY = 86_400
HOUR = 3_600
TABLES = [
    "reviews_rating",
    "notifications_smsmessage",
    "notifications_waitlistentry",
    "inventory_hold",
    "inventory_transfer",
]
TOTALS = ["insights_dailytotal", "insights_dailycollection", "insights_dailyduration"]
HOLD_COLUMNS = [
    "id",
    "purpose",
    "customer_name",
    "customer_phone",
    "language",
    "status",
    "created_at",
    "notified_at",
    "expires_at",
    "ended_at",
    "ended_by_id",
    "variant_id",
    "store_id",
    "collected_price",
]
ENTRY_COLUMNS = [
    "id",
    "phone",
    "language",
    "status",
    "created_at",
    "activated_at",
    "ended_at",
    "hold_id",
    "store_id",
    "variant_id",
]
SMS_COLUMNS = [
    "id",
    "recipient",
    "body",
    "language",
    "purpose",
    "status",
    "idempotency_key",
    "provider_id",
    "attempts",
    "error_code",
    "last_error",
    "send_after",
    "enqueued_at",
    "claimed_at",
    "created_at",
    "updated_at",
    "sent_at",
    "delivered_at",
    "hold_id",
]
RATING_COLUMNS = [
    "id",
    "interaction",
    "score",
    "comment",
    "language",
    "created_at",
    "needs_callback",
    "handled_at",
    "handled_note",
    "handled_by_id",
    "hold_id",
    "store_id",
]
COMMENTS = [
    "שירות מעולה, תודה!",
    "The pair was waiting for me, quick and easy.",
    "לקח זמן עד שמצאו את הזוג",
    "Nobody at the counter knew about my hold.",
    "הגעתי והזוג כבר לא היה",
    "Great, will come again.",
    "מידה לא נכונה בשקית",
]


def dataset_name(days: int, stores: int) -> str:
    return f"dashboard: {stores} stores x {days} days"


# --- Data set ----------------------------------------------------------------------------------


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(sep=" ")


def build_dataset(*, days: int, stores: int, now: float) -> dict[str, Any]:
    """Empty the tables and load the data set. Returns seconds per step and row counts."""
    rng = random.Random(SEED)
    stamp = ts(now)
    report: dict[str, Any] = {"seconds": {}, "rows": {}}
    start_loading(
        truncate=[
            "reviews_rating",
            "notifications_smsmessage",
            "notifications_waitlistentry",
            "inventory_hold",
            "inventory_transfer",
            "inventory_stocklevel",
            "inventory_stockmovement",
            "inventory_store",
            "catalog_variant",
            "catalog_product",
            "catalog_brand",
            "catalog_category",
            *TOTALS,
        ]
    )
    dropped = drop_secondary_indexes(TABLES)

    started = time.perf_counter()
    copy_rows(
        "catalog_brand",
        ["id", "name", "slug", "website"],
        iter([(1, "Nike", "nike", ""), (2, "Adidas", "adidas", ""), (3, "Hoka", "hoka", "")]),
    )
    copy_rows(
        "catalog_category",
        ["id", "slug", "name_he", "name_en", "position"],
        iter([(1, "running", "ריצה", "Running", 1)]),
    )
    copy_rows(
        "catalog_product",
        [
            "id",
            "name",
            "slug",
            "style_code",
            "colourway_he",
            "colourway_en",
            "description_he",
            "description_en",
            "specs_he",
            "specs_en",
            "price",
            "gender",
            "release_date",
            "is_active",
            "created_at",
            "brand_id",
            "category_id",
        ],
        (
            (
                p,
                f"Runner {p}",
                f"runner-{p}",
                f"DB{p:06d}",
                "",
                "",
                "",
                "",
                "",
                "",
                PRICE,
                "unisex",
                None,
                "t",
                stamp,
                p % 3 + 1,
                1,
            )
            for p in range(1, PRODUCTS + 1)
        ),
    )

    variant_count = PRODUCTS * len(SIZES)
    copy_rows(
        "catalog_variant",
        ["id", "eu_size", "us_label", "uk_label", "sku", "barcode", "product_id"],
        (
            (
                (p - 1) * len(SIZES) + s + 1,
                size,
                "",
                "",
                f"DB{p:06d}-{size}",
                ean13((p - 1) * len(SIZES) + s + 1),
                p,
            )
            for p in range(1, PRODUCTS + 1)
            for s, size in enumerate(SIZES)
        ),
    )
    copy_rows(
        "inventory_store",
        [
            "id",
            "code",
            "name_he",
            "name_en",
            "city_he",
            "city_en",
            "address_he",
            "address_en",
            "latitude",
            "longitude",
            "phone",
            "opening_hours_he",
            "opening_hours_en",
            "is_active",
            "is_warehouse",
        ],
        (
            (
                i,
                f"dash-{i:03d}",
                f"סניף {i}",
                f"Branch {i}",
                "עיר",
                "City",
                "רחוב 1",
                "1 Street",
                f"{29.55 + (i * 0.0377) % 3.7:.6f}",
                f"{34.30 + (i * 0.0131) % 1.3:.6f}",
                "",
                "",
                "",
                "t",
                "f",
            )
            for i in range(1, stores + 1)
        ),
    )
    report["seconds"]["catalogue and stores"] = time.perf_counter() - started

    def popular_variant() -> int:
        return int(rng.random() ** 2 * variant_count) + 1  # a few sizes are most wanted

    # Everything that follows from one sign-up, generated together, written table by table.
    entries: list[tuple[Any, ...]] = []
    holds: list[tuple[Any, ...]] = []
    texts: list[tuple[Any, ...]] = []
    ratings: list[tuple[Any, ...]] = []

    def flush() -> None:
        for table, columns, rows in (
            ("inventory_hold", HOLD_COLUMNS, holds),
            ("notifications_waitlistentry", ENTRY_COLUMNS, entries),
            ("notifications_smsmessage", SMS_COLUMNS, texts),
            ("reviews_rating", RATING_COLUMNS, ratings),
        ):
            copied = copy_rows(table, columns, iter(rows))
            report["rows"][table] = report["rows"].get(table, 0) + copied
            rows.clear()

    started = time.perf_counter()
    first_day = now - days * DAY
    first_day -= first_day % DAY  # midnight UTC
    entry_id = hold_id = rating_id = 0
    for day in range(days + 1):
        opens = first_day + day * DAY + 6 * HOUR  # 08:00/09:00 in Israel
        for store in range(1, stores + 1):
            for _ in range(rng.randint(*SIGNUPS_PER_DAY)):
                created = opens + rng.uniform(0, 13 * HOUR)
                if created > now:
                    continue
                entry_id += 1
                phone = f"+9725{entry_id:08d}"
                variant = popular_variant()
                language = "he" if rng.random() < 0.8 else "en"
                activated = created + rng.uniform(30, 300)
                held = activated + min(rng.expovariate(1 / (3 * DAY)), 60 * DAY)
                if held > now:  # the pair has not come in yet: still waiting
                    entries.append(
                        (
                            entry_id,
                            phone,
                            language,
                            "active",
                            ts(created),
                            ts(activated),
                            None,
                            None,
                            store,
                            variant,
                        )
                    )
                    continue
                hold_id += 1
                notified = held + rng.uniform(5, 120)
                expires = notified + DAY
                outcome = rng.random()
                if outcome < 0.70:
                    status, ended = "collected", notified + rng.uniform(0.5 * HOUR, 23.5 * HOUR)
                elif outcome < 0.95:
                    status, ended = "expired", expires + rng.uniform(0, 900)
                else:
                    status, ended = "released", notified + rng.uniform(HOUR, 20 * HOUR)
                if ended > now:
                    status, entry_status = "active", "held"
                else:
                    entry_status = "collected" if status == "collected" else "lapsed"
                ended_text = ts(ended) if status != "active" else None
                holds.append(
                    (
                        hold_id,
                        "waitlist",
                        "",
                        phone,
                        language,
                        status,
                        ts(held),
                        ts(notified),
                        ts(expires),
                        ended_text,
                        None,
                        variant,
                        store,
                        PRICE if status == "collected" else None,
                    )
                )
                entries.append(
                    (
                        entry_id,
                        phone,
                        language,
                        entry_status,
                        ts(created),
                        ts(activated),
                        ended_text,
                        hold_id,
                        store,
                        variant,
                    )
                )
                delivered = notified + rng.uniform(3, 30)
                texts.append(
                    (
                        hold_id,
                        phone,
                        "הזוג שלך שמור בחנות ל-24 שעות.",
                        language,
                        "hold_ready",
                        "delivered",
                        f"hold_ready:{hold_id}",
                        f"SM{hold_id:032d}",
                        1,
                        "",
                        "",
                        None,
                        ts(held),
                        None,
                        ts(held),
                        ts(delivered),
                        ts(notified),
                        ts(delivered),
                        hold_id,
                    )
                )
                if status == "active" or rng.random() >= 0.40:
                    continue
                rated = ended + rng.uniform(600, 2 * DAY)
                if rated > now:
                    continue
                rating_id += 1
                score = rng.choices([1, 2, 3, 4, 5], weights=[5, 6, 12, 30, 47])[0]
                comment = rng.choice(COMMENTS) if rng.random() < 0.15 or score <= 2 else ""
                flagged = score <= 2
                handled = (
                    ts(rated + rng.uniform(HOUR, 2 * DAY))
                    if flagged and rated < now - 3 * DAY and rng.random() < 0.9
                    else None
                )
                ratings.append(
                    (
                        rating_id,
                        "hold_collected" if status == "collected" else "hold_lapsed",
                        score,
                        comment,
                        language,
                        ts(rated),
                        "t" if flagged else "f",
                        handled,
                        "Called back" if handled else "",
                        None,
                        hold_id,
                        store,
                    )
                )
        if day % 30 == 29 or day == days:  # a month at a time: memory stays small
            flush()

    def transfers() -> Iterator[tuple[Any, ...]]:
        transfer_id = 0
        for day in range(days + 1):
            opens = first_day + day * DAY + 6 * HOUR
            for store in range(1, stores + 1):
                for _ in range(rng.randint(*TRANSFERS_PER_DAY)):
                    requested = opens + rng.uniform(0, 12 * HOUR)
                    if requested > now:
                        continue
                    transfer_id += 1
                    dispatched = requested + rng.uniform(2 * HOUR, 8 * HOUR)
                    received = dispatched + rng.uniform(12 * HOUR, 60 * HOUR)
                    status = (
                        "received"
                        if received <= now
                        else "dispatched"
                        if dispatched <= now
                        else "requested"
                    )
                    source = rng.randint(1, stores - 1)
                    source += source >= store  # any other store
                    yield (
                        transfer_id,
                        1,
                        status,
                        "",
                        "",
                        "he",
                        None,
                        "",
                        ts(requested),
                        ts(dispatched) if status != "requested" else None,
                        ts(received) if status == "received" else None,
                        None,
                        None,
                        None,
                        source,
                        None,
                        None,
                        store,
                        popular_variant(),
                    )

    report["rows"]["inventory_transfer"] = copy_rows(
        "inventory_transfer",
        [
            "id",
            "quantity",
            "status",
            "customer_name",
            "customer_phone",
            "customer_language",
            "expected_date",
            "note",
            "requested_at",
            "dispatched_at",
            "received_at",
            "cancelled_at",
            "cancelled_by_id",
            "dispatched_by_id",
            "from_store_id",
            "received_by_id",
            "requested_by_id",
            "to_store_id",
            "variant_id",
        ],
        transfers(),
    )
    report["seconds"]["generate and COPY"] = time.perf_counter() - started

    started = time.perf_counter()
    finish_loading(
        dropped=dropped,
        tables=[
            "catalog_brand",
            "catalog_category",
            "catalog_product",
            "catalog_variant",
            "inventory_store",
            *TABLES,
        ],
    )
    report["seconds"]["indexes"] = time.perf_counter() - started

    # COPY ran with the triggers off (session_replication_role): count the totals afresh.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    daily_totals_rebuild()
    report["seconds"]["rebuild daily totals"] = time.perf_counter() - started

    started = time.perf_counter()
    vacuum_analyze()
    mark_loaded(dataset_name(days, stores))
    report["seconds"]["vacuum analyze"] = time.perf_counter() - started
    return report


# --- Timing ------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(label: str, call: Callable[[], Any], runs: int, explain: bool) -> dict[str, Any]:
    with CaptureQueriesContext(connection) as captured:  # also the warm-up call
        call()
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    slowest = sorted(queries, reverse=True)[:3]
    row = {
        "measurement": label,
        "runs": runs,
        "queries": len(queries),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "slowest_queries": [{"ms": round(ms, 1), "sql": sql[:400]} for ms, sql in slowest],
    }
    if explain and slowest:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest[0][1]}")
            row["plan_of_slowest"] = "\n".join(r[0] for r in cursor.fetchall())
    return row


def measure_dashboard(*, runs: int, explain: bool, days: int) -> list[dict[str, Any]]:
    today = timezone.localdate()
    store = Store.objects.order_by("pk").first()
    year = min(days, 365)
    views = [
        ("last 30 days, all stores", Period(today - timedelta(days=29), today)),
        ("last 30 days, one store", Period(today - timedelta(days=29), today, store)),
        (f"last {year} days, all stores", Period(today - timedelta(days=year - 1), today)),
        (f"last {year} days, one store", Period(today - timedelta(days=year - 1), today, store)),
    ]
    results = []
    for label, period in views:
        # The reference: the same figures counted from the raw rows, in the same run.
        reference = measure(
            f"from raw rows: {label}",
            partial(dashboard, period=period, from_rows=True),
            runs,
            explain,
        )
        result = measure(f"dashboard(): {label}", partial(dashboard, period=period), runs, explain)
        result["ratio_to_raw_rows"] = round(result["p50_ms"] / reference["p50_ms"], 3)
        figures = dashboard(period=period)
        result["figures"] = {
            "signups": figures.signups,
            "texts_sent": figures.texts_sent,
            "holds": figures.holds,
            "ratings": figures.rating_count,
            "transfers": figures.transfers_requested,
            "open_flags": len(figures.open_flags),
            "collected_value": str(figures.money.total.value),
            "medians_s": [
                None if m is None else round(m)
                for m in (
                    figures.median_signup_to_text,
                    figures.median_text_to_collection,
                    figures.median_transfer_lead,
                )
            ],
        }
        exact = dashboard(period=period, from_rows=True)
        reference["figures"] = {
            "medians_s": [
                None if m is None else round(m)
                for m in (
                    exact.median_signup_to_text,
                    exact.median_text_to_collection,
                    exact.median_transfer_lead,
                )
            ]
        }
        results.extend([reference, result])
    return results


# --- Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="load the data set again")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7, help="timed calls per view (warm)")
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of each view's slowest query"
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://.../<own database>")
        return 2
    database = connection.settings_dict["NAME"]
    name = dataset_name(args.days, args.stores)
    print(f"Database {database}; data set {name}.")
    call_command("migrate", interactive=False, verbosity=0)
    report: dict[str, Any] = {
        "database": database,
        "dataset": name,
        "started_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
    }
    if args.rebuild or not dataset_ready(name):
        print("Loading the data set with COPY (a few minutes)...")
        built = build_dataset(days=args.days, stores=args.stores, now=time.time())
        report["build"] = {
            "seconds": {k: round(v, 1) for k, v in built["seconds"].items()},
            "rows": built["rows"],
        }
        for step, seconds in report["build"]["seconds"].items():
            print(f"  {step:<24} {seconds:8.1f} s")
    else:
        print(
            "Data set already loaded (use --rebuild to load it again; the last days of the "
            "period are those it was loaded with)."
        )
    with connection.cursor() as cursor:
        report["rows"] = {}
        for table in [*TABLES, *TOTALS]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            report["rows"][table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM notifications_waitlistentry WHERE status = 'active'")
        report["rows"]["waiting entries"] = cursor.fetchone()[0]
    print("  " + ", ".join(f"{table} {count:,}" for table, count in report["rows"].items()))

    load_before = os.getloadavg()[0]
    report["dashboard"] = measure_dashboard(runs=args.runs, explain=args.explain, days=args.days)
    # Figures on a shared machine move with its load: keep it next to them.
    report["load_average_before_after"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    print()
    print(
        f"{'measurement':<50} {'queries':>7} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'ratio':>6}"
    )
    for row in report["dashboard"]:
        print(
            f"{row['measurement']:<50} {row['queries']:>7} {row['p50_ms']:>9} "
            f"{row['p95_ms']:>9} {row['max_ms']:>9} {row.get('ratio_to_raw_rows', ''):>6}"
        )
    print(
        f"(load average {report['load_average_before_after'][0]} -> "
        f"{report['load_average_before_after'][1]} on {os.cpu_count()} CPUs)"
    )
    for row in report["dashboard"]:
        print(f"\n{row['measurement']}: {row['figures']}")
        for query in row["slowest_queries"]:
            print(f"  {query['ms']:>8} ms  {query['sql'][:150]}")
        if "plan_of_slowest" in row:
            print(row["plan_of_slowest"])

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"dashboard_bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
