"""Every write to stock. Each function is transactional, locks what it changes (through
`locking.lock_levels`, in primary-key order), changes counters with F() and records each
change of on-hand in the `StockMovement` ledger. A rise in `available` is announced after
commit through `events.announce_available`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import DomainError
from core.ids import pk_of
from core.phones import phone_normalize

from .events import announce_available, customer_hold_placed, hold_ended
from .locking import LevelKey, levels_matching, lock_levels
from .models import (
    Hold,
    InboundShipment,
    InboundShipmentLine,
    StockLevel,
    StockMovement,
    Store,
    Transfer,
)


class StockError(DomainError):
    """A stock write refused. `line` is the position, in a batch passed to `stock_apply`, of
    the change at fault."""

    def __init__(self, message: str, *, line: int | None = None, **data: Any) -> None:
        super().__init__(message, line=line, **data)
        self.line = line


@dataclass(frozen=True)
class Shortfall:
    store_id: int
    variant_id: int
    requested: int
    available: int
    store_name: str = ""
    size_label: str = ""
    line: int = 0  # position of the failing change in the batch
    sku: str = ""
    product_name: str = ""

    @property
    def missing(self) -> int:
        return self.requested - self.available


class InsufficientStock(StockError):
    """One or more lines would take stock below zero or below what is reserved."""

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        self.shortfalls = list(shortfalls)
        parts = [
            _("%(store)s, %(product)s size %(size)s (%(sku)s): %(requested)d requested, "
              "%(available)d available, %(missing)d short")
            % {"store": s.store_name, "product": s.product_name, "size": s.size_label,
               "sku": s.sku, "requested": s.requested, "available": s.available,
               "missing": s.missing}
            for s in self.shortfalls
        ]
        super().__init__(_("Not enough stock. ") + "; ".join(parts),
                         line=self.shortfalls[0].line if self.shortfalls else None)


class InvalidQuantity(StockError):
    pass


class InvalidTransition(StockError):
    """A shipment, transfer or hold was asked for a step its current status does not allow."""

    def __init__(self, message: str, *, current: str, wanted: str) -> None:
        super().__init__(message)
        self.current = current
        self.wanted = wanted


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
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> LevelKey:
        return (self.store_id, self.variant_id)


def _level_names(level: StockLevel) -> dict[str, str]:
    variant = level.variant
    return {"store": str(level.store), "product": variant.product.name,
            "size": variant.size_label, "sku": variant.sku}


def stock_apply(
    *, changes: Sequence[StockChange], user: Any = None, till: Any = None,
    announce: bool = True,
) -> list[StockMovement]:
    """Apply all changes or none.

    Locks every level involved in primary-key order, checks every line against the state it
    would leave (lines apply in order, so a later line sees the earlier ones), and raises
    `InsufficientStock` naming each line that would take stock below zero or below what is
    reserved, or `InvalidQuantity` for a negative count, a count below the pairs held for
    customers or a release of more than is reserved — in every case nothing is written.
    On success writes one `StockMovement` per on-hand change (a count that matches still writes
    a zero row: it confirms the number), updates each level once with F() expressions, and
    announces, after commit, each level whose available rose — unless `announce` is false,
    for a first load of stock that nobody can be waiting for (the demo seed).
    """
    for index, change in enumerate(changes):
        if change.reason is None and (change.delta or change.set_on_hand is not None):
            # A programming error, not bad input: on-hand never changes outside the ledger.
            raise ValueError(f"Stock change #{index} changes on-hand without a reason.")
        if change.set_on_hand is not None and change.set_on_hand < 0:
            raise InvalidQuantity(_("A counted quantity cannot be negative."), line=index)
    with transaction.atomic():
        taking = [c.key for c in changes
                  if c.delta < 0 or c.reserve > 0 or c.set_on_hand is not None]
        if taking:
            # A hold whose time ran out never blocks a sale, a count or a new hold, even
            # before the periodic sweep reaches it (holds are locked before levels, always).
            hold_expire_due_at(keys=taking)
        levels = lock_levels(change.key for change in changes)
        # Simulate first, on copies, so a failing batch writes nothing and reports every line.
        state = {key: (lvl.on_hand, lvl.reserved) for key, lvl in levels.items()}
        shortfalls: list[Shortfall] = []
        planned: list[tuple[StockChange, int]] = []
        for index, change in enumerate(changes):
            on_hand, reserved = state[change.key]
            delta = change.delta if change.set_on_hand is None else change.set_on_hand - on_hand
            new_on_hand, new_reserved = on_hand + delta, reserved + change.reserve
            if new_reserved < 0:
                raise InvalidQuantity(
                    _("%(store)s, %(product)s size %(size)s: cannot release %(released)d "
                      "pairs, only %(reserved)d are reserved.")
                    % {**_level_names(levels[change.key]), "released": -change.reserve,
                       "reserved": reserved},
                    line=index,
                )
            if change.set_on_hand is not None and new_on_hand < new_reserved:
                raise InvalidQuantity(
                    _("%(store)s, %(product)s size %(size)s: the count of %(counted)d is below "
                      "the %(reserved)d pairs held for customers. Release or collect those "
                      "holds first, or recount.")
                    % {**_level_names(levels[change.key]), "counted": change.set_on_hand,
                       "reserved": new_reserved},
                    line=index,
                )
            if new_on_hand < new_reserved:
                names = _level_names(levels[change.key])
                shortfalls.append(Shortfall(
                    store_id=change.store_id, variant_id=change.variant_id,
                    requested=max(-delta, 0) + max(change.reserve, 0),
                    available=max(on_hand - reserved, 0),
                    store_name=names["store"], size_label=names["size"], line=index,
                    sku=names["sku"], product_name=names["product"],
                ))
            state[change.key] = (new_on_hand, new_reserved)
            planned.append((change, delta))
        if shortfalls:
            raise InsufficientStock(shortfalls)

        _write_levels([(level, state[key][0] - level.on_hand, state[key][1] - level.reserved)
                       for key, level in levels.items()])
        movements = []
        running = {key: lvl.on_hand for key, lvl in levels.items()}
        recorded_by = user if getattr(user, "is_authenticated", False) else None
        for change, delta in planned:
            if change.reason is None:
                continue  # a pure reservation: on-hand unchanged, nothing for the ledger
            running[change.key] += delta
            movements.append(StockMovement(
                store_id=change.store_id, variant_id=change.variant_id, delta=delta,
                on_hand_after=running[change.key], reason=change.reason,
                reference=change.reference, external_reference=change.external_reference,
                user=recorded_by, till=till,
            ))
        StockMovement.objects.bulk_create(movements)
        for key, level in levels.items():
            on_hand, reserved = state[key]
            if announce and on_hand - reserved > level.available:
                announce_available(*key)
        return movements


_LEVELS_PER_UPDATE = 200
_LEVEL_PK = StockLevel._meta.pk.column if StockLevel._meta.pk else "id"


def _write_levels(changes: Sequence[tuple[StockLevel, int, int]]) -> None:
    """Add (on-hand, reserved) deltas to locked levels: one UPDATE for a whole till batch.

    F() keeps each write relative to the row as stored, never a read-modify-write in Python.
    """
    now = timezone.now()
    for start in range(0, len(changes), _LEVELS_PER_UPDATE):
        chunk = changes[start:start + _LEVELS_PER_UPDATE]
        if len(chunk) == 1:
            level, on_hand, reserved = chunk[0]
            StockLevel.objects.filter(pk=level.pk).update(
                on_hand=F("on_hand") + on_hand, reserved=F("reserved") + reserved,
                updated_at=now)
            continue

        def by_level(deltas: dict[int, int]) -> Any:
            # A plain `CASE id WHEN … THEN …`: Case/When would cost more to build than the
            # statement takes to run. Only placeholders are spliced in; values are parameters.
            if not deltas:
                return Value(0)
            return RawSQL(  # noqa: S611
                f"CASE {_LEVEL_PK} " + "WHEN %s THEN %s " * len(deltas) + "ELSE 0 END",
                [value for pair in deltas.items() for value in pair],
                output_field=IntegerField(),
            )

        StockLevel.objects.filter(pk__in=[level.pk for level, _, _ in chunk]).update(
            on_hand=F("on_hand") + by_level({lvl.pk: d for lvl, d, _ in chunk if d}),
            reserved=F("reserved") + by_level({lvl.pk: r for lvl, _, r in chunk if r}),
            updated_at=now,
        )


def _one(store: Any, variant: Any, **kwargs: Any) -> StockChange:
    return StockChange(store_id=pk_of(store), variant_id=pk_of(variant), **kwargs)




def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
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
    """Take sold pairs off the shelf. Raises `InsufficientStock` if fewer are available.

    Holds whose time ran out are expired first, in the same transaction (`stock_apply`).
    """
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


# --- Inbound shipments ------------------------------------------------------------------------
# expected → in transit → received, or cancelled while still open. Receiving may happen in
# several goes (some lines, part of a line); the shipment is received once nothing is
# outstanding.

_SHIPMENT_NEXT: dict[str, set[str]] = {
    InboundShipment.Status.EXPECTED: {InboundShipment.Status.IN_TRANSIT,
                                      InboundShipment.Status.RECEIVED,
                                      InboundShipment.Status.CANCELLED},
    InboundShipment.Status.IN_TRANSIT: {InboundShipment.Status.RECEIVED,
                                        InboundShipment.Status.CANCELLED},
    InboundShipment.Status.RECEIVED: set(),
    InboundShipment.Status.CANCELLED: set(),
}

# One whole sentence per refused step, so each reads naturally once translated.
_SHIPMENT_REFUSAL: dict[str, Any] = {
    InboundShipment.Status.IN_TRANSIT: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be marked in transit."),
    InboundShipment.Status.RECEIVED: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be received."),
    InboundShipment.Status.CANCELLED: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be cancelled."),
}


class InvalidReceipt(InvalidQuantity):
    """Quantities entered for a shipment's lines that cannot be received, by line id."""

    def __init__(self, errors: dict[int | None, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def _shipment_locked(shipment: InboundShipment, target: str) -> InboundShipment:
    """Lock the shipment row and check it may move to `target` (a fresh copy is returned)."""
    locked = InboundShipment.objects.select_for_update().get(pk=shipment.pk)
    if target not in _SHIPMENT_NEXT[locked.status]:
        raise InvalidTransition(
            str(_SHIPMENT_REFUSAL[target])
            % {"reference": locked.reference, "status": locked.get_status_display().lower()},
            current=locked.status, wanted=target,
        )
    return locked


def _refresh(target: InboundShipment, source: InboundShipment) -> None:
    for name in ("status", "expected_date", "received_at"):
        setattr(target, name, getattr(source, name))


def shipment_create(
    *, reference: str, store: Any, expected_date: date, lines: Sequence[tuple[Any, int]],
    supplier: str = "",
) -> InboundShipment:
    """Record a shipment on its way from a supplier: (variant, quantity) lines, one per size.

    Raises `InvalidQuantity` for no lines, a quantity below 1 or a size listed twice, and
    `StockError` for a supplier reference already used.
    """
    if not lines:
        raise InvalidQuantity(_("A shipment needs at least one line."))
    quantities: dict[int, int] = {}
    for variant, quantity in lines:
        variant_id = pk_of(variant)
        if variant_id in quantities:
            raise InvalidQuantity(_("Each size may appear only once in a shipment."))
        quantities[variant_id] = _positive(quantity)
    with transaction.atomic():
        if InboundShipment.objects.filter(reference=reference).exists():
            raise StockError(_("A shipment with reference %(reference)s already exists.")
                             % {"reference": reference})
        shipment = InboundShipment.objects.create(
            reference=reference, store_id=pk_of(store), expected_date=expected_date,
            supplier=supplier,
        )
        InboundShipmentLine.objects.bulk_create(
            InboundShipmentLine(shipment=shipment, variant_id=variant_id, quantity=quantity)
            for variant_id, quantity in quantities.items()
        )
    return shipment


def shipment_mark_in_transit(
    *, shipment: InboundShipment, expected_date: date | None = None, user: Any = None
) -> InboundShipment:
    """The supplier has sent it: expected → in transit, optionally with a new arrival date.

    Raises `InvalidTransition` unless the shipment is expected.
    """
    with transaction.atomic():
        locked = _shipment_locked(shipment, InboundShipment.Status.IN_TRANSIT)
        locked.status = InboundShipment.Status.IN_TRANSIT
        if expected_date is not None:
            locked.expected_date = expected_date
        locked.save(update_fields=["status", "expected_date"])
    _refresh(shipment, locked)
    return shipment


def shipment_receive(
    *, shipment: InboundShipment, quantities: dict[int, int] | None = None, user: Any = None
) -> list[StockMovement]:
    """Put arrived pairs into stock at the shipment's store, in the ledger as receipts.

    `quantities` maps line ids to the pairs that arrived now; None receives everything still
    outstanding. Receiving more than a line's outstanding quantity is refused: an extra pair
    in the box is a different delivery and is booked as an adjustment, not as this order.
    When nothing is outstanding any more the shipment becomes received; otherwise it stays
    open (in transit) for the rest. Each size whose available rose is announced after commit.

    Raises `InvalidTransition` for a shipment already received or cancelled, and
    `InvalidReceipt` (with `.errors` by line id) for an unknown line, a negative quantity,
    more than is outstanding, or nothing to receive at all. Nothing is written on error.
    """
    with transaction.atomic():
        locked = _shipment_locked(shipment, InboundShipment.Status.RECEIVED)
        lines = list(locked.lines.select_for_update().select_related("variant__product")
                     .order_by("pk"))
        by_id = {line.pk: line for line in lines}
        if quantities is None:
            wanted = {line.pk: line.outstanding for line in lines}
        else:
            errors: dict[int | None, str] = {}
            for line_id in quantities:
                if line_id not in by_id:
                    errors[line_id] = _("Line %(line)s is not part of shipment %(reference)s.") % {
                        "line": line_id, "reference": locked.reference}
            for line_id, quantity in quantities.items():
                line = by_id.get(line_id)
                if line is None:
                    continue
                name = _("%(product)s size %(size)s (%(sku)s)") % {
                    "product": line.variant.product.name, "size": line.variant.size_label,
                    "sku": line.variant.sku}
                if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
                    errors[line_id] = _("%(line)s: enter a whole number of pairs, 0 or more.") % {
                        "line": name}
                elif quantity > line.outstanding:
                    errors[line_id] = _(
                        "%(line)s: %(entered)d entered but only %(outstanding)d of "
                        "%(ordered)d still expected."
                    ) % {"line": name, "entered": quantity, "outstanding": line.outstanding,
                         "ordered": line.quantity}
            if errors:
                raise InvalidReceipt(errors)
            wanted = dict(quantities)
        wanted = {line_id: quantity for line_id, quantity in wanted.items() if quantity > 0}
        if not wanted:
            raise InvalidReceipt({None: _("Nothing to receive: enter at least one pair.")})

        movements = stock_apply(changes=[
            StockChange(store_id=locked.store_id, variant_id=by_id[line_id].variant_id,
                        reason=StockMovement.Reason.RECEIPT, delta=quantity,
                        reference=locked.reference)
            for line_id, quantity in sorted(wanted.items())
        ], user=user)
        for line_id, quantity in wanted.items():
            InboundShipmentLine.objects.filter(pk=line_id).update(
                received_quantity=F("received_quantity") + quantity)
        if all(line.outstanding <= wanted.get(line.pk, 0) for line in lines):
            locked.status = InboundShipment.Status.RECEIVED
            locked.received_at = timezone.now()
            locked.save(update_fields=["status", "received_at"])
        elif locked.status == InboundShipment.Status.EXPECTED:
            # Part of it is here, so the rest is on its way: the order lines are now fixed.
            locked.status = InboundShipment.Status.IN_TRANSIT
            locked.save(update_fields=["status"])
    _refresh(shipment, locked)
    return movements


def shipment_cancel(*, shipment: InboundShipment, user: Any = None) -> InboundShipment:
    """The supplier will not send it (or the rest of it): closes an open shipment.

    Pairs already received stay in stock; its arrival date stops being shown. Raises
    `InvalidTransition` for a shipment already received or cancelled.
    """
    with transaction.atomic():
        locked = _shipment_locked(shipment, InboundShipment.Status.CANCELLED)
        locked.status = InboundShipment.Status.CANCELLED
        locked.save(update_fields=["status"])
    _refresh(shipment, locked)
    return shipment


# ============================================================================================
# Transfers between stores, and holds for customers
#
# Lock order, everywhere: the transfer or hold row(s) first (holds in primary-key order), then
# the stock levels through `lock_levels`. Every step goes through `stock_apply`.
# ============================================================================================


class HoldExpired(InvalidTransition):
    """The hold's time ran out before the step was asked for; it is now expired."""


class InvalidTransfer(StockError):
    """A transfer request that cannot be made as asked (same store, an inactive store...)."""


class HoldAlreadyActive(StockError):
    """The claim (a waitlist entry, a transfer) already has a pair held for it."""

    def __init__(self, claim: str) -> None:
        super().__init__(_("A pair is already held for this customer (%(claim)s).")
                         % {"claim": claim})
        self.claim = claim


# Deliveries between branches run Sunday to Thursday.
_NO_DELIVERY_WEEKDAYS = {4, 5}  # Friday, Saturday


def transfer_default_expected_date(start: date | None = None) -> date:
    """`TRANSFER_DEFAULT_DAYS` working days (Sunday–Thursday) after `start` (today)."""
    day = start or timezone.localdate()
    remaining = getattr(settings, "TRANSFER_DEFAULT_DAYS", 2)
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() not in _NO_DELIVERY_WEEKDAYS:
            remaining -= 1
    return day


def _staff(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _transfer_reference(transfer: Transfer) -> str:
    return f"transfer #{transfer.pk}"


def _lock_transfer(transfer: Transfer | int) -> Transfer:
    return Transfer.objects.select_for_update().get(pk=pk_of(transfer))


def _require_transfer(transfer: Transfer, wanted: str, *allowed: str) -> None:
    if transfer.status in allowed:
        return
    refusals = {
        Transfer.Status.DISPATCHED: _(
            "Transfer #%(id)s is “%(status)s”: only a requested transfer can be dispatched."),
        Transfer.Status.RECEIVED: _(
            "Transfer #%(id)s is “%(status)s”: only a dispatched transfer can be received."),
        Transfer.Status.CANCELLED: _(
            "Transfer #%(id)s is “%(status)s”: only a requested transfer can be cancelled."),
    }
    raise InvalidTransition(
        refusals[Transfer.Status(wanted)]
        % {"id": transfer.pk, "status": transfer.get_status_display()},
        current=transfer.status, wanted=wanted,
    )


def transfer_request(
    *, variant: Any, from_store: Any, to_store: Any, quantity: int = 1,
    customer_name: str = "", customer_phone: str = "", customer_language: str = "he",
    note: str = "", user: Any,
) -> Transfer:
    """Ask for pairs to move from one store to another, reserving them at the source at once
    (so they are not sold meanwhile).

    A transfer for a customer (a mobile number is given) moves exactly one pair; when it is
    received, that pair is held for the customer and they are texted. The number is stored
    in E.164.

    Raises `InvalidQuantity`, `InvalidTransfer` (same store, inactive store, a customer name
    without a number, more than one pair for a customer, unknown language),
    `InvalidPhone` (a number the customer could not be texted on), or `InsufficientStock`
    when the source has fewer pairs available.
    """
    _positive(quantity)
    from_id, to_id, variant_id = pk_of(from_store), pk_of(to_store), pk_of(variant)
    if from_id == to_id:
        raise InvalidTransfer(_("A transfer needs two different stores."))
    customer_name, customer_phone = customer_name.strip(), customer_phone.strip()
    if customer_phone:
        customer_phone = phone_normalize(customer_phone)
        if quantity != 1:
            raise InvalidTransfer(_("A transfer for a customer moves one pair; request one "
                                    "transfer for each pair the customer wants."))
    elif customer_name:
        raise InvalidTransfer(_("Add the customer's mobile number, so they can be texted when "
                                "the pair arrives."))
    if customer_language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidTransfer(_("Unknown language for the customer's messages."))
    inactive = Store.objects.filter(pk__in=[from_id, to_id], is_active=False).first()
    if inactive is not None:
        raise InvalidTransfer(_("%(store)s is closed: it cannot send or receive transfers.")
                              % {"store": inactive})
    with transaction.atomic():
        stock_apply(changes=[StockChange(from_id, variant_id, reserve=quantity)], user=user)
        return Transfer.objects.create(
            variant_id=variant_id, from_store_id=from_id, to_store_id=to_id, quantity=quantity,
            customer_name=customer_name, customer_phone=customer_phone,
            customer_language=customer_language, note=note.strip(),
            requested_by=_staff(user),
        )


def transfer_dispatch(*, transfer: Transfer, user: Any,
                      expected_date: date | None = None) -> Transfer:
    """The pairs leave the source: on-hand and reserved there drop by the quantity (ledger:
    TRANSFER_OUT, "transfer #id"). `expected_date` (default: `transfer_default_expected_date`)
    is shown at the destination as the arrival date.

    Raises `InvalidTransition` unless the transfer is requested, `InvalidTransfer` for an
    expected date in the past.
    """
    today = timezone.localdate()
    if expected_date is not None and expected_date < today:
        raise InvalidTransfer(_("The expected arrival date cannot be in the past."))
    with transaction.atomic():
        locked = _lock_transfer(transfer)
        _require_transfer(locked, Transfer.Status.DISPATCHED, Transfer.Status.REQUESTED)
        stock_apply(changes=[StockChange(
            locked.from_store_id, locked.variant_id, reason=StockMovement.Reason.TRANSFER_OUT,
            delta=-locked.quantity, reserve=-locked.quantity,
            reference=_transfer_reference(locked),
        )], user=user)
        locked.status = Transfer.Status.DISPATCHED
        locked.dispatched_by = _staff(user)
        locked.dispatched_at = timezone.now()
        locked.expected_date = expected_date or transfer_default_expected_date(today)
        locked.save(update_fields=["status", "dispatched_by", "dispatched_at", "expected_date"])
    return locked


def transfer_receive(*, transfer: Transfer, user: Any) -> Transfer:
    """The pairs arrived: on-hand at the destination rises (ledger: TRANSFER_IN), which
    announces the restock after commit.

    For a customer's transfer, in the same transaction, the pair is held for them (claim
    "transfer:<id>", so the restock never offers it to anyone else) and `customer_hold_placed`
    is sent with the hold and the transfer; its listener writes the customer's text and starts
    the hold's clock (`hold_start_clock`) when the text goes.

    Raises `InvalidTransition` unless the transfer is dispatched.
    """
    with transaction.atomic():
        locked = _lock_transfer(transfer)
        _require_transfer(locked, Transfer.Status.RECEIVED, Transfer.Status.DISPATCHED)
        changes = [StockChange(
            locked.to_store_id, locked.variant_id, reason=StockMovement.Reason.TRANSFER_IN,
            delta=locked.quantity, reference=_transfer_reference(locked),
        )]
        if locked.customer_phone:
            # Received and reserved in one batch: available never rises for the held pair.
            changes.append(StockChange(locked.to_store_id, locked.variant_id, reserve=1))
        stock_apply(changes=changes, user=user)
        locked.status = Transfer.Status.RECEIVED
        locked.received_by = _staff(user)
        locked.received_at = timezone.now()
        locked.save(update_fields=["status", "received_by", "received_at"])
        if locked.customer_phone:
            hold = _hold_create(
                store_id=locked.to_store_id, variant_id=locked.variant_id,
                claim=f"transfer:{locked.pk}", customer_name=locked.customer_name,
                customer_phone=locked.customer_phone, language=locked.customer_language,
            )
            customer_hold_placed.send(sender=Hold, hold=hold, transfer=locked)
    return locked


def transfer_cancel(*, transfer: Transfer, user: Any) -> Transfer:
    """Call off a requested transfer: the pairs reserved at the source go back on sale.

    A dispatched transfer is on the road and cannot be cancelled: it is received at the
    destination (and, if unwanted, sent back with a new transfer). Raises `InvalidTransition`.
    """
    with transaction.atomic():
        locked = _lock_transfer(transfer)
        if locked.status == Transfer.Status.DISPATCHED:
            raise InvalidTransition(
                _("Transfer #%(id)s has already left %(source)s: receive it at %(destination)s, "
                  "then request a transfer back if it is not wanted.")
                % {"id": locked.pk, "source": locked.from_store,
                   "destination": locked.to_store},
                current=locked.status, wanted=Transfer.Status.CANCELLED,
            )
        _require_transfer(locked, Transfer.Status.CANCELLED, Transfer.Status.REQUESTED)
        stock_apply(changes=[StockChange(locked.from_store_id, locked.variant_id,
                                         reserve=-locked.quantity)], user=user)
        locked.status = Transfer.Status.CANCELLED
        locked.cancelled_by = _staff(user)
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    return locked


def _lock_hold(hold: Hold | int) -> Hold:
    return Hold.objects.select_for_update().get(pk=pk_of(hold))


def _require_active(hold: Hold, wanted: str) -> None:
    if hold.status != Hold.Status.ACTIVE:
        raise InvalidTransition(
            _("This hold has already ended (%(status)s).")
            % {"status": hold.get_status_display().lower()},
            current=hold.status, wanted=wanted,
        )


def _hold_create(*, store_id: int, variant_id: int, claim: str, customer_name: str,
                 customer_phone: str, language: str) -> Hold:
    """Insert the hold row; the pair must already be reserved in this transaction."""
    if not claim:
        raise ValueError("A hold needs a claim.")
    try:
        with transaction.atomic():  # a savepoint: the enclosing transaction stays usable
            return Hold.objects.create(
                store_id=store_id, variant_id=variant_id, claim=claim,
                customer_name=customer_name, customer_phone=customer_phone, language=language,
            )
    except IntegrityError:
        if Hold.objects.filter(claim=claim, status=Hold.Status.ACTIVE).exists():
            raise HoldAlreadyActive(claim) from None
        raise


def _hold_end(hold: Hold, outcome: str, *, user: Any, now: datetime) -> None:
    hold.status = outcome
    hold.ended_at = now
    hold.ended_by = _staff(user)
    hold.save(update_fields=["status", "ended_at", "ended_by"])
    transaction.on_commit(partial(hold_ended.send, sender=Hold, hold=hold, outcome=outcome))


def _holds_expire(holds: Sequence[Hold], now: datetime) -> None:
    """End these locked, active holds as expired and put their pairs back on sale."""
    stock_apply(changes=[StockChange(h.store_id, h.variant_id, reserve=-1) for h in holds])
    Hold.objects.filter(pk__in=[h.pk for h in holds]).update(
        status=Hold.Status.EXPIRED, ended_at=now, ended_by=None,
    )
    for hold in holds:
        hold.status, hold.ended_at, hold.ended_by = Hold.Status.EXPIRED, now, None
        transaction.on_commit(partial(hold_ended.send, sender=Hold, hold=hold,
                                      outcome=Hold.Status.EXPIRED))


def hold_place(*, store: Any, variant: Any, claim: str, customer_name: str = "",
               customer_phone: str = "", language: str = "he") -> Hold:
    """Set one pair aside at `store` for `claim` ("waitlist:<id>", "transfer:<id>").

    The hold's clock does not run until `hold_start_clock` (when the customer is told).
    Raises `InsufficientStock` when no pair is available, `HoldAlreadyActive` when the claim
    already has an active hold (nothing is reserved then).
    """
    with transaction.atomic():
        # Reserve first: the level's lock serialises every hold placed at this size and store.
        stock_apply(changes=[_one(store, variant, reserve=1)])
        return _hold_create(store_id=pk_of(store), variant_id=pk_of(variant), claim=claim,
                            customer_name=customer_name, customer_phone=customer_phone,
                            language=language)


@dataclass(frozen=True)
class HoldRequest:
    """One hold for `hold_place_many`: what `hold_place` takes, besides the store and size."""

    claim: str
    customer_name: str = ""
    customer_phone: str = ""
    language: str = "he"


def hold_place_many(*, store: Any, variant: Any, requests: Sequence[HoldRequest]) -> list[Hold]:
    """`hold_place` for several claims at one size and store, all or none: one reservation
    and one insert however many (a restock handing 50 pairs to 50 people waiting).

    Raises `InsufficientStock` when fewer pairs are available than requests, and
    `HoldAlreadyActive` when any claim already has an active hold (nothing is reserved then).
    """
    if not requests:
        return []
    store_id, variant_id = pk_of(store), pk_of(variant)
    with transaction.atomic():
        stock_apply(changes=[_one(store_id, variant_id, reserve=len(requests))])
        try:
            with transaction.atomic():  # a savepoint: the enclosing transaction stays usable
                return Hold.objects.bulk_create([
                    Hold(store_id=store_id, variant_id=variant_id, claim=r.claim,
                         customer_name=r.customer_name, customer_phone=r.customer_phone,
                         language=r.language)
                    for r in requests
                ])
        except IntegrityError:
            active = (Hold.objects.filter(claim__in=[r.claim for r in requests],
                                          status=Hold.Status.ACTIVE)
                      .values_list("claim", flat=True).first())
            if active is not None:
                raise HoldAlreadyActive(active) from None
            raise


def hold_start_clock(*, hold: Hold, at: datetime | None = None) -> Hold:
    """Start the hold's time (the customer was just told): it runs `HOLD_DURATION` from `at`
    (now). A clock already running is left as it is, so a repeated send never extends a hold.

    Raises `InvalidTransition` for a hold that has ended.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted="clock")
        if locked.notified_at is None:
            locked.notified_at = at
            locked.expires_at = at + settings.HOLD_DURATION
            locked.save(update_fields=["notified_at", "expires_at"])
    return locked


def hold_collect(*, hold: Hold, user: Any = None) -> Hold:
    """The customer took the pair: on-hand and reserved drop by one (ledger: HOLD_COLLECTED,
    "hold #id"); `hold_ended` follows after commit.

    Raises `InvalidTransition` for a hold that has ended, and `HoldExpired` for one whose time
    ran out: that hold is expired (committed) and its pair offered to the next person waiting.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted=Hold.Status.COLLECTED)
        lapsed = locked.expires_at is not None and locked.expires_at <= now
        if lapsed:
            _holds_expire([locked], now)
        else:
            stock_apply(changes=[StockChange(
                locked.store_id, locked.variant_id, reason=StockMovement.Reason.HOLD_COLLECTED,
                delta=-1, reserve=-1, reference=f"hold #{locked.pk}",
            )], user=user)
            _hold_end(locked, Hold.Status.COLLECTED, user=user, now=now)
    if lapsed:
        raise HoldExpired(
            _("This hold ran out at %(time)s and has expired; its pair is back on offer.")
            % {"time": timezone.localtime(locked.expires_at).strftime("%d/%m/%Y %H:%M")},
            current=Hold.Status.EXPIRED, wanted=Hold.Status.COLLECTED,
        )
    return locked


def hold_release(*, hold: Hold, user: Any = None) -> Hold:
    """Give the pair back (staff, or the customer's cancel link): reserved drops by one, the
    restock is announced after commit (the next person waiting gets it), then `hold_ended`.

    Raises `InvalidTransition` for a hold that has ended.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted=Hold.Status.RELEASED)
        stock_apply(changes=[StockChange(locked.store_id, locked.variant_id, reserve=-1)],
                    user=user)
        _hold_end(locked, Hold.Status.RELEASED, user=user, now=now)
    return locked


HOLD_EXPIRY_BATCH = 500


def hold_expire_due(*, now: datetime | None = None) -> list[int]:
    """Expire every active hold whose time ran out by `now`, putting each pair back on sale
    (restock announced after commit). Returns the ids expired.

    Works in batches, one transaction each; holds another transaction has locked (being
    collected or released right now) are skipped rather than waited for.
    """
    now = now or timezone.now()
    expired: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                Hold.objects.select_for_update(skip_locked=True)
                .filter(status=Hold.Status.ACTIVE, expires_at__lte=now)
                .order_by("pk")[:HOLD_EXPIRY_BATCH]
            )
            if batch:
                _holds_expire(batch, now)
        expired.extend(hold.pk for hold in batch)
        if len(batch) < HOLD_EXPIRY_BATCH:
            return expired


def hold_expire_due_at(*, keys: Iterable[LevelKey], now: datetime | None = None) -> list[int]:
    """Expire the lapsed holds at these (store, variant) levels, inside the caller's transaction
    and before it locks the levels, so a hold whose time ran out never blocks a sale.
    `stock_apply` calls it for every change that takes stock."""
    now = now or timezone.now()
    keys = set(keys)
    if not keys:
        return []
    # No savepoint: it runs on every sale, and an error fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        holds = list(
            Hold.objects.select_for_update()
            .filter(levels_matching(keys), status=Hold.Status.ACTIVE, expires_at__lte=now)
            .order_by("pk")
        )
        if holds:
            _holds_expire(holds, now)
    return [hold.pk for hold in holds]
