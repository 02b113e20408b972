"""Suggested transfers and the buying report at 100 stores, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/suggestions_bench \
    python -m benchmarks.bench_suggestions [--stores 100] [--products 300] [--waiting 10000]

Use a database of its own: the script migrates it and replaces its stores, catalogue, stock,
waiting lists and sales with the data set: `--stores` stores and a warehouse spread over
Israel, `--products` models of 10 sizes, each store carrying about a third of the sizes (0–4
pairs), the warehouse half of them (0–20 pairs), `--waiting` customers waiting for sizes their
store is out of, and a month of sales. It then times, warm, `transfer_suggestions_refresh()`
(the hourly job) and `buying_report()`, each as a ratio to the plain read of the rows it
starts from (the waiting entries and the stock levels of the sizes they wait for), measured
in the same run. The load average is printed beside the figures.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.dataset import ean13  # noqa: E402
from catalog.models import Brand, Category, Product, Variant  # noqa: E402
from demand.models import TransferSuggestion, WaitlistEntry  # noqa: E402
from demand.services import transfer_suggestions_refresh  # noqa: E402
from insights.buying import buying_report  # noqa: E402
from inventory.models import StockLevel, StockMovement, Store  # noqa: E402

SEED = 20261202
SIZES = range(36, 46)


def build(*, stores: int, products: int, waiting: int) -> None:
    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_transfersuggestion, notifications_waitlistentry, "
            "inventory_stockmovement, inventory_stocklevel, inventory_transfer, "
            "inventory_hold, inventory_inboundshipmentline, "
            "inventory_inboundshipment, inventory_staffprofile, inventory_store, "
            "catalog_variant, catalog_product CASCADE"
        )
    brand, _ = Brand.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    category, _ = Category.objects.get_or_create(
        slug="bench", defaults={"name_he": "ספסל", "name_en": "Bench"}
    )
    shops = Store.objects.bulk_create(
        [
            Store(
                code=f"s{n}",
                name_he=f"סניף {n}",
                name_en=f"Store {n}",
                city_he="עיר",
                city_en="City",
                address_he="רחוב",
                address_en="Street",
                latitude=Decimal(f"{rng.uniform(29.6, 33.2):.6f}"),
                longitude=Decimal(f"{rng.uniform(34.3, 35.6):.6f}"),
                is_warehouse=(n == 0),
            )
            for n in range(stores + 1)
        ]
    )
    models = Product.objects.bulk_create(
        [
            Product(
                brand=brand,
                category=category,
                name=f"Model {n}",
                slug=f"model-{n}",
                style_code=f"BM{n:05d}",
                price=Decimal("499.90"),
            )
            for n in range(products)
        ]
    )
    sizes = Variant.objects.bulk_create(
        [
            Variant(
                product=product,
                eu_size=Decimal(size),
                sku=f"BM{p:05d}-{size}",
                barcode=ean13(p * 100 + size),
                us_label="9",
                uk_label="8",
            )
            for p, product in enumerate(models)
            for size in SIZES
        ]
    )
    levels, out = [], []
    for store in shops:
        share = 0.5 if store.is_warehouse else 0.33
        top = 20 if store.is_warehouse else 4
        for variant in sizes:
            if rng.random() < share:
                pairs = rng.randint(0, top)
                levels.append(StockLevel(store=store, variant=variant, on_hand=pairs))
                if pairs == 0 and not store.is_warehouse:
                    out.append((store, variant))
    StockLevel.objects.bulk_create(levels, batch_size=5000)
    now = timezone.now()
    entries = [
        WaitlistEntry(
            phone=f"+97250{n:07d}",
            store=store,
            variant=variant,
            status=WaitlistEntry.Status.ACTIVE,
            activated_at=now,
        )
        for n, (store, variant) in enumerate(rng.choices(out, k=waiting))
    ]
    # One open entry per number, size and store: a number waits once for each.
    WaitlistEntry.objects.bulk_create(entries, batch_size=5000, ignore_conflicts=True)
    for entry_id in WaitlistEntry.objects.values_list("pk", flat=True):
        if rng.random() < 0.5:
            WaitlistEntry.objects.filter(pk=entry_id).update(
                created_at=now - timedelta(days=rng.uniform(0, 30))
            )
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                store=level.store,
                variant=level.variant,
                delta=-1,
                on_hand_after=0,
                reason=StockMovement.Reason.SALE,
            )
            for level in rng.sample(levels, k=min(len(levels), 20_000))
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reference() -> Any:
    """The rows the job starts from, read plainly."""
    rows = list(
        WaitlistEntry.objects.waiting().values_list("pk", "store_id", "variant_id", "created_at")
    )
    variant_ids = {row[2] for row in rows}
    return rows, list(
        StockLevel.objects.filter(variant_id__in=variant_ids).values_list(
            "store_id", "variant_id", "on_hand", "reserved"
        )
    )


def measure(call: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (DATABASE_URL).")
        return 2
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build(stores=args.stores, products=args.products, waiting=args.waiting)
    print(
        f"data set: {args.stores} stores + warehouse, {args.products * len(SIZES)} sizes, "
        f"{StockLevel.objects.count()} stock levels, "
        f"{WaitlistEntry.objects.count()} waiting ({time.perf_counter() - started:.1f} s)"
    )
    transfer_suggestions_refresh()  # the first run writes every suggestion
    print(f"suggestions: {TransferSuggestion.objects.filter(status='proposed').count()} proposed")
    ref = measure(reference, args.runs)
    rows = [
        ("reference: read waiting entries and their stock levels", ref),
        (
            "transfer_suggestions_refresh (warm, suggestions exist)",
            measure(transfer_suggestions_refresh, args.runs),
        ),
        ("buying_report", measure(buying_report, args.runs)),
    ]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'measurement':58} {'p50 ms':>8} {'max ms':>8} {'queries':>8} {'× ref':>7}")
    for label, (p50, worst, queries) in rows:
        print(f"{label:58} {p50 * 1000:8.0f} {worst * 1000:8.0f} {queries:8d} {p50 / ref[0]:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
