"""Every write to stock goes through `stock_apply`: transactional, locking what it changes
(through `locks.stock_lock`), changing counters with F() and recording each change of on-hand
in the `StockMovement` ledger. A rise in `available` is announced after commit through
`events.announce_available`. The `stock_*` functions below are its one-line forms.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Variant
from core.ids import pk_of
from core.users import Actor, staff_or_none

from .. import policy
from ..errors import InsufficientStock, InvalidQuantity, Shortfall
from ..events import announce_available
from ..locking import LevelKey
from ..models import StockLevel, StockMovement, Store, TillToken
from .locks import StockLock, levels_write, stock_lock


@dataclass
class StockChange:
    """One line of a stock write: change on-hand by `delta` and/or reserved by `reserve`.

    `set_on_hand` replaces `delta` for a count: the delta becomes whatever makes on-hand equal
    the counted number. Any change of on-hand needs a `reason`: it is written to the ledger.
    """

    store_id: int
    variant_id: int
    reason: StockMovement.Reason | None = None
    delta: int = 0
    reserve: int = 0
    set_on_hand: int | None = None
    reference: str = ""
    external_reference: str = ""
    external_fingerprint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> LevelKey:
        return (self.store_id, self.variant_id)

    @property
    def takes(self) -> bool:
        """Whether this change can take pairs away from sale (a lapsed hold must not block it)."""
        return self.delta < 0 or self.reserve > 0 or self.set_on_hand is not None


# (on-hand, reserved) of each level as the batch leaves it, line by line.
_State = dict[LevelKey, tuple[int, int]]


def stock_apply(
    *,
    changes: Sequence[StockChange],
    user: Actor = None,
    till: TillToken | None = None,
    announce: bool = True,
    locked: StockLock | None = None,
) -> list[StockMovement]:
    """Apply all changes or none.

    Locks every level involved (`locks.stock_lock`: lapsed holds at the levels that lose
    stock are expired first), checks every line against the state it would leave (lines apply
    in order, so a later line sees the earlier ones), and raises `InsufficientStock` naming
    each line that would take stock below zero or below what is reserved, or
    `InvalidQuantity` for a negative count, a count below the pairs held for customers or a
    release of more than is reserved — in every case nothing is written.
    On success writes one `StockMovement` per on-hand change (a count that matches still writes
    a zero row: it confirms the number), recording `user` (when signed in) and `till`, updates
    each level once with F() expressions, and announces, after commit, each level whose
    available rose — unless `announce` is false, for a first load of stock that nobody can be
    waiting for (the demo seed).

    `locked` is for a caller that must read under the locks before it decides the changes (the
    till ingest, the count import): the `stock_lock` it took in this same transaction, which
    must cover these changes. Then nothing is locked twice.
    """
    _check_changes(changes)
    with transaction.atomic():
        if locked is None:
            locked = stock_lock(changes)
        elif not locked.covers(changes):
            raise ValueError("stock_apply: `locked` does not cover these changes.")
        levels = {change.key: locked.levels[change.key] for change in changes}
        state, planned = _plan(changes, levels)
        levels_write(
            [
                (level, state[key][0] - level.on_hand, state[key][1] - level.reserved)
                for key, level in levels.items()
            ]
        )
        movements = _record(planned, levels, user=user, till=till)
        for key, level in levels.items():
            on_hand, reserved = state[key]
            if announce and policy.available(on_hand=on_hand, reserved=reserved) > level.available:
                announce_available(*key)
        return movements


def _check_changes(changes: Sequence[StockChange]) -> None:
    for index, change in enumerate(changes):
        if change.reason is None and (change.delta or change.set_on_hand is not None):
            # A programming error, not bad input: on-hand never changes outside the ledger.
            raise ValueError(f"Stock change #{index} changes on-hand without a reason.")
        if change.set_on_hand is not None and change.set_on_hand < 0:
            raise InvalidQuantity(_("A counted quantity cannot be negative."), line=index)


def _plan(
    changes: Sequence[StockChange], levels: dict[LevelKey, StockLevel]
) -> tuple[_State, list[tuple[StockChange, int]]]:
    """Simulate the batch on copies of the locked levels, so a failing batch writes nothing
    and reports every line: the state it leaves, and each change with its on-hand delta."""
    state = {key: (level.on_hand, level.reserved) for key, level in levels.items()}
    shortfalls: list[Shortfall] = []
    planned: list[tuple[StockChange, int]] = []
    for index, change in enumerate(changes):
        level = levels[change.key]
        on_hand, reserved = state[change.key]
        delta = change.delta if change.set_on_hand is None else change.set_on_hand - on_hand
        new_on_hand, new_reserved = on_hand + delta, reserved + change.reserve
        _refuse_invalid(
            index,
            change,
            level,
            reserved=reserved,
            new_reserved=new_reserved,
            new_on_hand=new_on_hand,
        )
        if new_on_hand < new_reserved:
            names = _level_names(level)
            shortfalls.append(
                Shortfall(
                    store_id=change.store_id,
                    variant_id=change.variant_id,
                    requested=max(-delta, 0) + max(change.reserve, 0),
                    available=policy.available(on_hand=on_hand, reserved=reserved),
                    store_name=names["store"],
                    size_label=names["size"],
                    line=index,
                    sku=names["sku"],
                    product_name=names["product"],
                )
            )
        state[change.key] = (new_on_hand, new_reserved)
        planned.append((change, delta))
    if shortfalls:
        raise InsufficientStock(shortfalls)
    return state, planned


def _refuse_invalid(
    index: int,
    change: StockChange,
    level: StockLevel,
    *,
    reserved: int,
    new_reserved: int,
    new_on_hand: int,
) -> None:
    """A release of more than is reserved, or a count below the pairs held: not a shortfall
    (selling less would not help), so the batch stops at this line."""
    if new_reserved < 0:
        raise InvalidQuantity(
            _(
                "%(store)s, %(product)s size %(size)s: cannot release %(released)d "
                "pairs, only %(reserved)d are reserved."
            )
            % {**_level_names(level), "released": -change.reserve, "reserved": reserved},
            line=index,
        )
    if change.set_on_hand is not None and new_on_hand < new_reserved:
        raise InvalidQuantity(
            _(
                "%(store)s, %(product)s size %(size)s: the count of %(counted)d is below "
                "the %(reserved)d pairs held for customers. Release or collect those "
                "holds first, or recount."
            )
            % {**_level_names(level), "counted": change.set_on_hand, "reserved": new_reserved},
            line=index,
        )


def _level_names(level: StockLevel) -> dict[str, str]:
    variant = level.variant
    return {
        "store": str(level.store),
        "product": variant.product.name,
        "size": variant.size_label,
        "sku": variant.sku,
    }


def _record(
    planned: Sequence[tuple[StockChange, int]],
    levels: dict[LevelKey, StockLevel],
    *,
    user: Actor,
    till: TillToken | None,
) -> list[StockMovement]:
    """One ledger row per change of on-hand, each with the on-hand it left."""
    running = {key: level.on_hand for key, level in levels.items()}
    movements = []
    for change, delta in planned:
        if change.reason is None:
            continue  # a pure reservation: on-hand unchanged, nothing for the ledger
        running[change.key] += delta
        movements.append(
            StockMovement(
                store_id=change.store_id,
                variant_id=change.variant_id,
                delta=delta,
                on_hand_after=running[change.key],
                reason=change.reason,
                reference=change.reference,
                external_reference=change.external_reference,
                external_fingerprint=change.external_fingerprint,
                user=staff_or_none(user),
                till=till,
            )
        )
    return StockMovement.objects.bulk_create(movements)


def positive(quantity: int) -> int:
    """`quantity`, refused with `InvalidQuantity` unless it is a whole number above 0."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidQuantity(_("The quantity must be a positive whole number."))
    return quantity


