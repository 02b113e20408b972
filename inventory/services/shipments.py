"""Inbound shipments from suppliers: expected → in transit → received, or cancelled while
still open. Receiving may happen in several goes (some lines, part of a line); the shipment is
received once nothing is outstanding. Pairs enter stock through `stock_apply`.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from catalog.models import Variant
from core.ids import pk_of
from core.users import Actor
from core.versions import bump, stock_of

from ..errors import InvalidQuantity, InvalidReceipt, InvalidTransition, StockError
from ..models import InboundShipment, InboundShipmentLine, StockMovement, Store
from .stock import StockChange, positive, staff_or_none, stock_apply

_SHIPMENT_NEXT: dict[str, set[str]] = {
    InboundShipment.Status.EXPECTED: {
        InboundShipment.Status.IN_TRANSIT,
        InboundShipment.Status.RECEIVED,
        InboundShipment.Status.CANCELLED,
    },
    InboundShipment.Status.IN_TRANSIT: {
        InboundShipment.Status.RECEIVED,
        InboundShipment.Status.CANCELLED,
    },
    InboundShipment.Status.RECEIVED: set(),
    InboundShipment.Status.CANCELLED: set(),
}

# One whole sentence per refused step, so each reads naturally once translated.
_SHIPMENT_REFUSAL: dict[str, Any] = {
    InboundShipment.Status.IN_TRANSIT: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be marked in transit."
    ),
    InboundShipment.Status.RECEIVED: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be received."
    ),
    InboundShipment.Status.CANCELLED: _lazy(
        "Shipment %(reference)s is %(status)s: it cannot be cancelled."
    ),
}

# What a step changes on the caller's copy of the shipment.
_REFRESHED = (
    "status",
    "expected_date",
    "received_at",
    "received_by_id",
    "cancelled_at",
    "cancelled_by_id",
)


def _shipment_locked(shipment: InboundShipment, target: str) -> InboundShipment:
    """Lock the shipment row and check it may move to `target` (a fresh copy is returned)."""
    locked = InboundShipment.objects.select_for_update().get(pk=shipment.pk)
    if target not in _SHIPMENT_NEXT[locked.status]:
        raise InvalidTransition(
            str(_SHIPMENT_REFUSAL[target])
            % {"reference": locked.reference, "status": locked.get_status_display().lower()},
            current=locked.status,
            wanted=target,
        )
    return locked


def _refresh(target: InboundShipment, source: InboundShipment) -> None:
    for name in _REFRESHED:
        setattr(target, name, getattr(source, name))


def shipment_create(
    *,
    reference: str,
    store: Store | int,
    expected_date: date,
    lines: Sequence[tuple[Variant | int, int]],
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
        quantities[variant_id] = positive(quantity)
    with transaction.atomic():
        if InboundShipment.objects.filter(reference=reference).exists():
            raise StockError(
                _("A shipment with reference %(reference)s already exists.")
                % {"reference": reference}
            )
        shipment = InboundShipment.objects.create(
            reference=reference,
            store_id=pk_of(store),
            expected_date=expected_date,
            supplier=supplier,
        )
        InboundShipmentLine.objects.bulk_create(
            InboundShipmentLine(shipment=shipment, variant_id=variant_id, quantity=quantity)
            for variant_id, quantity in quantities.items()
        )
        bump(stock_of(variant_id) for variant_id in quantities)  # bulk_create sends no signal
    return shipment


def shipment_mark_in_transit(
    *, shipment: InboundShipment, expected_date: date | None = None
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
    *, shipment: InboundShipment, quantities: dict[int, int] | None = None, user: Actor = None
) -> list[StockMovement]:
    """Put arrived pairs into stock at the shipment's store, in the ledger as receipts (by
    `user`, who is recorded as having received the shipment once nothing is outstanding).

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
        lines = list(
            locked.lines.select_for_update().select_related("variant__product").order_by("pk")
        )
        wanted = _receipt_quantities(locked, lines, quantities)
        by_id = {line.pk: line for line in lines}
        movements = stock_apply(
            changes=[
                StockChange(
                    store_id=locked.store_id,
                    variant_id=by_id[line_id].variant_id,
                    reason=StockMovement.Reason.RECEIPT,
                    delta=quantity,
                    reference=locked.reference,
                )
                for line_id, quantity in sorted(wanted.items())
            ],
            user=user,
        )
        for line_id, quantity in wanted.items():
            InboundShipmentLine.objects.filter(pk=line_id).update(
                received_quantity=F("received_quantity") + quantity
            )
        _after_receipt(locked, lines, wanted, user=user)
    _refresh(shipment, locked)
    return movements


