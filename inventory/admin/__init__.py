"""Stores and stock in the admin.

Stock counters, the ledger, holds and transfer states change only through
`inventory.services`: the admin shows them read-only, and changes them through actions
that call those services. One module per family of pages; importing them registers them.
"""

from . import holds, shipments, staff, stock, stores, transfers
from .base import ServiceManagedAdmin
from .holds import HoldAdmin
from .shipments import InboundShipmentAdmin, InboundShipmentLineInline
from .staff import StaffProfileAdmin, StaffProfileInline, UserAdmin
from .stock import AvailabilityFilter, StockLevelAdmin, StockMovementAdmin
from .stores import StoreAdmin, StoreHoursInline, StoreSpecialHoursInline, TillTokenAdmin
from .transfers import TransferAdmin

__all__ = [
    "AvailabilityFilter",
    "HoldAdmin",
    "InboundShipmentAdmin",
    "InboundShipmentLineInline",
    "ServiceManagedAdmin",
    "StaffProfileAdmin",
    "StaffProfileInline",
    "StockLevelAdmin",
    "StockMovementAdmin",
    "StoreAdmin",
    "StoreHoursInline",
    "StoreSpecialHoursInline",
    "TillTokenAdmin",
    "TransferAdmin",
    "UserAdmin",
    "holds",
    "shipments",
    "staff",
    "stock",
    "stores",
    "transfers",
]
