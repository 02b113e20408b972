"""Stock levels (with the count upload) and the stock ledger in the admin: both read-only,
written only by the services."""

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import StockLevel, StockLevelQuerySet, StockMovement
from .base import ServiceManagedAdmin
from .views import CountImportMixin


class AvailabilityFilter(admin.SimpleListFilter):
    title = _("availability")
    parameter_name = "availability"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("out", _("Available 0")),
            ("low", _("Available 1–2")),
            ("in", _("Available")),
            ("reserved", _("Has reserved pairs")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        available = policy.available_expression()
        match self.value():
            case "out":
                return queryset.alias(avail=available).filter(avail__lte=0)
            case "low":
                return queryset.alias(avail=available).filter(avail__gte=1, avail__lte=2)
            case "in":
                return queryset.alias(avail=available).filter(avail__gt=0)
            case "reserved":
                return queryset.filter(reserved__gt=0)
        return queryset


@admin.register(StockLevel)
class StockLevelAdmin(CountImportMixin, ServiceManagedAdmin):
    list_display = [
        "store",
        "product",
        "size",
        "sku",
        "on_hand",
        "reserved",
        "available",
        "updated_at",
    ]
    list_filter = [
        AvailabilityFilter,
        "store",
        "variant__product__brand",
        "variant__product__category",
    ]
    list_select_related = ["store", "variant__product__brand"]
    search_fields = [
        "variant__sku",
        "variant__barcode",
        "variant__product__name",
        "variant__product__style_code",
        "store__code",
        "store__name_he",
        "store__name_en",
    ]
    ordering = [
        "store__is_warehouse",
        "store__name_en",
        "variant__product__name",
        "variant__eu_size",
    ]
    readonly_fields = ["store", "variant", "on_hand", "reserved", "available", "updated_at"]
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[StockLevel]:
        return cast(StockLevelQuerySet, super().get_queryset(request)).with_available()

    @admin.display(description=_("product"), ordering="variant__product__name")
    def product(self, obj: StockLevel) -> str:
        return f"{obj.variant.product.brand} {obj.variant.product.name}"

    @admin.display(description=_("size"), ordering="variant__eu_size")
    def size(self, obj: StockLevel) -> str:
        return obj.variant.size_label

    @admin.display(description=_("SKU"), ordering="variant__sku")
    def sku(self, obj: StockLevel) -> str:
        return obj.variant.sku

    @admin.display(description=_("available"), ordering="available_qty")
    def available(self, obj: StockLevel) -> int:
        return obj.available


@admin.register(StockMovement)
class StockMovementAdmin(ServiceManagedAdmin):
    """The ledger: nobody adds, edits or deletes a line."""

    list_display = [
        "created_at",
        "store",
        "variant",
        "sku",
        "delta",
        "on_hand_after",
        "reason",
        "reference",
        "user",
        "till",
    ]
    list_filter = ["reason", "store", "created_at"]
    list_select_related = ["store", "variant__product", "user", "till__store"]
    search_fields = ["variant__sku", "variant__barcode", "reference", "external_reference"]
    date_hierarchy = "created_at"
    list_per_page = 100

    @admin.display(description=_("SKU"), ordering="variant__sku")
    def sku(self, obj: StockMovement) -> str:
        return obj.variant.sku
