"""Back-in-stock alerts at scale: 10,000 people waiting, one shipment for all of them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h8_bench \
    REDIS_URL=redis://127.0.0.1:6379/8 \
    python benchmarks/alerts_bench.py [--entries 10000] [--sizes 200] [--workers 2]

It works in a scratch database beside `DATABASE_URL`'s (`<name>_alerts_bench`, made afresh and
dropped on exit; its workers are pointed at it), so `make bench` leaves the other benchmarks'
data (and the role groups the migrations made) as they were. It builds 200 sizes
at one store with 50 people waiting for each (10,000 confirmed entries), then measures with
real Celery workers on Redis and the Twilio-compatible fake on loopback (the same one the
integration tests use):

1. allocation — from the shipment's receipt (`shipment_receive`, in this process, as the admin
   does it) to every hold and outbox row committed by the workers' allocation tasks. Quiet
   hours are set to cover the whole day for this phase, so the texts wait in the outbox and
   do not compete with allocation;
2. sending — the 10,000 texts made due and handed to `--workers` worker processes (prefork),
   until the fake has taken every one; checks that each number got exactly one text;
3. the provider's per-sender rate — a smaller batch with `SMS_SEND_RATE_PER_SECOND` set, to
   show the setting holds throughput to the provider's ceiling across workers.

Prints a table and writes benchmarks/results/alerts_bench-<timestamp>.json.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")  # no query log in memory
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.dataset import database_url, ean13  # noqa: E402
from catalog.models import Brand, Category, Product, Variant  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from demand.models import WaitlistEntry  # noqa: E402
from inventory import services as inventory  # noqa: E402
from inventory.models import Hold, Store  # noqa: E402
from notifications import services  # noqa: E402
from notifications.models import ConfirmedNumber, Message  # noqa: E402
from tests.integration.twilio_fake import FakeTwilio  # noqa: E402

RESULTS_DIR = BASE_DIR / "benchmarks" / "results"
TWILIO_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "2" * 32,
    "TWILIO_AUTH_TOKEN": "bench-auth-token",
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "2" * 32,
}


# --- Data set ----------------------------------------------------------------------------------


def build(entries: int, sizes: int) -> tuple[Store, list[Variant]]:
    """One store, `sizes` sizes, `entries` confirmed people waiting spread evenly over them."""
    store = Store.objects.create(
        code="bench",
        name_he="דיזנגוף סנטר",
        name_en="Dizengoff Center",
        city_he="תל אביב",
        city_en="Tel Aviv",
        address_he="דיזנגוף 50",
        address_en="50 Dizengoff St",
        latitude=Decimal("32.0753"),
        longitude=Decimal("34.7750"),
        phone="03-5551234",
    )
    brand = Brand.objects.create(name="Bench", slug="bench")
    category = Category.objects.create(slug="running", name_he="ריצה", name_en="Running")
    per_product = 10
    products = Product.objects.bulk_create(
        [
            Product(
                brand=brand,
                category=category,
                name=f"Pegasus {n}",
                slug=f"pegasus-{n}",
                style_code=f"BN{n:05d}",
                price=Decimal("599.90"),
            )
            for n in range((sizes + per_product - 1) // per_product)
        ]
    )
    variants = Variant.objects.bulk_create(
        [
            Variant(
                product=products[i // per_product],
                eu_size=Decimal(36 + i % per_product),
                sku=f"BN-{i:06d}",
                barcode=ean13(i),
            )
            for i in range(sizes)
        ]
    )
    now = timezone.now()
    phones = [f"+97250{2000000 + i:07d}" for i in range(entries)]
    WaitlistEntry.objects.bulk_create(
        [
            WaitlistEntry(
                phone=phone,
                variant=variants[i % sizes],
                store=store,
                language="he",
                status=WaitlistEntry.Status.ACTIVE,
                activated_at=now,
            )
            for i, phone in enumerate(phones)
        ],
        batch_size=2000,
    )
    ConfirmedNumber.objects.bulk_create(
        [ConfirmedNumber(phone=phone, confirmed_at=now, last_used_at=now) for phone in phones],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return store, variants


# --- Workers -----------------------------------------------------------------------------------


class Worker:
    def __init__(self, *, processes: int, twilio_url: str, extra_env: dict[str, str]) -> None:
        self.log = Path(tempfile.mkstemp(prefix="alerts-bench-worker-", suffix=".log")[1])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "0",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "SMS_BACKEND": "notifications.backends.twilio.TwilioBackend",
            "TWILIO_API_BASE_URL": twilio_url,
            "SITE_URL": "https://sole.co.il",
            **TWILIO_ENV,
            **extra_env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={processes}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # WARNING hides "ready": ask the worker itself instead.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            if celery_app.control.ping(timeout=0.5):
                return
        raise RuntimeError("the worker did not answer a ping:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.unlink(missing_ok=True)


def wait_for(condition: Callable[[], bool], timeout: float, poll: float = 0.02) -> float:
    """Seconds until `condition()` held (raises after `timeout`)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError
        time.sleep(poll)
    return time.monotonic() - started


# --- Measurements ------------------------------------------------------------------------------


