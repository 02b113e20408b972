"""PgBouncer in transaction mode and a read replica: what the settings make of the variables,
and that the application keeps no session state a pooler would hand to someone else."""

import json
import re
from pathlib import Path

from django.conf import settings

from tests.test_settings import run_django

BASE_DIR = Path(settings.BASE_DIR)
APPS = (
    "core",
    "catalog",
    "inventory",
    "notifications",
    "demand",
    "reviews",
    "insights",
    "storefront",
    "config",
)

DUMP = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({alias: {"cursors_off": db.get("DISABLE_SERVER_SIDE_CURSORS"),
                          "name": db.get("NAME"), "mirror": db.get("TEST", {}).get("MIRROR")}
                  for alias, db in settings.DATABASES.items()}))
"""


def databases(**variables: str) -> dict:
    result = run_django("local", ["-c", DUMP], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_disable_server_side_cursors_reaches_every_database():
    found = databases(
        DATABASE_URL="postgres://u@bouncer:6432/shop",
        DATABASE_REPLICA_URL="postgres://u@replica:5432/shop",
        DISABLE_SERVER_SIDE_CURSORS="True",
    )

    assert found["default"]["cursors_off"] is True
    assert found["replica"] == {"cursors_off": True, "name": "shop", "mirror": "default"}


def test_without_a_replica_url_there_is_only_the_primary():
    found = databases(DATABASE_URL="postgres://u@db:5432/shop")

    assert set(found) == {"default"}
    assert found["default"]["cursors_off"] is False


def test_no_code_keeps_session_state_a_transaction_pooler_would_leak():
    """No SET outside a transaction (SET LOCAL is fine), no LISTEN, no session advisory lock
    (bar migrate_locked, which runs against PostgreSQL itself), no prepared statements."""
    # SQL is written in capitals here; prose ("Set one pair aside") is not.
    session = re.compile(
        r"""["'](?:SET\s+(?!LOCAL\b)[a-z_]+\s*(?:=|TO\b)|LISTEN\b|PREPARE\b|DECLARE\b.*\bWITH\s+HOLD)"""
        r"""|pg_advisory_lock|prepare_threshold"""
    )
    offenders = []
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "migrate_locked.py":
                continue
            if session.search(path.read_text()):
                offenders.append(str(path.relative_to(BASE_DIR)))

    assert offenders == []
