"""The dashboard's figures of closed days, kept between views.

A closed day changes only when a late write (a hold placed yesterday and collected today, a
sign-up from last month collected) or `rebuild_daily_totals` touches it, and each of those
renews the token of that day's month for its store and for all stores
(`insights.TotalsVersion`), in the writer's own transaction (insights.totals). So the
figures of each closed month of a period — the part of the month inside the period — are kept
in the cache under the scope (the store's id, or 0 for all stores), the days and that token,
and served while the token stands: a late write is seen on the next view, and no store's
figures are ever served for another scope. A closed month gets its first token from the first
read that finds none (insights.selectors), before its figures are counted; the open days are
counted every time.

Days count as closed here from the day before yesterday: the writers renew tokens for days
before their own today, so a write whose transaction was still open at midnight (or a replica
a little behind) renews none for the day that has just closed; a day of margin covers any
transaction shorter than a day.

Entries are kept in this process (the last few hundred) and in the shared cache (Redis in
production). When the cache cannot be reached, the figures are counted as if nothing were kept.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

ENTRY_SECONDS = 7 * 24 * 3600  # entries go after a week, or when a token moves on
MARGIN_DAYS = 2  # today and yesterday are counted every time

T = TypeVar("T")


@dataclass
class Figures:
    """What the daily totals hold for some days of one scope: per day, per (store, hold
    purpose), and the duration histograms per measure."""

    days: dict[date, dict[str, int]] = field(default_factory=dict)
    collections: dict[tuple[int, str], tuple[int, Decimal]] = field(default_factory=dict)
    histograms: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, other: "Figures") -> None:
        """Add `other`, which holds other days."""
        self.days.update(other.days)
        for key, (pairs, value) in other.collections.items():
            have = self.collections.get(key, (0, Decimal(0)))
            self.collections[key] = (have[0] + pairs, have[1] + value)
        for measure, buckets in other.histograms.items():
            mine = self.histograms.setdefault(measure, {})
            for bucket, count in buckets.items():
                mine[bucket] = mine.get(bucket, 0) + count


@dataclass(frozen=True)
class Days:
    """Whole days from `first` to `last`, inside one month."""

    first: date
    last: date

    @property
    def month(self) -> date:
        return self.first.replace(day=1)


def split(start: date, end: date, *, today: date) -> tuple[list[Days], list[Days]]:
    """The days from `start` to `end`: those that may be kept, a `Days` per month, and those
    counted every time (from the day before `today` on), also a `Days` per month."""
    last_closed = min(end, today - timedelta(days=MARGIN_DAYS))
    return _months(start, last_closed), _months(max(start, last_closed + timedelta(days=1)), end)


def _months(start: date, end: date) -> list[Days]:
    parts = []
    while start <= end:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(end, next_month - timedelta(days=1))
        parts.append(Days(start, last))
        start = next_month
    return parts


def key(kind: str, scope: int, days: Days, token: str) -> str:
    return f"cx-{kind}:{scope}:{days.first.isoformat()}:{days.last.isoformat()}:{token}"


class _Recent:
    """The entries this process used last, so that a view served again reads no cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_recent = _Recent(size=400)


def kept(
    keys: dict[str, T], build: Callable[[list[T]], list[Any]], *, counted: list[T]
) -> tuple[list[Any], list[Any]]:
    """The value of each of `keys` (cache key → what it stands for), in order, and of each of
    `counted`, never kept: those not kept and the counted ones are built together, by one
    `build(what)` (a value for each, in order). Every key carries the token it was read
    under, so a value is never served after a write that renewed it."""
    found: dict[str, Any] = {}
    for name in keys:
        value = _recent.get(name)
        if value is not None:
            found[name] = value
    absent = [name for name in keys if name not in found]
    if absent:
        try:
            found.update(cache.get_many(absent))
        except Exception:
            logger.warning("Cache unreachable; counting the kept figures again", exc_info=True)
    missing = [name for name in keys if name not in found]
    built = build([keys[name] for name in missing] + counted) if missing or counted else []
    if missing:
        fresh = dict(zip(missing, built[: len(missing)], strict=True))
        try:
            cache.set_many(fresh, timeout=ENTRY_SECONDS)
        except Exception:
            logger.warning("Cache unreachable; not keeping the figures", exc_info=True)
        found.update(fresh)
    for name in keys:
        _recent.put(name, found[name])
    return [found[name] for name in keys], built[len(missing) :]
