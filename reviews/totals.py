"""The dashboard's daily totals: how each row of the raw tables counts, kept by PostgreSQL
triggers and rebuilt from the raw rows by the same SQL.

Each source below says, for a set of rows of one raw table, what it adds to which (day, store)
total. A trigger runs it once per statement over the statement's transition tables — the new
rows count +1, the old ones -1 — and adds the difference to the totals in the same
transaction, so a rolled-back change leaves the totals as they were and every write path
(services, bulk updates, the admin, raw SQL) is counted. `daily_totals_rebuild` runs the same
sources over the raw tables themselves. Days are local days in `settings.TIME_ZONE`.

Durations (for the medians) are counted in histogram buckets eight to a doubling (each about
9 % wide), which merge across days and stores, per store and for all stores together; see
`bucket_bounds`.
"""

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

BUCKETS_PER_DOUBLING = 8

TOTAL_COLUMNS = [
    "signups",
    "signups_collected",
    "texts_sent",
    "holds_created",
    "holds_active",
    "holds_collected",
    "holds_released",
    "holds_expired",
    "collected",
    "transfers_requested",
    "transfers_received",
    "ratings",
    "rating_points",
    "ratings_1",
    "ratings_2",
    "ratings_3",
    "ratings_4",
    "ratings_5",
]


@dataclass(frozen=True)
class Target:
    table: str
    keys: list[str]
    values: list[str]


DAILY_TOTAL = Target("reviews_dailytotal", ["day", "store_id"], TOTAL_COLUMNS)
DAILY_COLLECTION = Target(
    "reviews_dailycollection", ["day", "store_id", "purpose"], ["pairs", "value"]
)
DAILY_DURATION = Target(
    "reviews_dailyduration", ["day", "store_id", "measure", "bucket"], ["count"]
)
TARGETS = [DAILY_TOTAL, DAILY_COLLECTION, DAILY_DURATION]

ENTRIES, HOLDS, TEXTS = "notifications_waitlistentry", "inventory_hold", "notifications_smsmessage"
TRANSFERS, RATINGS = "inventory_transfer", "reviews_rating"


@dataclass(frozen=True)
class Source:
    """What the rows `r` of `table` add to `target`: `keys` and `values` are SQL over `r` (and
    `joined`); `at` is the timestamp whose local day is the row's day; `where` picks the rows
    that count. `joined` may name the other raw tables as {entries}/{holds}: a trigger on one of
    them reads its transition table there instead."""

    table: str
    target: Target
    at: str
    keys: dict[str, str]
    values: dict[str, str]
    where: str = "TRUE"
    joined: str = ""


def _local_day(column: str) -> str:
    return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"


def _bucket(end: str, start: str) -> str:
    seconds = f"EXTRACT(EPOCH FROM ({end}) - ({start}))::float8"
    return (
        f"(CASE WHEN {seconds} < 1 THEN 0 "
        f"ELSE 1 + floor({BUCKETS_PER_DOUBLING} * ln({seconds}) / ln(2))::int END)"
    )


def _flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


