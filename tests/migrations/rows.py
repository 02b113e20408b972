"""The rows of the project's tables as JSON, and back into a database: what `make_fixture`
dumps and what `test_moves_keep_rows` loads and compares.

Values are read and written with raw SQL. Each is made JSON-safe by its field's type, the same
way on SQLite and PostgreSQL (an SQLite boolean is 0/1, a PostgreSQL one True/False; both
become `true`/`false`), so a fixture dumped from one back end loads into and compares with the
other.
"""

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.dateparse import parse_date, parse_datetime, parse_time

# Django's apps whose rows the project's rows point at (staff, their groups and permissions).
CONTRIB_APPS = ("auth", "contenttypes")
SAMPLE_SIZE = 20


def project_app_labels(apps: Apps) -> list[str]:
    """The project's own apps (those under BASE_DIR) and the contrib apps its rows refer to."""
    base = Path(settings.BASE_DIR).resolve()
    own = [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
    ]
    return sorted({*own, *CONTRIB_APPS})


@dataclass(frozen=True)
class Table:
    """A table and the model whose rows it holds: `label` ("notifications.WaitlistEntry"), or,
    for a many-to-many field's own table, `label` and the field's name (`m2m`)."""

    name: str
    label: str
    m2m: str | None
    model: type[models.Model]

    @property
    def key(self) -> str:
        """How the test's mappings name the table: "app.Model" or "app.Model.m2m_field"."""
        return f"{self.label}.{self.m2m}" if self.m2m else self.label


def project_tables(apps: Apps) -> list[Table]:
    """Every table of the project's models, in `apps` (the real registry or a migration state)."""
    labels = set(project_app_labels(apps))
    tables = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in labels or not meta.managed or meta.proxy:
            continue
        tables.append(Table(meta.db_table, meta.label, None, model))
        for field in meta.local_many_to_many:
            through = _through(model, field.name)
            if through._meta.auto_created:
                tables.append(Table(through._meta.db_table, meta.label, field.name, through))
    return sorted(tables, key=lambda table: table.name)


def model_for(apps: Apps, label: str, m2m: str | None) -> type[models.Model]:
    """The model `label` (or its `m2m` field's own table) in `apps`; LookupError if none."""
    model = apps.get_model(label)
    if m2m is None:
        return model
    return _through(model, m2m)


def _through(model: type[models.Model], m2m: str) -> type[models.Model]:
    field = model._meta.get_field(m2m)
    assert isinstance(field, models.ManyToManyField)
    through = field.remote_field.through
    assert isinstance(through, type)
    return through


def pk_column(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None and pk.column
    return pk.column


def fields_by_column(model: type[models.Model]) -> dict[str, models.Field]:
    return {field.column: field for field in model._meta.concrete_fields if field.column}


def _kind(field: models.Field) -> str:
    """The field's type, seen through foreign keys to the column they point at."""
    while field.is_relation and (field.many_to_one or field.one_to_one):
        field = field.target_field  # type: ignore[attr-defined]
    return field.get_internal_type()


def to_json(field: models.Field, value: Any) -> Any:
    """A raw database value of `field` as JSON, the same from either back end."""
    if value is None:
        return None
    kind = _kind(field)
    if kind == "BooleanField":
        return bool(value)
    if kind == "DateTimeField":
        moment = parse_datetime(value) if isinstance(value, str) else value
        if moment is None:
            raise ValueError(f"{field}: not a datetime: {value!r}")
        if moment.tzinfo is None:  # SQLite keeps UTC without saying so
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if kind == "DateField":
        day = parse_date(value) if isinstance(value, str) else value
        return day.isoformat() if day else value
    if kind == "TimeField":
        clock = parse_time(value) if isinstance(value, str) else value
        return clock.isoformat() if clock else value
    if kind == "DecimalField":
        places = Decimal(1).scaleb(-field.decimal_places)  # type: ignore[attr-defined]
        return str(Decimal(str(value)).quantize(places))
    if kind == "UUIDField":
        return str(uuid.UUID(str(value)))
    if kind == "DurationField":
        if isinstance(value, timedelta):
            return value // timedelta(microseconds=1)
        return int(value)
    if kind == "JSONField":
        return json.loads(value) if isinstance(value, str) else value
    if kind == "FloatField":
        return float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def from_json(field: models.Field, value: Any, connection: BaseDatabaseWrapper) -> Any:
    """A JSON value made by `to_json`, as a parameter for `connection`."""
    if value is None:
        return None
    kind = _kind(field)
    python: Any = value
    if kind == "DateTimeField":
        python = datetime.fromisoformat(value)
    elif kind == "DateField":
        python = date.fromisoformat(value)
    elif kind == "TimeField":
        python = time.fromisoformat(value)
    elif kind == "DecimalField":
        python = Decimal(value)
    elif kind == "UUIDField":
        python = uuid.UUID(value)
    elif kind == "DurationField":
        python = timedelta(microseconds=value)
    return field.get_db_prep_value(python, connection)


def read_rows(
    connection: BaseDatabaseWrapper,
    table: str,
    model: type[models.Model],
    *,
    pks: Iterable[Any] | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """The table's rows (those with primary keys `pks`, or all), as JSON, by primary key."""
    fields = fields_by_column(model)
    columns = list(fields)
    quote = connection.ops.quote_name
    pk = quote(pk_column(model))
    sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}"  # noqa: S608
    params: list[Any] = []
    if pks is not None:
        params = list(pks)
        if not params:
            return columns, []
        sql += f" WHERE {pk} IN ({', '.join(['%s'] * len(params))})"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {pk}", params)
        rows = cursor.fetchall()
    return columns, [
        [to_json(fields[c], v) for c, v in zip(columns, row, strict=True)] for row in rows
    ]


def count_rows(connection: BaseDatabaseWrapper, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def insert_rows(
    connection: BaseDatabaseWrapper,
    table: str,
    model: type[models.Model],
    columns: list[str],
    rows: list[list[Any]],
) -> None:
    """Insert JSON rows as they are, primary keys included."""
    fields = fields_by_column(model)
    missing = [column for column in columns if column not in fields]
    if missing:
        raise LookupError(f"{table}: no field of {model._meta.label} has column(s) {missing}")
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    params = [
        [from_json(fields[c], v, connection) for c, v in zip(columns, row, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def sample(rows: list[list[Any]], pk_index: int, size: int = SAMPLE_SIZE) -> list[list[Any]]:
    """Up to `size` rows spread evenly over the primary keys, first and last included."""
    ordered = sorted(rows, key=lambda row: row[pk_index])
    if len(ordered) <= size:
        return ordered
    step = (len(ordered) - 1) / (size - 1)
    return [ordered[round(i * step)] for i in range(size)]


def compare_row(expected: dict[str, Any], found: dict[str, Any] | None) -> list[str]:
    """What differs between a dumped row and the row found now, column by column (both keyed
    by today's column names); empty when they are the same."""
    if found is None:
        return ["row is missing"]
    return [
        f"{column}: expected {value!r}, found {found.get(column, '<no column>')!r}"
        for column, value in expected.items()
        if column not in found or found[column] != value
    ]
