"""Staff views of customers' requests: waitlists and suggested transfers.

Numbers are masked, with a link to see one in full for staff allowed to (the messaging layer's
`AlertsAdmin`); rows change only through services (actions).
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from core.admin import act_on_each
from notifications.admin import AlertsAdmin

from . import services
from .models import TransferSuggestion, WaitlistEntry


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(AlertsAdmin):
    reveal_kind = "entry"

    def reveal_stores(self, obj: WaitlistEntry) -> tuple[int, ...]:
        return (obj.store_id,)

    list_display = [
        "id",
        "phone_display",
        "product",
        "size",
        "store",
        "status",
        "language",
        "created_at",
        "hold",
    ]
    list_display_links = ["id", "product"]
    list_filter = ["status", "language", "store"]
    list_select_related = ["variant__product", "store", "hold"]
    search_fields = [
        "variant__sku",
        "variant__barcode",
        "variant__product__name",
        "variant__product__style_code",
    ]
    phone_search_fields = ["=phone"]
    date_hierarchy = "created_at"
    fields = [
        "phone",
        "variant",
        "store",
        "language",
        "status",
        "hold",
        "transfer",
        "created_at",
        "activated_at",
        "ended_at",
    ]
    actions = ["cancel_entries"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("model"), ordering="variant__product__name")
    def product(self, obj: WaitlistEntry) -> str:
        return obj.variant.product.name

    @admin.display(description=gettext_lazy("size"), ordering="variant__eu_size")
    def size(self, obj: WaitlistEntry) -> str:
        return obj.variant.size_label

    @admin.action(
        description=gettext_lazy(
            "Cancel: no more texts about it (a held pair is released to the next person)"
        ),
        permissions=["change"],
    )
    def cancel_entries(self, request: HttpRequest, queryset: QuerySet[WaitlistEntry]) -> None:
        act_on_each(
            request,
            queryset,
            act=lambda entry: services.waitlist_cancel(entry=entry),
            done=lambda count: ngettext(
                "%(count)d alert cancelled.", "%(count)d alerts cancelled.", count
            ),
        )


@admin.register(TransferSuggestion)
class TransferSuggestionAdmin(admin.ModelAdmin):
    """A record of what was suggested and decided: managers decide in the transfer queue."""

    list_display = [
        "id",
        "variant",
        "from_store",
        "to_store",
        "status",
        "distance_km",
        "oldest_wait_since",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "to_store", "from_store"]
    list_select_related = ["variant__product", "from_store", "to_store", "decided_by"]
    search_fields = ["variant__sku", "variant__product__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "variant",
        "from_store",
        "to_store",
        "status",
        "distance_km",
        "oldest_wait_since",
        "created_at",
        "decided_at",
        "decided_by",
        "snoozed_until",
        "transfers",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
