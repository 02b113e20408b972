"""Make fixtures/seeded_main.json.gz: the demo's rows, dumped from a fresh SQLite database.

    python -m tests.migrations.make_fixture [--output PATH]

Migrates an empty SQLite database in a temporary folder (whatever DATABASE_URL says), runs
`seed_demo`, adds the rows the demo never writes (`seed_rest`) so that every table of the
project has some, and dumps every table of the project's apps, and of auth and contenttypes,
with the leaf migration of every app.
"""

import argparse
import gzip
import json
import logging
import os
import sys
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("fixtures") / "seeded_main.json.gz"


def seed_rest() -> None:
    """A few rows of each kind the demo leaves out: entries pending, on a transfer and
    cancelled; a transfer's hold and its text; a released hold; decided suggestions with their
    transfers; texts of every status; tokens, opt-outs, webhooks, WhatsApp numbers, codes;
    a user's own permission; and the dashboard's totals, which SQLite does not keep."""
    from django.contrib.auth.models import Permission, User
    from django.db import transaction
    from django.utils import timezone

    from catalog.models import Variant
    from inventory.models import Hold, Store, TillToken, Transfer
    from notifications.models import (
        OptOut,
        PhoneVerification,
        ProcessedWebhook,
        SmsMessage,
        TransferSuggestion,
        WaitlistEntry,
        WhatsAppNumber,
    )
    from reviews.models import DailyCollection, DailyDuration, DailyTotal

    now = timezone.now()
    stores = list(Store.objects.order_by("pk")[:3])
    variants = list(Variant.objects.order_by("pk")[:6])
    manager = User.objects.filter(username__startswith="manager-").order_by("pk").first()
    with transaction.atomic():
        for i, status in enumerate(["pending", "cancelled"] * 2):
            WaitlistEntry.objects.create(
                phone=f"+97250111{i:04d}",
                variant=variants[i],
                store=stores[0],
                status=status,
                ended_at=now if status == "cancelled" else None,
            )
        transfer = Transfer.objects.create(
            variant=variants[0],
            from_store=stores[1],
            to_store=stores[0],
            status=Transfer.Status.RECEIVED,
            requested_by=manager,
            received_by=manager,
            received_at=now,
            note="for two customers",
        )
        on_the_way = Transfer.objects.create(
            variant=variants[1],
            from_store=stores[2],
            to_store=stores[0],
            status=Transfer.Status.DISPATCHED,
            dispatched_at=now,
            expected_date=(now + timedelta(days=2)).date(),
        )
        WaitlistEntry.objects.create(
            phone="+972501112000",
            variant=variants[1],
            store=stores[0],
            status="transfer",
            transfer=on_the_way,
            activated_at=now,
        )
        hold = Hold.objects.create(
            store=stores[0],
            variant=variants[0],
            purpose=Hold.Purpose.TRANSFER,
            transfer=transfer,
            status=Hold.Status.ACTIVE,
            notified_at=now,
            expires_at=now + timedelta(days=1),
        )
        Hold.objects.create(
            store=stores[1],
            variant=variants[2],
            purpose=Hold.Purpose.REQUEST,
            customer_name="Dana",
            customer_phone="+972501113000",
            status=Hold.Status.RELEASED,
            ended_at=now,
            ended_by=manager,
            collected_price=Decimal("499.90"),
        )
        entry = WaitlistEntry.objects.create(
            phone="+972501114000",
            variant=variants[0],
            store=stores[0],
            status="held",
            hold=hold,
            transfer=transfer,
            activated_at=now - timedelta(days=3),
        )
        for i, status in enumerate(SmsMessage.Status.values):
            SmsMessage.objects.create(
                recipient=entry.phone,
                body=f"text {i}",
                variables={"model": "Air", "size": "42", "n": i},
                purpose=SmsMessage.Purpose.TRANSFER_ARRIVED,
                status=status,
                idempotency_key=f"fixture:{i}",
                hold=hold,
                transfer=transfer,
                entry=entry,
                provider_id=f"SM{i:032d}" if status != "queued" else None,
                attempts=i,
                send_after=now,
                sent_at=now if status in ("sent", "delivered", "undelivered") else None,
            )
        SmsMessage.objects.create(
            recipient="+972501115000",
            body="code 123456",
            purpose=SmsMessage.Purpose.VERIFICATION,
            status=SmsMessage.Status.SENT,
            idempotency_key="fixture:verification",
            sent_at=now,
        )
        for i, status in enumerate(["approved", "dismissed", "withdrawn"]):
            suggestion = TransferSuggestion.objects.create(
                variant=variants[3 + i],
                from_store=stores[1],
                to_store=stores[2],
                distance_km=12.5 + i,
                oldest_wait_since=now - timedelta(days=5),
                status=status,
                decided_at=now,
                decided_by=manager,
                snoozed_until=now + timedelta(days=7) if status == "dismissed" else None,
            )
            suggestion.entries.add(entry)
            if status == "approved":
                suggestion.transfers.add(transfer, on_the_way)
        TillToken.objects.create(store=stores[0], name="till 1", prefix="tk_fixture", key_hash="x")
        OptOut.objects.create(phone="+972501116000", source=OptOut.Source.REPLY)
        ProcessedWebhook.objects.create(key="twilio:status:SM0001:delivered")
        WhatsAppNumber.objects.create(phone=entry.phone, last_inbound_at=now)
        PhoneVerification.objects.create(
            phone="+972501115000", code_hash="sha256$x", expires_at=now + timedelta(minutes=10)
        )
        if manager:
            manager.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
        for days in range(3):
            day = (now - timedelta(days=days)).date()
            for store in [None, *stores]:
                DailyTotal.objects.create(
                    day=day, store=store, signups=days + 1, texts_sent=2, ratings_5=days
                )
                DailyDuration.objects.create(
                    day=day, store=store, measure="signup_to_text", bucket=days + 10, count=3
                )
            for store in stores:
                DailyCollection.objects.create(
                    day=day, store=store, purpose="waitlist", pairs=2, value=Decimal("998.00")
                )


