"""Every write to stock. Each function is transactional, locks what it changes (through
`locking.lock_levels`, in primary-key order), changes counters with F() and records each
change of on-hand in the `StockMovement` ledger. A rise in `available` is announced after
commit through `events.announce_available`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .events import announce_available
from .locking import LevelKey, lock_levels
from .models import StockLevel, StockMovement


class StockError(Exception):
    """Base of the domain errors a view, the API or the admin turns into a clear message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Shortfall:
    store_id: int
    variant_id: int
    requested: int
    available: int
    store_name: str = ""
    size_label: str = ""

    @property
    def missing(self) -> int:
        return self.requested - self.available


class InsufficientStock(StockError):
    """One or more lines would take stock below zero or below what is reserved."""

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        self.shortfalls = list(shortfalls)
        parts = [
            _("%(store)s, size %(size)s: %(requested)d requested, %(available)d available")
            % {"store": s.store_name, "size": s.size_label, "requested": s.requested,
               "available": s.available}
            for s in self.shortfalls
        ]
        super().__init__(_("Not enough stock. ") + "; ".join(parts))


class InvalidQuantity(StockError):
    pass


@dataclass
class StockChange:
    """One line of a stock write: change on-hand by `delta` and/or reserved by `reserve`.

    `set_on_hand` replaces `delta` for a count: the delta becomes whatever makes on-hand equal
    the counted number.
    """

    store_id: int
    variant_id: int
    reason: StockMovement.Reason | None = None
    delta: int = 0
    reserve: int = 0
    set_on_hand: int | None = None
    reference: str = ""
    external_reference: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> LevelKey:
        return (self.store_id, self.variant_id)


def stock_apply(
    *, changes: Sequence[StockChange], user: Any = None, till: Any = None
) -> list[StockMovement]:
    """Apply all changes or none.

    Locks every level involved in primary-key order, checks every line against the state it
    would leave, and raises `InsufficientStock` naming each line that fails (nothing written).
    On success writes one `StockMovement` per on-hand change (a count that matches still writes
    a zero row: it confirms the number) and announces each level whose available rose.
    """
    with transaction.atomic():
        levels = lock_levels(change.key for change in changes)
        # Simulate first, on copies, so a failing batch writes nothing and reports every line.
        state = {key: (lvl.on_hand, lvl.reserved) for key, lvl in levels.items()}
        before = {key: lvl.available for key, lvl in levels.items()}
        shortfalls: list[Shortfall] = []
        planned: list[tuple[StockChange, int]] = []
        for change in changes:
            on_hand, reserved = state[change.key]
            delta = change.delta if change.set_on_hand is None else change.set_on_hand - on_hand
            if change.set_on_hand is not None and change.set_on_hand < 0:
                raise InvalidQuantity(_("A counted quantity cannot be negative."))
            new_on_hand, new_reserved = on_hand + delta, reserved + change.reserve
            if new_reserved < 0:
                raise InvalidQuantity(_("Cannot release more pairs than are reserved."))
            if new_on_hand < new_reserved:
                level = levels[change.key]
                shortfalls.append(Shortfall(
                    store_id=change.store_id, variant_id=change.variant_id,
                    requested=max(-delta, 0) + max(change.reserve, 0),
                    available=on_hand - reserved,
                    store_name=str(level.store), size_label=level.variant.size_label,
                ))
            state[change.key] = (new_on_hand, new_reserved)
            planned.append((change, delta))
        if shortfalls:
            raise InsufficientStock(shortfalls)

        now = timezone.now()
        movements = []
        running = {key: lvl.on_hand for key, lvl in levels.items()}
        for change, delta in planned:
            level = levels[change.key]
            StockLevel.objects.filter(pk=level.pk).update(
                on_hand=F("on_hand") + delta, reserved=F("reserved") + change.reserve,
                updated_at=now,
            )
            if change.reason is not None:
                running[change.key] += delta
                movements.append(StockMovement(
                    store_id=change.store_id, variant_id=change.variant_id, delta=delta,
                    on_hand_after=running[change.key], reason=change.reason,
                    reference=change.reference, external_reference=change.external_reference,
                    user=user if getattr(user, "is_authenticated", False) else None, till=till,
                ))
        StockMovement.objects.bulk_create(movements)
        for key, (on_hand, reserved) in state.items():
            if on_hand - reserved > before[key]:
                announce_available(*key)
        return movements


def _one(store: Any, variant: Any, **kwargs: Any) -> StockChange:
    return StockChange(store_id=_pk(store), variant_id=_pk(variant), **kwargs)


def _pk(obj: Any) -> int:
    return obj if isinstance(obj, int) else obj.pk


def _positive(quantity: int) -> int:
    if quantity <= 0:
        raise InvalidQuantity(_("The quantity must be a positive whole number."))
    return quantity


def stock_receive(*, store: Any, variant: Any, quantity: int, reference: str = "",
                  user: Any = None, reason: str = StockMovement.Reason.RECEIPT) -> StockMovement:
    """Add pairs that arrived. Raises `InvalidQuantity` for a quantity below 1."""
    change = _one(store, variant, reason=StockMovement.Reason(reason),
                  delta=_positive(quantity), reference=reference)
    return stock_apply(changes=[change], user=user)[0]


def stock_sell(*, store: Any, variant: Any, quantity: int = 1, reference: str = "",
               user: Any = None) -> StockMovement:
    """Take sold pairs off the shelf. Raises `InsufficientStock` if fewer are available."""
    change = _one(store, variant, reason=StockMovement.Reason.SALE,
                  delta=-_positive(quantity), reference=reference)
    return stock_apply(changes=[change], user=user)[0]


def stock_return(*, store: Any, variant: Any, quantity: int = 1, reference: str = "",
                 user: Any = None) -> StockMovement:
    """Put returned pairs back on the shelf."""
    return stock_receive(store=store, variant=variant, quantity=quantity, reference=reference,
                         user=user, reason=StockMovement.Reason.RETURN)


def stock_count(*, store: Any, variant: Any, counted: int, reference: str = "",
                user: Any = None) -> StockMovement:
    """Set on-hand to a counted number. Refuses a count below the pairs held for customers."""
    change = _one(store, variant, reason=StockMovement.Reason.COUNT, set_on_hand=counted,
                  reference=reference)
    return stock_apply(changes=[change], user=user)[0]


def stock_adjust(*, store: Any, variant: Any, delta: int, reference: str = "",
                 user: Any = None) -> StockMovement:
    """Correct on-hand by a signed amount (damage, loss, found pairs)."""
    if delta == 0:
        raise InvalidQuantity(_("An adjustment must change the quantity."))
    change = _one(store, variant, reason=StockMovement.Reason.ADJUSTMENT, delta=delta,
                  reference=reference)
    return stock_apply(changes=[change], user=user)[0]


def stock_reserve(*, store: Any, variant: Any, quantity: int = 1) -> None:
    """Set pairs aside (a hold, a transfer waiting to leave). Raises `InsufficientStock`."""
    stock_apply(changes=[_one(store, variant, reserve=_positive(quantity))])


def stock_release(*, store: Any, variant: Any, quantity: int = 1) -> None:
    """Return reserved pairs to sale; announces the rise in available."""
    stock_apply(changes=[_one(store, variant, reserve=-_positive(quantity))])
