"""The triggers that keep the daily totals (insights.totals) as the raw tables change: one
definition of what counts, installed as PostgreSQL statement triggers or SQLite row triggers.

Migration insights 0002 installs them. SQLite alters a table by building a new one and renaming
it, which it refuses while another table's trigger names the table; the project's SQLite
backend (config.sqlite) takes the triggers off for each schema change and puts them back after
it, recounting the totals.
"""

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .totals import (
    ALL_STORES,
    ENTRIES,
    HOLDS,
    POSTGRESQL,
    RATINGS,
    SOURCES,
    SQLITE,
    TARGETS,
    TEXTS,
    TRANSFERS,
    VERSIONS,
    daily_totals_rebuild,
    select_sql,
    touched_sql,
    upsert_sql,
    versions_sql,
)

WATCHED = [ENTRIES, HOLDS, TEXTS, TRANSFERS, RATINGS]
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
# The rows a write changed, with their sign: PostgreSQL's transition tables, SQLite's row.
SIDES = {
    "INSERT": [("NEW", 1)],
    "DELETE": [("OLD", -1)],
    "UPDATE": [("NEW", 1), ("OLD", -1)],
}


def _upserts(
    table: str, operation: str, *, vendor: str, rows: dict[str, str], versions: bool
) -> list[str]:
    """What a write of `operation` on `table` adds to each total, and (with `versions`) the
    tokens it renews; `rows` names the changed rows of each side (NEW, OLD) as SQL."""
    statements = []
    for target in TARGETS:
        selects = []
        for source in SOURCES:
            if source.target is not target:
                continue
            for side, sign in SIDES[operation]:
                tables = {"entries": ENTRIES, "holds": HOLDS}
                if source.table == table:
                    selects.append(
                        select_sql(source, vendor=vendor, rows=rows[side], sign=sign, tables=tables)
                    )
                elif "{holds}" in source.joined and table == HOLDS:
                    tables["holds"] = rows[side]
                    selects.append(
                        select_sql(
                            source, vendor=vendor, rows=source.table, sign=sign, tables=tables
                        )
                    )
        if selects:
            statements.append(upsert_sql(target, selects, vendor=vendor))
    if versions:
        touched = _touched(table, operation, vendor, rows)
        statements += versions_sql(touched, vendor=vendor)
    return statements


def _touched(table: str, operation: str, vendor: str, rows: dict[str, str]) -> list[str]:
    """Where the changed rows count, on each side, whether or not a total moves: a duration
    that stays in its bucket moves no total but may move an exact median. One select for the
    sources that read the same rows at the same moment and store (the widest `where`); none for
    the all-stores copies, whose rows count at the same days."""
    wheres: dict[tuple[str, str, str, str], list[str]] = {}
    for source in SOURCES:
        if source.keys["store_id"] == ALL_STORES:
            continue
        for side, _sign in SIDES[operation]:
            tables = {"entries": ENTRIES, "holds": HOLDS}
            if source.table == table:
                read = rows[side]
            elif "{holds}" in source.joined and table == HOLDS:
                read, tables["holds"] = source.table, rows[side]
            else:
                continue
            joined = source.joined.format(**tables)
            key = (read, source.at, source.keys["store_id"], joined)
            wheres.setdefault(key, []).append(source.where)
    return [
        touched_sql(
            vendor=vendor,
            rows=read,
            at=at,
            store=store,
            joined=joined,
            where="TRUE"
            if "TRUE" in found
            else " OR ".join(f"({w})" for w in dict.fromkeys(found)),
        )
        for (read, at, store, joined), found in wheres.items()
    ]


def _name(table: str) -> str:
    return f"insights_totals_{table}"


# --- PostgreSQL: a statement trigger per table and operation, one function per table -----------


