"""Why a stock write was refused: domain errors with data, turned into a message by the view,
the API or the admin. Every one extends `StockError` (a `core.errors.DomainError`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError


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
            _(
                "%(store)s, %(product)s size %(size)s (%(sku)s): %(requested)d requested, "
                "%(available)d available, %(missing)d short"
            )
            % {
                "store": s.store_name,
                "product": s.product_name,
                "size": s.size_label,
                "sku": s.sku,
                "requested": s.requested,
                "available": s.available,
                "missing": s.missing,
            }
            for s in self.shortfalls
        ]
        super().__init__(
            _("Not enough stock. ") + "; ".join(parts),
            line=self.shortfalls[0].line if self.shortfalls else None,
        )


class InvalidQuantity(StockError):
    pass


class InvalidReceipt(InvalidQuantity):
    """Quantities entered for a shipment's lines that cannot be received, by line id."""

    def __init__(self, errors: dict[int | None, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class InvalidTransition(StockError):
    """A shipment, transfer or hold was asked for a step its current status does not allow."""

    def __init__(self, message: str, *, current: str, wanted: str) -> None:
        super().__init__(message)
        self.current = current
        self.wanted = wanted


class HoldExpired(InvalidTransition):
    """The hold's time ran out before the step was asked for; it is now expired."""


class InvalidTransfer(StockError):
    """A transfer request that cannot be made as asked (same store, an inactive store...)."""


class NoTransferSource(InvalidTransfer):
    """No other store has a pair of this size to spare for a customer's store any more."""


class InvalidHold(StockError):
    """A hold a customer asked for that cannot be placed as asked (a closed store...)."""


class HoldAlreadyActive(StockError):
    """What the hold is for (a transfer, a customer's request) already has a pair held for it:
    `purpose`, with `transfer_id` for a transfer."""

    def __init__(
        self,
        *,
        purpose: str,
        held_for: str,
        transfer_id: int | None = None,
    ) -> None:
        super().__init__(
            _("A pair is already held for this customer (%(held_for)s).") % {"held_for": held_for},
            purpose=purpose,
            transfer_id=transfer_id,
        )
        self.purpose = purpose
        self.transfer_id = transfer_id


class InvalidPickup(StockError):
    """A pick-up time or extension the hold cannot have (outside the store's hours, in the
    past, after the hold runs out, a second extension)."""
