"""The stock side of the business, one module a family; import the models from here."""

from .shipments import InboundShipment, InboundShipmentLine
from .stock import SizeStock, StockLevel, StockLevelQuerySet, StockMovement, TillToken
from .stores import StaffProfile, Store, StoreHours, StoreQuerySet, StoreSpecialHours
from .transfers import Hold, Transfer

__all__ = [
    "Hold",
    "InboundShipment",
    "InboundShipmentLine",
    "SizeStock",
    "StaffProfile",
    "StockLevel",
    "StockLevelQuerySet",
    "StockMovement",
    "Store",
    "StoreHours",
    "StoreQuerySet",
    "StoreSpecialHours",
    "TillToken",
    "Transfer",
]
