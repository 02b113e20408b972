"""Reads of stock shared by pages, the API and the admin, with their prefetching; callers
import from here.

- `finder` — the staff stock finder;
- `availability` — one size at every store (the till API), a store's stock, and what
  customers see (shops with pairs, arrival dates);
- `desks` — the transfer queues and the holds desk;
- `sources` — where a pair for a customer's store could come from, and by when.
- `pickup` — the pick-up slots a held pair's customer can choose.
- `hours` — when a store is open on a date (holidays, eves and its own dates counted).
"""

from .availability import (
    ShopAvailability,
    SizeAvailability,
    StoreAvailability,
    customer_stores,
    product_availability,
    products_in_stock,
    products_with_stock_flag,
    stock_for_sale,
    store_stock,
    variant_availability,
)
from .desks import (
    HOLDS_ENDED_SHOWN,
    TRANSFER_RELATED,
    holds_active,
    holds_ended_since,
    transfer_customer_hold,
    transfer_history,
    transfer_queue_counts,
    transfers_awaiting_approval,
    transfers_on_the_way,
    transfers_requested_to,
    transfers_to_dispatch,
    transfers_with_people,
)
from .finder import (
    FINDER_MAX_PRODUCTS,
    FINDER_PAGE_SIZE,
    FinderCell,
    FinderProduct,
    FinderResult,
    FinderRow,
    FinderSizeSummary,
    FinderStore,
    finder_stores,
    stock_finder,
    stock_finder_product,
)
from .hours import (
    DayHours,
    StoreOtherHours,
    opening_hours_between,
    opening_hours_on,
    stores_other_hours,
    upcoming_other_hours,
    with_hours_between,
)
from .pickup import (
    PickupDay,
    PickupSlot,
    pickup_slot_at,
    pickup_slots,
    slot_value,
    store_day_slots,
)
from .sources import (
    TransferSource,
    product_bring_dates,
    transfer_sources,
)

__all__ = [
    "FINDER_MAX_PRODUCTS",
    "FINDER_PAGE_SIZE",
    "HOLDS_ENDED_SHOWN",
    "TRANSFER_RELATED",
    "FinderCell",
    "FinderProduct",
    "FinderResult",
    "FinderRow",
    "FinderSizeSummary",
    "FinderStore",
    "DayHours",
    "PickupDay",
    "PickupSlot",
    "ShopAvailability",
    "StoreOtherHours",
    "TransferSource",
    "SizeAvailability",
    "StoreAvailability",
    "customer_stores",
    "finder_stores",
    "holds_active",
    "opening_hours_between",
    "opening_hours_on",
    "stores_other_hours",
    "upcoming_other_hours",
    "with_hours_between",
    "holds_ended_since",
    "product_availability",
    "pickup_slot_at",
    "pickup_slots",
    "products_in_stock",
    "product_bring_dates",
    "products_with_stock_flag",
    "stock_for_sale",
    "stock_finder",
    "slot_value",
    "store_day_slots",
    "stock_finder_product",
    "store_stock",
    "transfer_customer_hold",
    "transfer_history",
    "transfer_queue_counts",
    "transfer_sources",
    "transfers_awaiting_approval",
    "transfers_on_the_way",
    "transfers_requested_to",
    "transfers_to_dispatch",
    "transfers_with_people",
    "variant_availability",
]
