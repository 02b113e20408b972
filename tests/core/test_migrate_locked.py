"""`migrate_locked`: web containers started together migrate one after the other."""

import os
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from core.management.commands.migrate_locked import LOCK_KEY

pytestmark = pytest.mark.django_db(transaction=True)


def test_migrate_locked_waits_for_the_process_holding_the_lock_then_migrates():
    if connection.vendor != "postgresql":
        pytest.skip("an advisory lock of PostgreSQL")
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgres://", 1)}
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        process = subprocess.Popen(
            [sys.executable, "manage.py", "migrate_locked"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        waiting = _wait_for_a_waiter(other)
        other.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    output, _ = process.communicate(timeout=60)

    assert waiting, output
    assert process.returncode == 0, output
    assert "No migrations to apply" in output


def _wait_for_a_waiter(conn: psycopg.Connection, timeout: float = 30.0) -> bool:
    """Whether another session came to wait for the advisory lock within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
        if row and row[0]:
            return True
        time.sleep(0.1)
    return False