SOURCES = [
    Source(
        ENTRIES,
        DAILY_TOTAL,
        at="r.created_at",
        where="r.activated_at IS NOT NULL",
        keys={"store_id": "r.store_id"},
        values={"signups": "1", "signups_collected": _flag("r.status = 'collected'")},
    ),
    Source(
        HOLDS,
        DAILY_TOTAL,
        at="r.created_at",
        keys={"store_id": "r.store_id"},
        values={
            "holds_created": "1",
            **{
                f"holds_{status}": _flag(f"r.status = '{status}'")
                for status in ("active", "collected", "released", "expired")
            },
        },
    ),
    Source(
        HOLDS,
        DAILY_TOTAL,
        at="r.ended_at",
        keys={"store_id": "r.store_id"},
        where="r.status = 'collected' AND r.ended_at IS NOT NULL",
        values={"collected": "1"},
    ),
    # A text counts at the store of its hold; a text about no hold: no store.
    Source(
        TEXTS,
        DAILY_TOTAL,
        at="r.sent_at",
        where="r.sent_at IS NOT NULL",
        joined=f"LEFT JOIN {HOLDS} h ON h.id = r.hold_id",
        keys={"store_id": "h.store_id"},
        values={"texts_sent": "1"},
    ),
    Source(
        TRANSFERS,
        DAILY_TOTAL,
        at="r.requested_at",
        keys={"store_id": "r.to_store_id"},
        values={"transfers_requested": "1", "transfers_received": _flag("r.status = 'received'")},
    ),
    Source(
        RATINGS,
        DAILY_TOTAL,
        at="r.created_at",
        keys={"store_id": "r.store_id"},
        values={
            "ratings": "1",
            "rating_points": "r.score",
            **{f"ratings_{n}": _flag(f"r.score = {n}") for n in range(1, 6)},
        },
    ),
    Source(
        HOLDS,
        DAILY_COLLECTION,
        at="r.ended_at",
        where="r.status = 'collected' AND r.ended_at IS NOT NULL",
        keys={"store_id": "r.store_id", "purpose": "r.purpose"},
        values={"pairs": "1", "value": "COALESCE(r.collected_price, 0)"},
    ),
    Source(
        HOLDS,
        DAILY_DURATION,
        at="r.created_at",
        where=("r.status = 'collected' AND r.notified_at IS NOT NULL AND r.ended_at IS NOT NULL"),
        keys={
            "store_id": "r.store_id",
            "measure": "'text_to_collection'",
            "bucket": _bucket("r.ended_at", "r.notified_at"),
        },
        values={"count": "1"},
    ),
    # Entries are the rows `r`; a change to a hold's text time moves its entry's duration, so
    # this one runs in the holds' trigger too (with {holds} its transition table).
    Source(
        ENTRIES,
        DAILY_DURATION,
        at="r.created_at",
        joined="JOIN {holds} h ON h.id = r.hold_id",
        where="r.activated_at IS NOT NULL AND h.notified_at IS NOT NULL",
        keys={
            "store_id": "r.store_id",
            "measure": "'signup_to_text'",
            "bucket": _bucket("h.notified_at", "r.created_at"),
        },
        values={"count": "1"},
    ),
    Source(
        TRANSFERS,
        DAILY_DURATION,
        at="r.requested_at",
        where="r.received_at IS NOT NULL",
        keys={
            "store_id": "r.to_store_id",
            "measure": "'transfer_lead'",
            "bucket": _bucket("r.received_at", "r.requested_at"),
        },
        values={"count": "1"},
    ),
]


# The durations again for all stores together: a year of 100 stores' medians then reads a few
# thousand rows, not a million.
SOURCES += [
    replace(source, keys={**source.keys, "store_id": "NULL::bigint"})
    for source in SOURCES
    if source.target is DAILY_DURATION
]


def _select(
    source: Source,
    *,
    rows: str,
    sign: int,
    tables: dict[str, str],
    since: bool = False,
    until: bool = False,
) -> str:
    """The contributions of `rows` (a table or a transition table) to the source's target."""
    keys = {"day": _local_day(source.at), **source.keys}
    columns = [f"{keys[key]} AS {key}" for key in source.target.keys]
    columns += [
        f"({source.values.get(value, '0')}) * {sign} AS {value}" for value in source.target.values
    ]
    where = source.where
    if since:
        where += f" AND {source.at} >= %(since)s"
    if until:
        where += f" AND {source.at} < %(until)s"
    joined = source.joined.format(**tables)
    # Table and column names from this module; values are parameters.
    return f"SELECT {', '.join(columns)} FROM {rows} r {joined} WHERE {where}"  # noqa: S608


def _upsert(target: Target, selects: list[str]) -> str:
    """Adds the summed contributions to the target, in key order (so two statements lock the
    same totals in the same order), skipping totals that do not move."""
    keys, values = ", ".join(target.keys), target.values
    sums = ", ".join(f"SUM({value})" for value in values)
    moved = " OR ".join(f"SUM({value}) <> 0" for value in values)
    updates = ", ".join(f"{value} = {target.table}.{value} + EXCLUDED.{value}" for value in values)
    union = " UNION ALL ".join(selects)
    return (
        f"INSERT INTO {target.table} ({keys}, {', '.join(values)}) "  # noqa: S608
        f"SELECT {keys}, {sums} FROM ({union}) c GROUP BY {keys} HAVING {moved} "
        f"ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {updates};"
    )


