"""The one lock order of stock writes, and the one way a locked level's counters change.

Every writer takes its row locks through `stock_lock`: first the lapsed holds at the levels
that lose stock (in primary-key order) are locked and expired — a hold whose time ran out
never blocks a sale, a count or a new hold, even before the periodic sweep reaches it — then
every level concerned is locked, in primary-key order, through `locking.lock_levels`. Holds
before levels, always, so two writers never wait on each other in opposite orders.
`stock_apply` calls it, and so do the till ingest and the count import (through
`stock_apply`'s `locked` argument) when they must read under the locks before they decide.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db.models import F, IntegerField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core import metrics
from core.versions import STOCK, bump, stock_of

from .. import policy
from ..events import announce_available, hold_ended, send_on_commit
from ..locking import LevelKey, levels_matching, lock_levels
from ..models import Hold, StockLevel, Store
from .size_stock import size_stock_write


class _Change(Protocol):
    """What the lock needs of a stock change (`stock.StockChange`)."""

    @property
    def key(self) -> LevelKey: ...

    @property
    def takes(self) -> bool: ...


@dataclass(frozen=True)
class StockLock:
    """Levels locked by `stock_lock`, by key, as they stand after the lapsed holds were
    expired; `expired_at` names the levels whose lapsed holds were."""

    levels: dict[LevelKey, StockLevel]
    expired_at: frozenset[LevelKey]

    def covers(self, changes: Sequence[_Change]) -> bool:
        return all(
            c.key in self.levels and (not c.takes or c.key in self.expired_at) for c in changes
        )


def stock_lock(
    changes: Sequence[_Change], *, expire: Sequence[LevelKey] = (), now: datetime | None = None
) -> StockLock:
    """Lock what `changes` touch, in the one order: lapsed holds at the levels they take from
    (and at `expire`, for a caller that reports or hands out what is available there), expired
    here — their pairs back on sale, announced after commit — then the levels, `expire`'s too.

    Must run inside `transaction.atomic()`; the locks last until it ends.
    """
    now = now or timezone.now()
    taking = {change.key for change in changes if change.takes} | set(expire)
    lapsed = _lapsed_holds(taking, now) if taking else []
    levels = lock_levels([*(c.key for c in changes), *expire, *(_key(h) for h in lapsed)])
    if lapsed:
        _expire(lapsed, levels, now)
    return StockLock(levels=levels, expired_at=frozenset(taking))


def holds_expire(holds: Sequence[Hold], *, now: datetime) -> None:
    """End these locked, active holds as expired: their levels are locked (after the holds,
    as always), their pairs put back on sale and announced, `hold_ended` sent after commit.
    Must run inside `transaction.atomic()`."""
    if holds:
        _expire(holds, lock_levels(_key(h) for h in holds), now)


def _key(hold: Hold) -> LevelKey:
    return (hold.store_id, hold.variant_id)


def _lapsed_holds(keys: Iterable[LevelKey], now: datetime) -> list[Hold]:
    return list(
        Hold.objects.select_for_update()
        .filter(levels_matching(keys), status=Hold.Status.ACTIVE, expires_at__lte=now)
        .order_by("pk")
    )


def _expire(holds: Sequence[Hold], levels: dict[LevelKey, StockLevel], now: datetime) -> None:
    released = Counter(_key(hold) for hold in holds)
    levels_write([(levels[key], 0, -count) for key, count in released.items()])
    for key, count in released.items():
        levels[key].reserved -= count  # the locked copy, as the row now stands
        announce_available(*key)
    Hold.objects.filter(pk__in=[h.pk for h in holds]).update(
        status=Hold.Status.EXPIRED,
        ended_at=now,
        ended_by=None,
    )
    for hold in holds:
        metrics.after_commit(metrics.HOLDS.labels(event="expired", purpose=hold.purpose).inc)
    for hold in holds:
        hold.status, hold.ended_at, hold.ended_by = Hold.Status.EXPIRED, now, None
        send_on_commit(hold_ended, sender=Hold, hold=hold, outcome=Hold.Status.EXPIRED)


_LEVELS_PER_UPDATE = 200
_LEVEL_PK = StockLevel._meta.pk.column if StockLevel._meta.pk else "id"


def levels_write(changes: Sequence[tuple[StockLevel, int, int]]) -> None:
    """Add (on-hand, reserved) deltas to locked levels: one UPDATE for a whole till batch.

    F() keeps each write relative to the row as stored, never a read-modify-write in Python.
    Each level written is confirmed now (`updated_at`), and so is its store's entry in its
    size's summary (`size_stock_write`, from the locked row through the policy). The pages
    showing it are new after commit (`core.versions`): those showing its size's numbers
    always, those showing only what is in stock where (lists, cards, their filters) when a
    shop's size goes in or out of stock.
    """
    now = timezone.now()
    bump(stock_of(level.variant_id) for level, _, _ in changes)
    if _sale_state_changes(changes):
        bump([STOCK])
    for start in range(0, len(changes), _LEVELS_PER_UPDATE):
        chunk = changes[start : start + _LEVELS_PER_UPDATE]
        if len(chunk) == 1:
            level, on_hand, reserved = chunk[0]
            StockLevel.objects.filter(pk=level.pk).update(
                on_hand=F("on_hand") + on_hand, reserved=F("reserved") + reserved, updated_at=now
            )
            continue
        StockLevel.objects.filter(pk__in=[level.pk for level, _, _ in chunk]).update(
            on_hand=F("on_hand") + _by_level({lvl.pk: d for lvl, d, _ in chunk if d}),
            reserved=F("reserved") + _by_level({lvl.pk: r for lvl, _, r in chunk if r}),
            updated_at=now,
        )
    size_stock_write(
        (
            (
                level.variant_id,
                level.store_id,
                policy.available(
                    on_hand=level.on_hand + on_hand, reserved=level.reserved + reserved
                ),
            )
            for level, on_hand, reserved in changes
        ),
        confirmed_at=now,
    )


def _sale_state_changes(changes: Sequence[tuple[StockLevel, int, int]]) -> bool:
    """Whether these deltas put a size in or out of stock at a customer store. Decided on the
    locked levels (as the rows stand before the deltas), so no write can slip between."""
    turned = {
        level.store_id
        for level, on_hand, reserved in changes
        if policy.in_stock(on_hand=level.on_hand, reserved=level.reserved)
        != policy.in_stock(on_hand=level.on_hand + on_hand, reserved=level.reserved + reserved)
    }
    return bool(turned) and Store.objects.filter(policy.customer_store_q(), pk__in=turned).exists()


def _by_level(deltas: dict[int, int]) -> Any:
    # A plain `CASE id WHEN … THEN …`: Case/When would cost more to build than the statement
    # takes to run. Only placeholders are spliced in; values are parameters.
    if not deltas:
        return Value(0)
    return RawSQL(  # noqa: S611
        f"CASE {_LEVEL_PK} " + "WHEN %s THEN %s " * len(deltas) + "ELSE 0 END",
        [value for pair in deltas.items() for value in pair],
        output_field=IntegerField(),
    )
