"""Medians of durations, computed by the database where it can (Postgres)."""

import math
import statistics
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Expression, F, FloatField, Func, QuerySet
from django.db.models.functions import Cast


class _Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class _EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def median_seconds(queryset: QuerySet[Any], *, start: str, end: str) -> float | None:
    """The median of `end - start` over rows where both are set, in seconds (None if no rows)."""
    rows = queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if connection.vendor == "postgresql":
        result = rows.aggregate(m=_Median(_EpochSeconds(F(end) - F(start))))["m"]
        return float(result) if result is not None else None
    durations = [(b - a).total_seconds() for a, b in rows.values_list(start, end)]
    return statistics.median(durations) if durations else None


def durations(
    queryset: QuerySet[Any], *, label: Expression, start: str, end: str
) -> list[tuple[Any, float]]:
    """Each row's `label`, and its `end - start` in seconds as `median_seconds` reads it, over
    rows where both are set."""
    rows = (
        queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .annotate(label=label)
        .order_by()
    )
    if connection.vendor == "postgresql":
        seconds = Cast(_EpochSeconds(F(end) - F(start)), FloatField())
        return list(rows.annotate(seconds=seconds).values_list("label", "seconds"))
    return [(n, (b - a).total_seconds()) for n, a, b in rows.values_list("label", start, end)]


def median_of(seconds: list[float]) -> float | None:
    """The median of `seconds` exactly as `median_seconds` takes it on this database: on
    PostgreSQL as percentile_cont interpolates (`lo + (hi - lo) * 0.5`)."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    if connection.vendor != "postgresql":
        return statistics.median(ordered)
    position = 0.5 * (len(ordered) - 1)
    first = math.floor(position)
    low, high = ordered[first], ordered[math.ceil(position)]
    return low + (high - low) * (position - first) if high != low else low