def _postgresql_install(versions: bool) -> list[str]:
    statements = []
    rows = {"NEW": "new_rows", "OLD": "old_rows"}
    for table in WATCHED:
        function = _name(table)
        branches = [
            f"IF TG_OP = '{operation}' THEN\n  "
            + "\n  ".join(
                _upserts(table, operation, vendor=POSTGRESQL, rows=rows, versions=versions)
            )
            + "\nEND IF;"
            for operation in OPERATIONS
        ]
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n" + "\n".join(branches) + "\nRETURN NULL;\nEND $$;"
        )
        for operation, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            trigger = f"{function}_{operation.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table};")
            statements.append(
                f"CREATE TRIGGER {trigger} AFTER {operation} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
            )
    return statements


def _postgresql_uninstall() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {_name(table)}() CASCADE;" for table in WATCHED]


# --- SQLite: a row trigger per table and operation, reading the row as a one-row table ----------


def _sqlite_indexes() -> dict[str, str]:
    """The unique indexes the upserts need where a store may be empty: Django creates no
    `nulls_distinct=False` constraint on SQLite, so the index reads an empty store as -1."""
    return {
        f"{target.table}_one_per_key": (
            f"CREATE UNIQUE INDEX IF NOT EXISTS {target.table}_one_per_key "
            f"ON {target.table} ({target.conflict(SQLITE)});"
        )
        for target in TARGETS
        if target.nullable_store
    }


def _sqlite_row(side: str, columns: list[str]) -> str:
    return "(SELECT " + ", ".join(f"{side}.{column} AS {column}" for column in columns) + ")"


def _sqlite_triggers(columns: dict[str, list[str]], versions: bool) -> dict[str, str]:
    triggers = {}
    for table in WATCHED:
        rows = {side: _sqlite_row(side, columns[table]) for side in ("NEW", "OLD")}
        for operation in OPERATIONS:
            name = f"{_name(table)}_{operation.lower()}"
            body = "\n  ".join(
                _upserts(table, operation, vendor=SQLITE, rows=rows, versions=versions)
            )
            triggers[name] = (
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} FOR EACH ROW BEGIN\n"
                f"  {body}\nEND;"
            )
    return triggers


def _sqlite_install(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        columns = {
            table: [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            for table in WATCHED
        }
    triggers = _sqlite_triggers(columns, versions_kept(connection))
    return [
        *_sqlite_indexes().values(),
        *(f"DROP TRIGGER IF EXISTS {name};" for name in triggers),
        *triggers.values(),
    ]


def _sqlite_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {_name(table)}_{operation.lower()};"
        for table in WATCHED
        for operation in OPERATIONS
    ]


def _sqlite_present(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [_name("%")],
        )
        return {name for (name,) in cursor.fetchall()}


# --- Install, uninstall, ensure ----------------------------------------------------------------


def install_sql(connection: BaseDatabaseWrapper = default_connection) -> list[str]:
    """The statements that install the triggers on `connection`'s database, replacing older
    ones (none for a database the totals are not kept on)."""
    if connection.vendor == POSTGRESQL:
        return _postgresql_install(versions_kept(connection))
    if connection.vendor == SQLITE:
        return _sqlite_install(connection)
    return []


def uninstall_sql(connection: BaseDatabaseWrapper = default_connection) -> list[str]:
    if connection.vendor == POSTGRESQL:
        return _postgresql_uninstall()
    if connection.vendor == SQLITE:
        return _sqlite_uninstall()
    return []


def triggers_install(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Keep the totals from now on, and count what is already there."""
    with connection.cursor() as cursor:
        for statement in install_sql(connection):
            cursor.execute(statement)
    if connection.vendor in (POSTGRESQL, SQLITE):
        daily_totals_rebuild()


def triggers_uninstall(connection: BaseDatabaseWrapper = default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in uninstall_sql(connection):
            cursor.execute(statement)


def triggers_installable(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Whether every table the triggers read and write exists (not, say, half-way back
    through the migrations)."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return tables >= {*WATCHED, *(target.table for target in TARGETS)}


def versions_kept(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Whether the closed months' tokens have their table yet (insights 0003): migrations
    before it install the triggers without them."""
    with connection.cursor() as cursor:
        return VERSIONS in connection.introspection.table_names(cursor)


def triggers_installed(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Whether any of the triggers is installed on this SQLite database."""
    return connection.vendor == SQLITE and bool(_sqlite_present(connection))