def _receipt_quantities(
    shipment: InboundShipment,
    lines: Sequence[InboundShipmentLine],
    quantities: dict[int, int] | None,
) -> dict[int, int]:
    """The pairs to receive now by line id (none of them 0), or `InvalidReceipt`."""
    if quantities is None:
        wanted = {line.pk: line.outstanding for line in lines}
    else:
        errors = _receipt_errors(shipment, {line.pk: line for line in lines}, quantities)
        if errors:
            raise InvalidReceipt(errors)
        wanted = dict(quantities)
    wanted = {line_id: quantity for line_id, quantity in wanted.items() if quantity > 0}
    if not wanted:
        raise InvalidReceipt({None: _("Nothing to receive: enter at least one pair.")})
    return wanted


def _receipt_errors(
    shipment: InboundShipment, by_id: dict[int, InboundShipmentLine], quantities: dict[int, int]
) -> dict[int | None, str]:
    errors: dict[int | None, str] = {}
    for line_id in quantities:
        if line_id not in by_id:
            errors[line_id] = _("Line %(line)s is not part of shipment %(reference)s.") % {
                "line": line_id,
                "reference": shipment.reference,
            }
    for line_id, quantity in quantities.items():
        line = by_id.get(line_id)
        if line is None:
            continue
        name = _("%(product)s size %(size)s (%(sku)s)") % {
            "product": line.variant.product.name,
            "size": line.variant.size_label,
            "sku": line.variant.sku,
        }
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            errors[line_id] = _("%(line)s: enter a whole number of pairs, 0 or more.") % {
                "line": name
            }
        elif quantity > line.outstanding:
            errors[line_id] = _(
                "%(line)s: %(entered)d entered but only %(outstanding)d of "
                "%(ordered)d still expected."
            ) % {
                "line": name,
                "entered": quantity,
                "outstanding": line.outstanding,
                "ordered": line.quantity,
            }
    return errors


def _after_receipt(
    shipment: InboundShipment,
    lines: Sequence[InboundShipmentLine],
    received: dict[int, int],
    *,
    user: Actor,
) -> None:
    """Close the shipment once nothing is outstanding; otherwise the rest is on its way."""
    if all(line.outstanding <= received.get(line.pk, 0) for line in lines):
        shipment.status = InboundShipment.Status.RECEIVED
        shipment.received_at = timezone.now()
        shipment.received_by = staff_or_none(user)
        shipment.save(update_fields=["status", "received_at", "received_by"])
    elif shipment.status == InboundShipment.Status.EXPECTED:
        # Part of it is here, so the rest is on its way: the order lines are now fixed.
        shipment.status = InboundShipment.Status.IN_TRANSIT
        shipment.save(update_fields=["status"])


def shipment_cancel(*, shipment: InboundShipment, user: Actor = None) -> InboundShipment:
    """The supplier will not send it (or the rest of it): closes an open shipment, recording
    who did it (`user`, when signed in) and when.

    Pairs already received stay in stock; its arrival date stops being shown. Raises
    `InvalidTransition` for a shipment already received or cancelled.
    """
    with transaction.atomic():
        locked = _shipment_locked(shipment, InboundShipment.Status.CANCELLED)
        locked.status = InboundShipment.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = staff_or_none(user)
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    _refresh(shipment, locked)
    return shipment
