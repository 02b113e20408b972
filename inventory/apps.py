from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Stock and stores")

    def ready(self) -> None:
        from core.versions import CATALOG, bump_on_save, stock_of

        from .models import (
            InboundShipment,
            InboundShipmentLine,
            Store,
            StoreHours,
            StoreSpecialHours,
            Transfer,
        )

        # What pages show of stores, arrivals and transfers is new on the next page served
        # (see core.versions); stock numbers are bumped where they are written (levels_write).
        bump_on_save(Store, StoreHours, StoreSpecialHours, names=lambda row: [CATALOG])
        bump_on_save(Transfer, InboundShipmentLine, names=lambda row: [stock_of(row.variant_id)])  # type: ignore[attr-defined]
        bump_on_save(
            InboundShipment,
            names=lambda shipment: [
                stock_of(variant_id)
                for variant_id in shipment.lines.values_list("variant_id", flat=True)  # type: ignore[attr-defined]
            ],
        )

        from core import privacy

        from .privacy import StockData, hold_number, transfer_number

        privacy.register("inventory", StockData())
        privacy.register_revealable("hold", hold_number)
        privacy.register_revealable("transfer", transfer_number)
