"""The dashboard's daily totals: how each row of the raw tables counts, kept by database
triggers and rebuilt from the raw rows by the same SQL, on PostgreSQL and on SQLite alike.

Each source below says, for a set of rows of one raw table, what it adds to which (day, store)
total. A trigger runs it over the rows a write changed — the new rows count +1, the old ones
-1 — and adds the difference to the totals in the same transaction, so a rolled-back change
leaves the totals as they were and every write path (services, bulk updates, the admin, raw
SQL) is counted. PostgreSQL runs it once per statement over the statement's transition tables;
SQLite, which has only row triggers, once per row over that row (`NEW`/`OLD`). On SQLite the
local day and durations come from the functions Django registers on its connections, so the
tables are written through Django (a bare `sqlite3` shell cannot write the counted tables).
`daily_totals_rebuild` runs the same sources over the raw tables themselves. Days are local
days in `settings.TIME_ZONE`.

Durations (for the medians) are counted in histogram buckets eight to a doubling (each about
9 % wide), which merge across days and stores, per store and for all stores together; see
`bucket_bounds`.

Every write that changes what a closed day counts — a day before today by the writer's clock: a
hold collected today that was placed yesterday, a sign-up from last month collected — also
renews the token of that day's month, for the store and for all stores
(`insights.TotalsVersion`), in the same transaction as the totals; so does a rebuild, and a
month's first write gives it its first token. The dashboard keeps closed months' figures under
those tokens (insights.kept).
"""

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

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


POSTGRESQL, SQLITE = "postgresql", "sqlite"
VENDORS = (POSTGRESQL, SQLITE)


@dataclass(frozen=True)
class Target:
    table: str
    keys: list[str]
    values: list[str]
    nullable_store: bool = False

    def conflict(self, vendor: str) -> str:
        """The upsert's conflict target. SQLite has no unique constraint that treats empty
        stores as equal: its unique index (insights.triggers) reads an empty store as -1."""
        if vendor == SQLITE and self.nullable_store:
            keys = ("IFNULL(store_id, -1)" if key == "store_id" else key for key in self.keys)
            return ", ".join(keys)
        return ", ".join(self.keys)