def dump() -> dict[str, Any]:
    """Every project table's rows and model, and each app's leaf migration."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tests.migrations.rows import pk_column, project_tables, read_rows

    leaves: dict[str, str] = {}
    for app, name in MigrationLoader(connection).graph.leaf_nodes():
        if app in leaves:
            raise SystemExit(f"{app} has two leaf migrations: merge them first")
        leaves[app] = name
    tables = {}
    for table in project_tables(apps):
        columns, rows = read_rows(connection, table.name, table.model)
        tables[table.name] = {
            "model": table.label,
            "m2m": table.m2m,
            "pk": pk_column(table.model),
            "columns": columns,
            "rows": rows,
        }
    return {"migrations": dict(sorted(leaves.items())), "tables": tables}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=FIXTURE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        # Test settings: texts to the in-memory outbox, tasks in-process, no Redis.
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/seeded.sqlite3"
        os.environ["SMS_BACKEND"] = "notifications.backends.locmem.LocMemBackend"
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        logging.disable(logging.INFO)  # the seed's services log every pair and text
        call_command("migrate", verbosity=0)
        call_command("seed_demo", quiet=True)
        seed_rest()
        logging.disable(logging.NOTSET)
        fixture = dump()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(fixture, ensure_ascii=False, separators=(",", ":")).encode()
    # mtime=0: the same rows give the same file.
    args.output.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    rows = sum(len(table["rows"]) for table in fixture["tables"].values())
    empty = [name for name, table in fixture["tables"].items() if not table["rows"]]
    sys.stdout.write(
        f"{args.output}: {len(fixture['tables'])} tables, {rows} rows, "
        f"{args.output.stat().st_size / 1024:.0f} KiB; empty: {', '.join(empty) or 'none'}\n"
    )


if __name__ == "__main__":
    main()