def _trigger_function(table: str) -> str:
    """The body of `table`'s statement trigger: new rows count, old rows are taken back."""
    branches = []
    for operation, sides in (
        ("INSERT", [("new_rows", 1)]),
        ("DELETE", [("old_rows", -1)]),
        ("UPDATE", [("new_rows", 1), ("old_rows", -1)]),
    ):
        statements = []
        for target in TARGETS:
            selects = []
            for source in SOURCES:
                if source.target is not target:
                    continue
                for rows, sign in sides:
                    tables = {"entries": ENTRIES, "holds": HOLDS}
                    if source.table == table:
                        selects.append(_select(source, rows=rows, sign=sign, tables=tables))
                    elif "{holds}" in source.joined and table == HOLDS:
                        tables["holds"] = rows
                        selects.append(_select(source, rows=source.table, sign=sign, tables=tables))
            if selects:
                statements.append(_upsert(target, selects))
        branches.append(
            f"IF TG_OP = '{operation}' THEN\n  " + "\n  ".join(statements) + "\nEND IF;"
        )
    return "\n".join(branches)


def _function_name(table: str) -> str:
    return f"reviews_totals_{table}"


WATCHED = [ENTRIES, HOLDS, TEXTS, TRANSFERS, RATINGS]


def install_sql() -> list[str]:
    """CREATE the trigger functions and triggers (PostgreSQL), replacing any older ones."""
    statements = []
    for table in WATCHED:
        function = _function_name(table)
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{_trigger_function(table)}\nRETURN NULL;\nEND $$;"
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


def uninstall_sql() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {_function_name(table)}() CASCADE;" for table in WATCHED]


def kept_live() -> bool:
    """Whether this database keeps the totals (the triggers are PostgreSQL's)."""
    return connection.vendor == "postgresql"


def daily_totals_rebuild(*, start: date | None = None, end: date | None = None) -> None:
    """Recount the totals of the days from `start` to `end` (inclusive; either open means no
    bound) from the raw rows, replacing what was there: running it twice changes nothing.

    The totals tables are locked against the triggers for the rebuild (writes that would move
    a total wait for it; the dashboard still reads), so no change is lost or counted twice.
    """
    if not kept_live():
        raise RuntimeError("The daily totals are kept on PostgreSQL only.")
    params: dict[str, date | datetime] = {"first": start or date.min, "last": end or date.max}
    if start:
        params["since"] = timezone.make_aware(datetime.combine(start, time.min))
    if end:
        params["until"] = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    tables = {"entries": ENTRIES, "holds": HOLDS}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE "
            + ", ".join(target.table for target in TARGETS)
            + " IN SHARE ROW EXCLUSIVE MODE"
        )
        for target in TARGETS:
            cursor.execute(
                f"DELETE FROM {target.table} WHERE day >= %(first)s "  # noqa: S608
                f"AND day <= %(last)s",
                params,
            )
            selects = [
                _select(
                    source,
                    rows=source.table,
                    sign=1,
                    tables=tables,
                    since=start is not None,
                    until=end is not None,
                )
                for source in SOURCES
                if source.target is target
            ]
            cursor.execute(_upsert(target, selects), params)


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """The durations (seconds) bucket `bucket` holds: [low, high). Bucket 0 is under a second."""
    if bucket <= 0:
        return 0.0, 1.0
    return (2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING), 2 ** (bucket / BUCKETS_PER_DOUBLING))


def histogram_median(counts: dict[int, int]) -> float | None:
    """The median of the durations counted in `counts` (bucket → count), as percentile_cont
    takes it (the middle value, or the mean of the two middle ones), each estimated inside its
    bucket (geometrically; within the bucket's width, about 9 %, of the exact value)."""
    total = sum(counts.values())
    if total <= 0:
        return None
    middle = {(total - 1) // 2, total // 2}
    values = []
    seen = 0
    for bucket in sorted(counts):
        count = counts[bucket]
        low, high = bucket_bounds(bucket)
        for rank in sorted(middle):
            if count > 0 and seen <= rank < seen + count:
                share = (rank - seen + 0.5) / count
                values.append(
                    low + (high - low) * share if bucket == 0 else low * math.pow(high / low, share)
                )
        seen += count
    return sum(values) / len(values)
