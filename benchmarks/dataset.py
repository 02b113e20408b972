"""What the benchmarks share to load a data set into PostgreSQL quickly and only once.

A loader empties its tables (`start_loading`), drops their plain indexes
(`drop_secondary_indexes`), streams rows in with `copy_rows` (COPY, with the per-row
foreign-key triggers off), then puts the indexes and sequences back (`finish_loading`),
runs `vacuum_analyze` and records the data set's name (`mark_loaded`), so a later run finds
it with `dataset_ready` and skips the load.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection, models

DATASETS_TABLE = "bench_dataset"


def ean13(n: int) -> str:
    """A valid EAN-13 barcode, distinct for every n below a billion."""
    body = f"729{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def copy_rows(
    table: str, columns: list[str], rows: Iterable[tuple[Any, ...]], chunk: int = 50_000
) -> int:
    """COPY rows (tuples of already-safe text values for `columns`) into `table` with psycopg 3.

    Every other column of the table's model gets the model's default, so a loader names only
    what it varies and keeps working when a migration adds a column; a column the model gives
    no default (nor allows empty) raises `ValueError` naming it, before anything is written.
    """
    defaults = model_defaults(table, columns)
    names = [*columns, *defaults]
    fill = tuple(defaults.values())
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for row in rows:
                buffer.append("\t".join(_copy_text(v) for v in (*row, *fill)))
                if len(buffer) >= chunk:
                    copy.write("\n".join(buffer) + "\n")
                    count += len(buffer)
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
                count += len(buffer)
    return count


def opening_ledger() -> int:
    """The ledger's opening balance: one count per level with pairs, so that for every level
    the sum of its movements equals on-hand from the start. One INSERT ... SELECT; every
    column it does not set gets the model's default. Returns the rows written."""
    columns = ["store_id", "variant_id", "delta", "on_hand_after", "reason", "reference"]
    columns.append("created_at")
    defaults = model_defaults("inventory_stockmovement", columns)
    names = ", ".join([*columns, *defaults])
    placeholders = "".join(", %s" for _ in defaults)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO inventory_stockmovement ({names}) "
            "SELECT store_id, variant_id, on_hand, on_hand, %s, 'opening balance', "
            f"updated_at{placeholders} FROM inventory_stocklevel WHERE on_hand > 0 ORDER BY id",
            [apps.get_model("inventory", "StockMovement").Reason.COUNT.value, *defaults.values()],
        )
        return cursor.rowcount


def model_defaults(table: str, columns: list[str]) -> dict[str, Any]:
    """Column → the model's default value, for every column of `table` not in `columns`."""
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        column = field.column or field.name
        if column in columns or isinstance(field, models.AutoField):
            continue
        if field.has_default() or field.null:
            defaults[column] = field.get_default()
        elif isinstance(field, models.DateTimeField | models.DateField) and (
            field.auto_now or field.auto_now_add
        ):
            raise ValueError(f"{table}.{column} is set on save: give it in the rows")
        elif field.empty_strings_allowed and not field.primary_key:
            defaults[column] = ""
        else:
            raise ValueError(f"{table}.{column} has no default: give it in the rows")
    return defaults


def _copy_text(value: Any) -> str:
    """`value` as COPY's text format reads it (None is NULL; dicts and lists are JSON)."""
    if value is None:
        return "\\N"
    if isinstance(value, dict | list):
        return json.dumps(value).replace("\\", "\\\\")
    return str(value)


def _create_datasets_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DATASETS_TABLE} "
            "(name text PRIMARY KEY, built_at timestamptz NOT NULL)"
        )


def dataset_ready(name: str) -> bool:
    """Whether this database already holds the data set called `name`."""
    _create_datasets_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {DATASETS_TABLE} WHERE name = %s", [name])
        return cursor.fetchone() is not None


def start_loading(*, truncate: list[str]) -> None:
    """Forget any data set, empty `truncate` (and what points at them) and turn off the per-row
    foreign-key triggers: the rows a loader writes are consistent by construction."""
    _create_datasets_table()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DATASETS_TABLE}")
        cursor.execute(f"TRUNCATE {', '.join(truncate)} RESTART IDENTITY CASCADE")
        cursor.execute("SET session_replication_role = replica")


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, definition) of the plain indexes of `table` — not those behind a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
            [table],
        )
        return list(cursor.fetchall())


def drop_secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """Drop the plain indexes of `tables` (loading is faster without them); returns them for
    `finish_loading` to build again, once."""
    dropped = [index for table in tables for index in secondary_indexes(table)]
    with connection.cursor() as cursor:
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    return dropped


def finish_loading(*, dropped: list[tuple[str, str]], tables: list[str]) -> None:
    """Build the dropped indexes again, turn the triggers back on, move each table's id
    sequence past the rows loaded with explicit ids, and forget what the cache kept of the
    data before: rows written past the ORM renew no version (`core.versions`), and ids start
    again from 1 (the search's vocabulary of another data set's products was served)."""
    cache.clear()
    with connection.cursor() as cursor:
        for _name, definition in dropped:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the database (outside a transaction, as VACUUM requires)."""
    previous = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.set_autocommit(previous)


def mark_loaded(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {DATASETS_TABLE} VALUES (%s, now())", [name])


def database_url(db: dict[str, Any]) -> str:
    """The `DATABASE_URL` of a connection's settings, for a server or worker started beside."""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
