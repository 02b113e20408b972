"""Medians of durations, computed by the database where it can (Postgres)."""

import statistics
from typing import Any

from django.db import connection
from django.db.models import Aggregate, F, FloatField, Func, QuerySet


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