def _one(store: Store | int, variant: Variant | int, **kwargs: Any) -> StockChange:
    return StockChange(store_id=pk_of(store), variant_id=pk_of(variant), **kwargs)


# --- One change at a time ---------------------------------------------------------------------


def stock_receive(
    *,
    store: Store | int,
    variant: Variant | int,
    quantity: int,
    reference: str = "",
    user: Actor = None,
    reason: str = StockMovement.Reason.RECEIPT,
) -> StockMovement:
    """Add pairs that arrived. Raises `InvalidQuantity` for a quantity below 1."""
    change = _one(
        store,
        variant,
        reason=StockMovement.Reason(reason),
        delta=positive(quantity),
        reference=reference,
    )
    return stock_apply(changes=[change], user=user)[0]


def stock_sell(
    *,
    store: Store | int,
    variant: Variant | int,
    quantity: int = 1,
    reference: str = "",
    user: Actor = None,
) -> StockMovement:
    """Take sold pairs off the shelf. Raises `InsufficientStock` if fewer are available.

    Holds whose time ran out are expired first, in the same transaction (`stock_apply`).
    """
    change = _one(
        store,
        variant,
        reason=StockMovement.Reason.SALE,
        delta=-positive(quantity),
        reference=reference,
    )
    return stock_apply(changes=[change], user=user)[0]


def stock_return(
    *,
    store: Store | int,
    variant: Variant | int,
    quantity: int = 1,
    reference: str = "",
    user: Actor = None,
) -> StockMovement:
    """Put returned pairs back on the shelf."""
    return stock_receive(
        store=store,
        variant=variant,
        quantity=quantity,
        reference=reference,
        user=user,
        reason=StockMovement.Reason.RETURN,
    )


def stock_count(
    *,
    store: Store | int,
    variant: Variant | int,
    counted: int,
    reference: str = "",
    user: Actor = None,
) -> StockMovement:
    """Set on-hand to a counted number. Refuses a count below the pairs held for customers."""
    change = _one(
        store, variant, reason=StockMovement.Reason.COUNT, set_on_hand=counted, reference=reference
    )
    return stock_apply(changes=[change], user=user)[0]


def stock_adjust(
    *,
    store: Store | int,
    variant: Variant | int,
    delta: int,
    reference: str = "",
    user: Actor = None,
) -> StockMovement:
    """Correct on-hand by a signed amount (damage, loss, found pairs)."""
    if delta == 0:
        raise InvalidQuantity(_("An adjustment must change the quantity."))
    change = _one(
        store, variant, reason=StockMovement.Reason.ADJUSTMENT, delta=delta, reference=reference
    )
    return stock_apply(changes=[change], user=user)[0]


def stock_reserve(*, store: Store | int, variant: Variant | int, quantity: int = 1) -> None:
    """Set pairs aside (a hold, a transfer waiting to leave). Raises `InsufficientStock`."""
    stock_apply(changes=[_one(store, variant, reserve=positive(quantity))])


def stock_release(*, store: Store | int, variant: Variant | int, quantity: int = 1) -> None:
    """Return reserved pairs to sale; announces the rise in available."""
    stock_apply(changes=[_one(store, variant, reserve=-positive(quantity))])
