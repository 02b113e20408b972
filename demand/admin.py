"""Staff views of customers' requests: waitlists and suggested transfers.

Numbers are masked, with a link to see one in full for staff allowed to (the messaging layer's
`AlertsAdmin`); rows change only through services (actions).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from core.admin import act_on_each
from notifications.admin import AlertsAdmin

from . import services
from .models import Launch, LaunchAllocation, LaunchEntry, TransferSuggestion, WaitlistEntry


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


class LaunchAllocationInline(admin.TabularInline):
    """Pairs change through the staff page (they are reserved in stock), not here."""

    model = LaunchAllocation
    fields = ["store", "variant", "pairs", "reserved", "drawn_at"]
    readonly_fields = ["store", "variant", "pairs", "reserved", "drawn_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Launch)
class LaunchAdmin(admin.ModelAdmin):
    """Head office edits a launch's times and pick-up window here; it is created, and its pairs
    set, on the staff page (/staff/launches/), where stock is reserved for it."""

    list_display = ["id", "product", "opens_at", "closes_at", "draw_at", "status"]
    list_filter = ["status"]
    list_select_related = ["product"]
    search_fields = ["product__name", "product__style_code"]
    date_hierarchy = "draw_at"
    fields = [
        "product",
        "opens_at",
        "closes_at",
        "draw_at",
        "pickup_hours",
        "status",
        "commitment",
        "seed_published_at",
        "drawn_at",
    ]
    readonly_fields = ["product", "status", "commitment", "seed_published_at", "drawn_at"]
    inlines = [LaunchAllocationInline]
    actions = ["cancel_launches"]

    @admin.action(
        description=gettext_lazy("Cancel before the draw (its pairs go back on sale)"),
        permissions=["change"],
    )
    def cancel_launches(self, request: HttpRequest, queryset: QuerySet[Launch]) -> None:
        act_on_each(
            request,
            queryset,
            act=lambda launch: services.launch_cancel(launch=launch, user=request.user),
            done=lambda count: ngettext(
                "%(count)d launch draw cancelled.", "%(count)d launch draws cancelled.", count
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == Launch.Status.SCHEDULED)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LaunchEntry)
class LaunchEntryAdmin(AlertsAdmin):
    """Numbers masked, a full one only through the reveal page (recorded); an entry whose
    number was erased shows none."""

    reveal_kind = "launchentry"

    def reveal_stores(self, obj: LaunchEntry) -> tuple[int, ...]:
        return (obj.store_id,)

    def _phone_column(self, request: HttpRequest) -> Callable[[Any], str]:
        column = super()._phone_column(request)

        @admin.display(description=gettext_lazy("mobile"))
        def phone(obj: LaunchEntry) -> str:
            return "—" if obj.erased else column(obj)

        return phone

    list_display = ["public_id", "phone_display", "launch", "store", "variant", "status", "rank"]
    list_filter = ["status", "launch", "store"]
    list_select_related = ["launch__product", "store", "variant__product"]
    search_fields = ["public_id", "client_key"]
    phone_search_fields = ["=phone"]
    fields = [
        "public_id",
        "phone",
        "launch",
        "store",
        "variant",
        "language",
        "result_text",
        "client_key",
        "status",
        "rank",
        "hold",
        "note",
        "created_at",
    ]
    # Every field: entries change only by the action.
    readonly_fields = fields  # type: ignore[assignment]
    actions = ["disqualify"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Take out of the draw (before it)"), permissions=["change"]
    )
    def disqualify(self, request: HttpRequest, queryset: QuerySet[LaunchEntry]) -> None:
        act_on_each(
            request,
            queryset,
            act=lambda entry: services.launch_entry_disqualify(
                entry=entry, note="admin", user=request.user
            ),
            done=lambda count: ngettext(
                "%(count)d entry taken out of the draw.",
                "%(count)d entries taken out of the draw.",
                count,
            ),
        )
