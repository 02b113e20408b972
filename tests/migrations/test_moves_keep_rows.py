"""Main's seeded rows, replayed through today's migrations, are all still there.

The database is taken back to the migrations recorded in the fixture, filled with the fixture's
rows, and migrated forward to today's leaves; then every dumped table's rows are counted, and a
sample of them compared column by column, in the table that holds its model's rows now.
"""

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.contenttypes.management import inject_rename_contenttypes_operations
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from demand.models import WaitlistEntry
from tests.migrations.rows import (
    SAMPLE_SIZE,
    compare_row,
    count_rows,
    fields_by_column,
    insert_rows,
    model_for,
    pk_column,
    read_rows,
    sample,
)

ENTRIES = "notifications_waitlistentry"  # the table waitlist entries have had all along
FIXTURE = Path(__file__).with_name("fixtures") / "seeded_main.json.gz"

pytestmark = pytest.mark.migrations

# Models that live elsewhere since the fixture was dumped: old label → new label (another app,
# or a new name). Their tables are found through the new model, whatever they are called now.
MOVED: dict[str, str] = {
    "notifications.WaitlistEntry": "demand.WaitlistEntry",
    "notifications.TransferSuggestion": "demand.TransferSuggestion",
    "notifications.SmsMessage": "notifications.Message",
    "reviews.DailyTotal": "insights.DailyTotal",
    "reviews.DailyCollection": "insights.DailyCollection",
    "reviews.DailyDuration": "insights.DailyDuration",
}

# Columns with a new name: (table key, old column) → new column. A table key is the model's
# label as dumped, or "label.field" for a many-to-many field's own table.
RENAMED_COLUMNS: dict[tuple[str, str], str] = {}

# Columns that are gone on purpose: (table key, column) → why their values need not survive.
DROPPED_COLUMNS: dict[tuple[str, str], str] = {
    ("inventory.Hold", "waitlist_entry_id"): (
        "the waitlist entry points at its hold (WaitlistEntry.hold, checked below); inventory "
        "no longer names the layer above it"
    ),
    ("notifications.SmsMessage", "entry_id"): (
        "a text no longer points at a waitlist entry: only hold texts did, and their entry is "
        "found from the hold (WaitlistEntry.hold)"
    ),
}

# Tables a migration fills afresh from other rows (the dashboard's totals, say): table key →
# why. Their rows are not compared; the model must still have a table.
REBUILT: dict[str, str] = {
    "reviews.DailyTotal": "texts count at their hold's store: PostgreSQL recounts the totals",
    "reviews.DailyCollection": "recounted with the totals",
    "reviews.DailyDuration": "recounted with the totals",
}


# Tables migrations since the dump add rows to: table key → why. Every dumped row must still be
# there (counted and sampled as anywhere); the table may hold more.
GROWN: dict[str, str] = {
    "contenttypes.ContentType": "catalog 0005 creates the model lines' content type",
    "auth.Permission": "catalog 0005 creates the model lines' permissions, notifications 0011 "
    "the quick answers'",
    "auth.Group.permissions": "catalog 0005 grants them to catalog editors, salespeople, "
    "managers; notifications 0011 the quick answers to managers and head office",
}


def load_fixture() -> dict[str, Any]:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


def back_then(executor: MigrationExecutor, recorded: dict[str, str]) -> list[tuple[str, Any]]:
    """The fixture's migrations, and zero for the apps that had none then."""
    targets: list[tuple[str, Any]] = sorted(recorded.items())
    new_apps = {app for app, _ in executor.loader.graph.leaf_nodes()} - set(recorded)
    return targets + [(app, None) for app in sorted(new_apps)]


@contextmanager
def raw_writes(conn: BaseDatabaseWrapper) -> Iterator[None]:
    """Writes that neither fire triggers (the totals' triggers would add rows of their own) nor
    check foreign keys until the end (rows go in table by table, and some point both ways)."""
    with conn.constraint_checks_disabled(), transaction.atomic(using=conn.alias):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                # Triggers, foreign keys' included, are off until the transaction ends.
                cursor.execute("SET LOCAL session_replication_role = replica")
        yield
    if conn.vendor == "sqlite":
        conn.check_constraints()


def delete_all_rows(conn: BaseDatabaseWrapper) -> None:
    """Every table emptied but the migrations' own; call within `raw_writes`. Twice over:
    SQLite's triggers cannot be switched off, and deleting a counted row counts again in the
    totals' tables; the second pass deletes no counted row, so the totals stay empty."""
    with conn.cursor() as cursor:
        tables = [t for t in conn.introspection.table_names(cursor) if t != "django_migrations"]
        for _pass in range(2):
            for table in tables:
                cursor.execute(f"DELETE FROM {conn.ops.quote_name(table)}")  # noqa: S608


def load_tables(conn: BaseDatabaseWrapper, state: Apps, fixture: dict[str, Any]) -> None:
    """The fixture's rows, in the database at the fixture's migrations (`state`)."""
    models = []
    with raw_writes(conn):
        delete_all_rows(conn)
        for name, dumped in fixture["tables"].items():
            model = model_for(state, dumped["model"], dumped["m2m"])
            assert model._meta.db_table == name, f"{name} was {model._meta.label}'s table"
            insert_rows(conn, name, model, dumped["columns"], dumped["rows"])
            models.append(model)
        with conn.cursor() as cursor:
            for statement in conn.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def expected_values(key: str, columns: list[str], row: list[Any]) -> dict[str, Any]:
    """A dumped row as it should read now. Content types follow their models' moves."""
    values = dict(zip(columns, row, strict=True))
    if key == "contenttypes.ContentType":
        moved = {old.lower(): new for old, new in MOVED.items()}
        label = moved.get(f"{values['app_label']}.{values['model']}")
        if label:
            values["app_label"], values["model"] = label.lower().split(".")
    return values