def measure_allocation(
    store: Store, variants: list[Variant], entries: int, workers: int, twilio: FakeTwilio
) -> dict[str, Any]:
    per_size = entries // len(variants)
    shipment = inventory.shipment_create(
        reference="BENCH-1",
        store=store,
        expected_date=timezone.localdate(),
        lines=[(variant, per_size) for variant in variants],
    )
    worker = Worker(
        processes=workers,
        twilio_url=twilio.url,  # type: ignore[attr-defined]
        extra_env={"QUIET_HOURS": "00:00-23:59"},
    )
    try:
        started = time.monotonic()
        inventory.shipment_receive(shipment=shipment)
        received = time.monotonic() - started
        wait_for(
            lambda: Hold.objects.count() >= entries and Message.objects.count() >= entries,
            timeout=600,
        )
        elapsed = time.monotonic() - started
    finally:
        worker.stop()
    holds = Hold.objects.count()
    assert holds == entries, holds
    assert WaitlistEntry.objects.filter(status="active").count() == 0
    return {
        "measurement": "allocation: receipt to all holds and outbox rows committed",
        "entries": entries,
        "sizes": len(variants),
        "worker_processes": workers,
        "receipt_seconds": round(received, 3),
        "seconds": round(elapsed, 3),
        "holds_per_second": round(holds / elapsed, 1),
    }


def measure_sending(
    workers: int,
    twilio: FakeTwilio,
    *,
    rate: int = 0,
    limit: int | None = None,
    pool: str = "prefork",
) -> dict[str, Any]:
    twilio.reset()
    queued = Message.objects.filter(status=Message.Status.QUEUED).order_by("pk")
    ids = list(
        queued.values_list("pk", flat=True)[:limit]
        if limit
        else queued.values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(send_after=None, enqueued_at=None)
    worker = Worker(
        processes=workers,
        twilio_url=twilio.url,  # type: ignore[attr-defined]
        extra_env={"QUIET_HOURS": "", "SMS_SEND_RATE_PER_SECOND": str(rate)},
    )
    try:
        started = time.monotonic()
        services.messages_dispatch_due(limit=len(ids) + 1)
        dispatched = time.monotonic() - started
        wait_for(lambda: len(twilio.requests) >= len(ids), timeout=900, poll=0.05)
        wait_for(
            lambda: (
                not Message.objects.filter(pk__in=ids, status__in=["queued", "sending"]).exists()
            ),
            timeout=120,
        )
        elapsed = time.monotonic() - started
    finally:
        worker.stop()
    per_number = Counter(r.form["To"] for r in twilio.accepted)
    sent = Message.objects.filter(pk__in=ids, status="sent").count()
    assert sent == len(ids), (sent, len(ids))
    assert len(per_number) == len(ids) and max(per_number.values()) == 1, "a text went twice"
    return {
        "measurement": (
            f"sending: {len(ids):,} texts, {workers} worker processes"
            + (f", SMS_SEND_RATE_PER_SECOND={rate}" if rate else "")
        ),
        "texts": len(ids),
        "worker_processes": workers,
        "rate_limit": rate,
        "dispatch_seconds": round(dispatched, 3),
        "seconds": round(elapsed, 3),
        "texts_per_second": round(len(ids) / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="worker processes sending texts")
    parser.add_argument(
        "--alloc-workers",
        type=int,
        default=4,
        help="worker processes allocating (their time is mostly the database's)",
    )
    parser.add_argument(
        "--rate",
        type=int,
        default=100,
        help="SMS_SEND_RATE_PER_SECOND for the rate check (0 skips it)",
    )
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        print("alerts_bench needs DATABASE_URL=postgres://... and REDIS_URL=redis://...")
        return 2

    scratch = f"{connection.settings_dict['NAME']}_alerts_bench"
    connection.settings_dict["TEST"]["NAME"] = scratch
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    os.environ["DATABASE_URL"] = database_url(settings.DATABASES["default"])  # the workers'
    celery_app.control.purge()
    twilio = FakeTwilio()
    twilio.url = twilio.start()  # type: ignore[attr-defined]
    results: dict[str, Any] = {
        "database": settings.DATABASES["default"]["NAME"],
        "started_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
    }
    try:
        store, variants = build(args.entries, args.sizes)
        rows = [measure_allocation(store, variants, args.entries, args.alloc_workers, twilio)]
        rate_batch = min(args.entries, args.rate * 5) if args.rate else 0
        # The main sending run leaves `rate_batch` texts for the rate check.
        rows.append(measure_sending(args.workers, twilio, limit=args.entries - rate_batch or None))
        if rate_batch:
            rows.append(measure_sending(args.workers, twilio, rate=args.rate, limit=rate_batch))
    finally:
        twilio.stop()
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    results["measurements"] = rows
    results["load_average"] = [round(x, 2) for x in os.getloadavg()]

    print(
        f"\nAlerts benchmark — {args.entries:,} people waiting for {args.sizes} sizes, "
        f"{os.cpu_count()} CPUs, load average {results['load_average'][1]:.2f} (5 min)"
    )
    for row in rows:
        figure = (
            f"{row['seconds']:.2f} s ({row['holds_per_second']:,.0f} holds/s)"
            if "holds_per_second" in row
            else f"{row['texts_per_second']:,.0f} texts/s ({row['seconds']:.2f} s)"
        )
        print(f"  {row['measurement']:<70} {figure}")
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"alerts_bench-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {out.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
