"""What the benchmarks share to load a data set into PostgreSQL quickly and only once.

A loader empties its tables (`start_loading`), drops their plain indexes
(`drop_secondary_indexes`), streams rows in with `copy_rows` (COPY, with the per-row
foreign-key triggers off), then puts the indexes and sequences back (`finish_loading`),
runs `vacuum_analyze` and records the data set's name (`mark_loaded`), so a later run finds
it with `dataset_ready` and skips the load.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection

DATASETS_TABLE = "bench_dataset"


def ean13(n: int) -> str:
    """A valid EAN-13 barcode, distinct for every n below a billion."""
    body = f"729{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def copy_rows(
    table: str, columns: list[str], rows: Iterable[tuple[Any, ...]], chunk: int = 50_000
) -> int:
    """COPY rows (tuples of already-safe text values) into `table` with psycopg 3."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for row in rows:
                buffer.append("\t".join("\\N" if v is None else str(v) for v in row))
                if len(buffer) >= chunk:
                    copy.write("\n".join(buffer) + "\n")
                    count += len(buffer)
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
                count += len(buffer)
    return count


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
    """Build the dropped indexes again, turn the triggers back on and move each table's id
    sequence past the rows loaded with explicit ids."""
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