def check_table(
    conn: BaseDatabaseWrapper, state: Apps, name: str, dumped: dict[str, Any]
) -> list[str]:
    """What differs between a dumped table and where its model's rows are now."""
    key = f"{dumped['model']}.{dumped['m2m']}" if dumped["m2m"] else dumped["model"]
    label = MOVED.get(dumped["model"], dumped["model"])
    where = f"{name} ({key})"
    try:
        model = model_for(state, label, dumped["m2m"])
    except LookupError:
        return [f"{where}: no model {label} now; declare where it went in MOVED"]
    if key in REBUILT:
        return []
    table = model._meta.db_table
    now = set(fields_by_column(model))
    problems = []
    renamed: dict[str, str] = {}
    for column in dumped["columns"]:
        new = RENAMED_COLUMNS.get((key, column), column)
        if (key, column) in DROPPED_COLUMNS:
            if new in now:
                problems.append(f"{where}: {column} is declared dropped but is still there")
        elif new in now:
            renamed[column] = new
        else:
            problems.append(
                f"{where}: column {column} is gone from {table}; declare it in "
                "RENAMED_COLUMNS or DROPPED_COLUMNS"
            )
    count = count_rows(conn, table)
    if count < len(dumped["rows"]) or (count > len(dumped["rows"]) and key not in GROWN):
        problems.append(f"{where}: {len(dumped['rows'])} rows dumped, {count} in {table}")
    pk_index = dumped["columns"].index(dumped["pk"])
    expected = {}
    # Content types are few, and a move changes only its models' rows: all are compared.
    size = len(dumped["rows"]) if key == "contenttypes.ContentType" else SAMPLE_SIZE
    for row in sample(dumped["rows"], pk_index, size):
        values = expected_values(key, dumped["columns"], row)
        expected[row[pk_index]] = {renamed[c]: v for c, v in values.items() if c in renamed}
    columns, rows = read_rows(conn, table, model, pks=expected)
    pk = pk_column(model)
    found = {row[columns.index(pk)]: dict(zip(columns, row, strict=True)) for row in rows}
    for pk_value, values in expected.items():
        problems += [
            f"{where} #{pk_value}: {difference}"
            for difference in compare_row(values, found.get(pk_value))
        ]
    return problems


def check_entries_point_at_their_holds(fixture: dict[str, Any]) -> list[str]:
    """What the dropped `Hold.waitlist_entry_id` said is kept on the demand side: each dumped
    entry points at the hold it pointed at, or else at the newest hold placed for it."""
    holds, entries = fixture["tables"]["inventory_hold"], fixture["tables"][ENTRIES]
    hold_cols, entry_cols = holds["columns"], entries["columns"]
    newest: dict[int, int] = {}
    for row in holds["rows"]:
        entry_id, hold_id = row[hold_cols.index("waitlist_entry_id")], row[hold_cols.index("id")]
        if entry_id is not None:
            newest[entry_id] = max(hold_id, newest.get(entry_id, hold_id))
    expected = {
        row[entry_cols.index("id")]: row[entry_cols.index("hold_id")]
        or newest.get(row[entry_cols.index("id")])
        for row in entries["rows"]
    }
    found = dict(WaitlistEntry.objects.values_list("pk", "hold_id"))
    return [
        f"waitlist entry #{pk}: points at hold {found.get(pk)}, expected {hold_id}"
        for pk, hold_id in expected.items()
        if found.get(pk) != hold_id
    ]


@pytest.mark.django_db(transaction=True)
def test_migrations_keep_every_row_of_main():
    fixture = load_fixture()
    executor = MigrationExecutor(connection)
    try:
        targets = back_then(executor, fixture["migrations"])
        executor.migrate(targets)
        state = executor.loader.project_state(sorted(fixture["migrations"].items())).apps
        load_tables(connection, state, fixture)

        executor.loader.build_graph()
        leaves = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(leaves)
        # What `manage.py migrate` adds: a renamed model's content type follows it.
        inject_rename_contenttypes_operations(plan=plan, apps=global_apps, using=connection.alias)
        executor.migrate(leaves, plan=plan)

        state = executor.loader.project_state(leaves).apps
        problems = []
        for name, dumped in fixture["tables"].items():
            problems += check_table(connection, state, name, dumped)
        problems += check_entries_point_at_their_holds(fixture)
        assert not problems, "\n".join(problems)
    finally:
        # Empty, then at today's migrations, whatever happened: the next tests start clean.
        with raw_writes(connection):
            delete_all_rows(connection)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


def test_compare_row_finds_a_changed_value():
    dumped = {"id": 7, "status": "held", "sent_at": "2025-01-01T10:00:00+00:00"}
    assert compare_row(dumped, dict(dumped)) == []
    doctored = {**dumped, "status": "lapsed"}
    assert compare_row(dumped, doctored) == ["status: expected 'held', found 'lapsed'"]
    assert compare_row(dumped, None) == ["row is missing"]
    assert compare_row(dumped, {"id": 7, "sent_at": dumped["sent_at"]}) == [
        "status: expected 'held', found '<no column>'"
    ]