DAILY_TOTAL = Target("insights_dailytotal", ["day", "store_id"], TOTAL_COLUMNS, True)
DAILY_COLLECTION = Target(
    "insights_dailycollection", ["day", "store_id", "purpose"], ["pairs", "value"]
)
DAILY_DURATION = Target(
    "insights_dailyduration", ["day", "store_id", "measure", "bucket"], ["count"], True
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


# What differs between the vendors, written in the sources as {placeholders}: the local day of
# a timestamp, and the seconds between two. SQLite stores timestamps as UTC text; Django
# registers the functions that read them on every SQLite connection.
# Also the moment a statement runs (not its transaction's start: a transaction open across
# midnight still sees the new day), a day's month, and a fresh random token.
DIALECTS = {
    POSTGRESQL: {
        "day": "(({0}) AT TIME ZONE '{tz}')::date",
        "seconds": "EXTRACT(EPOCH FROM ({0}) - ({1}))::float8",
        "now": "clock_timestamp()",
        "month": "CAST(date_trunc('month', {0}) AS date)",
        "token": "md5(random()::text)",
    },
    SQLITE: {
        "day": "django_datetime_cast_date({0}, '{tz}', 'UTC')",
        "seconds": "(django_timestamp_diff({0}, {1}) / 1000000.0)",
        "now": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
        "month": "date({0}, 'start of month')",
        "token": "lower(hex(randomblob(16)))",
    },
}


def _local_day(column: str, vendor: str) -> str:
    return DIALECTS[vendor]["day"].format(column, tz=settings.TIME_ZONE)


def _bucket(end: str, start: str) -> str:
    """A duration's histogram bucket, its seconds left as {seconds:…} for the vendor."""
    seconds = f"{{seconds:{end}|{start}}}"
    return (
        f"(CASE WHEN {seconds} < 1 THEN 0 "
        f"ELSE 1 + CAST(floor({BUCKETS_PER_DOUBLING} * ln({seconds}) / ln(2)) AS integer) END)"
    )


def _dialect(sql: str, vendor: str) -> str:
    """`sql` with each {seconds:end|start} written for `vendor`."""
    return re.sub(
        r"\{seconds:([^|}]+)\|([^}]+)\}",
        lambda match: DIALECTS[vendor]["seconds"].format(match[1], match[2]),
        sql,
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
ALL_STORES = "CAST(NULL AS bigint)"
SOURCES += [
    replace(source, keys={**source.keys, "store_id": ALL_STORES})
    for source in SOURCES
    if source.target is DAILY_DURATION
]


def select_sql(
    source: Source,
    *,
    vendor: str,
    rows: str,
    sign: int,
    tables: dict[str, str],
    since: bool = False,
    until: bool = False,
) -> str:
    """The contributions of `rows` (a table, a transition table, or a trigger's one row) to the
    source's target."""
    keys = {"day": _local_day(source.at, vendor), **source.keys}
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
    select = f"SELECT {', '.join(columns)} FROM {rows} r {joined} WHERE {where}"  # noqa: S608
    return _dialect(select, vendor)


VERSIONS = "insights_totalsversion"


def touched_sql(*, vendor: str, rows: str, at: str, store: str, joined: str, where: str) -> str:
    """The (store, day) each of `rows` that `where` picks counts at."""
    day = _local_day(at, vendor)
    # Table and column names from this module.
    return f"SELECT {store} AS store_id, {day} AS day FROM {rows} r {joined} WHERE {where}"  # noqa: S608


def versions_sql(touched: list[str], *, vendor: str) -> list[str]:
    """New tokens for the months of the closed days among `touched` (`touched_sql`s), for each
    store and for all stores (scope 0), in key order. A write to today renews none and makes
    none: a closed month without a token gets its first from the dashboard's first read of it
    (`insights.selectors`), so the day's ordinary writes pay no more than this one statement."""
    dialect = DIALECTS[vendor]
    today = _local_day(dialect["now"], vendor)
    month = dialect["month"].format("t.day")
    union = " UNION ALL ".join(touched)
    return [
        f"INSERT INTO {VERSIONS} (scope, month, token) "  # noqa: S608
        f"SELECT scope, month, {dialect['token']} FROM ("
        f"SELECT DISTINCT CASE WHEN o.own = 1 THEN t.store_id ELSE 0 END AS scope, "
        f"{month} AS month FROM ({union}) t "
        f"CROSS JOIN (SELECT 0 AS own UNION ALL SELECT 1) o WHERE t.day < {today}) v "
        f"WHERE scope IS NOT NULL ORDER BY scope, month "
        f"ON CONFLICT (scope, month) DO UPDATE SET token = EXCLUDED.token;"
    ]


def upsert_sql(target: Target, selects: list[str], *, vendor: str) -> str:
    """Adds the summed contributions to the target, in key order (so two statements lock the
    same totals in the same order), skipping totals that do not move."""
    keys, values = ", ".join(target.keys), target.values
    sums = ", ".join(f"SUM({value})" for value in values)
    moved = " OR ".join(f"SUM({value}) <> 0" for value in values)
    updates = ", ".join(f"{value} = {target.table}.{value} + EXCLUDED.{value}" for value in values)
    union = " UNION ALL ".join(selects)
    # WHERE TRUE: SQLite would read the ON of ON CONFLICT as a join's without it.
    return (
        f"INSERT INTO {target.table} ({keys}, {', '.join(values)}) "  # noqa: S608
        f"SELECT {keys}, {sums} FROM ({union}) c WHERE TRUE GROUP BY {keys} HAVING {moved} "
        f"ORDER BY {keys} "
        f"ON CONFLICT ({target.conflict(vendor)}) DO UPDATE SET {updates};"
    )


def daily_totals_rebuild(*, start: date | None = None, end: date | None = None) -> None:
    """Recount the totals of the days from `start` to `end` (inclusive; either open means no
    bound) from the raw rows, replacing what was there: running it twice changes nothing.

    The totals are locked against the triggers for the rebuild (on PostgreSQL writes that would
    move a total wait for it while the dashboard still reads; SQLite has one writer at a time),
    so no change is lost or counted twice.
    """
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise RuntimeError(f"The daily totals are kept on {' and '.join(VENDORS)} only.")
    ops = connection.ops
    params: dict[str, Any] = {
        "first": ops.adapt_datefield_value(start or date.min),
        "last": ops.adapt_datefield_value(end or date.max),
    }
    if start:
        since = timezone.make_aware(datetime.combine(start, time.min))
        params["since"] = ops.adapt_datetimefield_value(since)
    if end:
        until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
        params["until"] = ops.adapt_datetimefield_value(until)
    tables = {"entries": ENTRIES, "holds": HOLDS}
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == POSTGRESQL:
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
                select_sql(
                    source,
                    vendor=vendor,
                    rows=source.table,
                    sign=1,
                    tables=tables,
                    since=start is not None,
                    until=end is not None,
                )
                for source in SOURCES
                if source.target is target
            ]
            cursor.execute(upsert_sql(target, selects, vendor=vendor), params)
        if VERSIONS in connection.introspection.table_names(cursor):
            _renew_versions(cursor, vendor, params, start)


def _renew_versions(cursor: Any, vendor: str, params: dict[str, Any], start: date | None) -> None:
    """The kept figures of every month rebuilt are built again, and each month that has totals
    gets a token (a month without one is not kept)."""
    ops = connection.ops
    dialect = DIALECTS[vendor]
    params["first_month"] = ops.adapt_datefield_value((start or date.min).replace(day=1))
    cursor.execute(
        f"UPDATE {VERSIONS} SET token = {dialect['token']} "  # noqa: S608
        f"WHERE month >= %(first_month)s AND month <= %(last)s",
        params,
    )
    month = dialect["month"].format("day")
    cursor.execute(
        f"INSERT INTO {VERSIONS} (scope, month, token) "  # noqa: S608
        f"SELECT scope, month, {dialect['token']} FROM ("
        f"SELECT COALESCE(store_id, 0) AS scope, {month} AS month FROM {DAILY_TOTAL.table} "
        f"WHERE day >= %(first)s AND day <= %(last)s UNION SELECT 0, {month} "
        f"FROM {DAILY_TOTAL.table} WHERE day >= %(first)s AND day <= %(last)s) v "
        f"WHERE TRUE ORDER BY scope, month ON CONFLICT (scope, month) DO NOTHING",
        params,
    )


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
