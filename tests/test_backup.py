"""`make backup` and `make restore`: a seeded database dumped in PostgreSQL's custom format and
restored into a fresh one has the same rows in every table, and its ledger still adds up."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from demand.models import WaitlistEntry
from inventory import services as inventory
from notifications.models import Message
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory

BASE_DIR = Path(settings.BASE_DIR)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Every level's on-hand equals the sum of its ledger's changes.
LEDGER_BROKEN = """
    SELECT count(*) FROM inventory_stocklevel AS level
    WHERE level.on_hand <> (
        SELECT coalesce(sum(delta), 0) FROM inventory_stockmovement AS movement
        WHERE movement.store_id = level.store_id AND movement.variant_id = level.variant_id
    )
"""
TABLES = """
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
"""


def url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def census(dsn: str) -> tuple[dict[str, int], int, int]:
    """(rows per table, ledger rows out of step, holds), read over a connection of its own."""
    with psycopg.connect(dsn, autocommit=True) as conn:

        def one(sql: str) -> int:
            row = conn.execute(sql).fetchone()
            assert row is not None
            return int(row[0])

        tables = [row[0] for row in conn.execute(TABLES)]
        counts = {table: one(f'SELECT count(*) FROM "{table}"') for table in tables}  # noqa: S608
        return counts, one(LEDGER_BROKEN), one("SELECT count(*) FROM inventory_hold")


def make(target: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **{k: v for k, v in variables.items() if k == "DATABASE_URL"}}
    arguments = [f"{k}={v}" for k, v in variables.items() if k != "DATABASE_URL"]
    return subprocess.run(
        ["make", "--no-print-directory", target, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_a_fresh_database_keeps_every_row(tmp_path, fresh_database):
    if connection.vendor != "postgresql" or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL and its pg_dump")
    store, variant = StoreFactory(), VariantFactory()
    WaitlistEntryFactory.create_batch(3, store=store, variant=variant)
    inventory.stock_receive(store=store, variant=variant, quantity=5)
    inventory.stock_sell(store=store, variant=variant, quantity=1)
    assert WaitlistEntry.objects.filter(hold__isnull=False).count() == 3
    assert Message.objects.exists()
    source = url(settings.DATABASES["default"]["NAME"])
    dump = tmp_path / "seeded.dump"

    backed_up = make("backup", DATABASE_URL=source, BACKUP_FILE=str(dump))
    restored = make("restore", DATABASE_URL=url(fresh_database), FILE=str(dump))

    assert backed_up.returncode == 0, backed_up.stderr
    assert dump.read_bytes().startswith(b"PGDMP")  # the custom format
    assert restored.returncode == 0, restored.stderr
    before, after = census(source), census(url(fresh_database))
    assert after == before
    rows, broken, holds = after
    assert broken == 0 and holds == 3
    assert rows["inventory_stockmovement"] >= 2 and rows["django_migrations"] > 0


def test_restore_refuses_without_a_dump(tmp_path):
    result = make("restore", DATABASE_URL="postgres://x@127.0.0.1/none", FILE=str(tmp_path / "no"))

    assert result.returncode != 0
    assert "FILE=" in result.stdout + result.stderr
