"""Every write to stock, one job a module; callers import from here.

- `stock` — `StockChange` and `stock_apply`, the one write of stock levels and the ledger, with
  its one-line forms (`stock_receive`, `stock_sell`, ...);
- `locks` — the one lock order (lapsed holds, then levels by primary key): `stock_lock`;
- `shipments` — supplier shipments, `transfers` — moves between stores (and customers' own
  requests), `holds` — pairs set aside for customers;
- errors live in `inventory.errors` and are re-exported here.
"""

from ..errors import (
    HoldAlreadyActive,
    HoldExpired,
    InsufficientStock,
    InvalidHold,
    InvalidPickup,
    InvalidQuantity,
    InvalidReceipt,
    InvalidTransfer,
    InvalidTransition,
    NoTransferSource,
    Shortfall,
    StockError,
)
from .customer_transfers import (
    transfer_approve,
    transfer_cancel_by_customer,
    transfer_decline,
    transfer_request_for_customer,
)
from .holds import (
    HOLD_EXPIRY_BATCH,
    HoldRequest,
    hold_collect,
    hold_duration,
    hold_ends_at,
    hold_expire_due,
    hold_for_customer,
    hold_place,
    hold_place_many,
    hold_release,
    hold_start_clock,
    hold_text_read,
    holds_insert_reserved,
)
from .locks import StockLock, stock_lock
from .pickup import hold_extend, hold_plan_pickup
from .shipments import (
    shipment_cancel,
    shipment_create,
    shipment_mark_in_transit,
    shipment_receive,
)
from .size_stock import size_stock_from_levels, size_stock_rebuild
from .stock import (
    StockChange,
    stock_adjust,
    stock_apply,
    stock_count,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_return,
    stock_sell,
)
from .transfers import (
    transfer_cancel,
    transfer_default_expected_date,
    transfer_dispatch,
    transfer_receive,
    transfer_request,
)

__all__ = [
    "size_stock_from_levels",
    "size_stock_rebuild",
    "HOLD_EXPIRY_BATCH",
    "HoldAlreadyActive",
    "HoldExpired",
    "HoldRequest",
    "InsufficientStock",
    "InvalidPickup",
    "InvalidQuantity",
    "InvalidReceipt",
    "InvalidTransfer",
    "InvalidHold",
    "InvalidTransition",
    "NoTransferSource",
    "Shortfall",
    "StockChange",
    "StockError",
    "StockLock",
    "hold_collect",
    "hold_duration",
    "hold_ends_at",
    "hold_expire_due",
    "hold_for_customer",
    "hold_extend",
    "hold_place",
    "hold_place_many",
    "hold_plan_pickup",
    "hold_release",
    "hold_start_clock",
    "hold_text_read",
    "holds_insert_reserved",
    "shipment_cancel",
    "shipment_create",
    "shipment_mark_in_transit",
    "shipment_receive",
    "stock_adjust",
    "stock_apply",
    "stock_count",
    "stock_lock",
    "stock_receive",
    "stock_release",
    "stock_reserve",
    "stock_return",
    "stock_sell",
    "transfer_approve",
    "transfer_cancel",
    "transfer_cancel_by_customer",
    "transfer_decline",
    "transfer_default_expected_date",
    "transfer_dispatch",
    "transfer_receive",
    "transfer_request",
    "transfer_request_for_customer",
]
