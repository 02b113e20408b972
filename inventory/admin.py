"""Stores and stock in the admin.

Stock counters, the ledger, holds and transfer states change only through
`inventory.services`: the admin shows them read-only, and changes them through actions
that call those services.
"""

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import act_on_each
from core.phones import mask_phone

from . import permissions, policy, services
from .admin_shipments import ShipmentReceiveMixin
from .admin_views import CountImportMixin, TillTokenKeysMixin
from .models import (
    Hold,
    InboundShipment,
    InboundShipmentLine,
    StaffProfile,
    StockLevel,
    StockLevelQuerySet,
    StockMovement,
    Store,
    StoreHours,
    TillToken,
    Transfer,
)

User = get_user_model()


class StoreHoursInline(admin.TabularInline):
    model = StoreHours
    extra = 0
    max_num = 7
    verbose_name_plural = _("Opening hours by day (the pick-up times customers can choose)")


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name_he", "name_en", "city_he", "phone", "is_active", "is_warehouse"]
    list_display_links = ["code", "name_he", "name_en"]
    list_filter = ["is_active", "is_warehouse", "city_en"]
    search_fields = [
        "code",
        "name_he",
        "name_en",
        "city_he",
        "city_en",
        "address_he",
        "address_en",
        "phone",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name_he", "name_en", "is_active", "is_warehouse", "safety_stock"]},
        ),
        (
            _("Location"),
            {"fields": ["city_he", "city_en", "address_he", "address_en", "latitude", "longitude"]},
        ),
        (_("Contact and hours"), {"fields": ["phone", "opening_hours_he", "opening_hours_en"]}),
        (_("Pick-up"), {"fields": ["pickup_reminder", "pickup_reminder_hours"]}),
    ]
    inlines = [StoreHoursInline]


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


class ServiceManagedAdmin(admin.ModelAdmin):
    """Rows written only by inventory.services: listed and viewed, never added or edited here.

    The change permission (without an object) stays, so actions that call services remain
    available on the list; a single row's page is read-only.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


class InboundShipmentLineInline(admin.TabularInline):
    model = InboundShipmentLine
    fields = ["variant", "quantity", "received_quantity"]
    readonly_fields = ["received_quantity"]
    autocomplete_fields = ["variant"]
    extra = 0

    def _editable(self, obj: InboundShipment | None) -> bool:
        # Lines are the order: fixed once goods are on their way.
        return obj is None or obj.status == InboundShipment.Status.EXPECTED

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(InboundShipment)
class InboundShipmentAdmin(ShipmentReceiveMixin, admin.ModelAdmin):  # type: ignore[misc]
    list_display = [
        "reference",
        "supplier",
        "store",
        "expected_date",
        "status",
        "line_count",
        "pairs",
        "received_at",
    ]
    list_filter = ["status", "store", "expected_date"]
    list_select_related = ["store"]
    search_fields = ["reference", "supplier", "lines__variant__sku", "lines__variant__barcode"]
    date_hierarchy = "expected_date"
    autocomplete_fields = ["store"]
    # The status moves through services (receive, cancel), never by editing the field.
    readonly_fields = [
        "status",
        "created_at",
        "received_at",
        "received_by",
        "cancelled_at",
        "cancelled_by",
    ]
    inlines = [InboundShipmentLineInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundShipment]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                line_count=Count("lines", distinct=True),
                pairs=Sum("lines__quantity"),
            )
        )

    @admin.display(description=_("lines"), ordering="line_count")
    def line_count(self, obj: Any) -> int:
        return int(obj.line_count)

    @admin.display(description=_("pairs"), ordering="pairs")
    def pairs(self, obj: Any) -> int:
        return int(obj.pairs or 0)


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "variant",
        "sku",
        "from_store",
        "to_store",
        "quantity",
        "status",
        "customer_name",
        "requested_at",
        "expected_date",
    ]
    list_display_links = ["id", "variant"]
    list_filter = ["status", "from_store", "to_store"]
    list_select_related = ["variant__product", "from_store", "to_store"]
    search_fields = [
        "id",
        "variant__sku",
        "variant__barcode",
        "variant__product__name",
        "customer_name",
    ]
    date_hierarchy = "requested_at"
    # A transfer is requested and moved on through services (they reserve and move stock);
    # here only its note and expected date can be corrected.
    readonly_fields = [
        "variant",
        "from_store",
        "to_store",
        "quantity",
        "status",
        "customer_name",
        "customer_phone",
        "customer_language",
        "requested_by",
        "requested_at",
        "dispatched_by",
        "dispatched_at",
        "received_by",
        "received_at",
        "cancelled_by",
        "cancelled_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "variant",
                    "from_store",
                    "to_store",
                    "quantity",
                    "status",
                    "expected_date",
                    "note",
                ]
            },
        ),
        (_("Customer"), {"fields": ["customer_name", "customer_phone", "customer_language"]}),
        (
            _("History"),
            {
                "fields": [
                    "requested_by",
                    "requested_at",
                    "dispatched_by",
                    "dispatched_at",
                    "received_by",
                    "received_at",
                    "cancelled_by",
                    "cancelled_at",
                ]
            },
        ),
    ]

    actions = ["dispatch_transfers", "receive_transfers", "cancel_transfers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transfer]:
        # Staff see their own store's transfers and their own requests; head office sees all.
        return permissions.visible_transfers(request.user, super().get_queryset(request))

    # Which actions are offered; each transfer is checked again against its stores.
    def has_dispatch_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inventory.dispatch_transfer")

    def has_receive_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inventory.receive_transfer")

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inventory.add_transfer") or request.user.has_perm(
            "inventory.change_transfer"
        )

    @admin.action(
        description=_("Dispatch: the pairs left the source store"), permissions=["dispatch"]
    )
    def dispatch_transfers(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        act_on_each(
            request,
            queryset,
            allowed=permissions.can_dispatch_transfer,
            refusal=_("%(object)s: only the staff of the source store can dispatch it."),
            act=lambda t: services.transfer_dispatch(transfer=t, user=request.user),
            done=lambda n: ngettext(
                "%(count)d transfer dispatched.", "%(count)d transfers dispatched.", n
            ),
        )

    @admin.action(
        description=_("Receive: the pairs arrived at the destination"), permissions=["receive"]
    )
    def receive_transfers(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        act_on_each(
            request,
            queryset,
            allowed=permissions.can_receive_transfer,
            refusal=_("%(object)s: only the staff of the destination store can receive it."),
            act=lambda t: services.transfer_receive(transfer=t, user=request.user),
            done=lambda n: ngettext(
                "%(count)d transfer received.", "%(count)d transfers received.", n
            ),
        )

    @admin.action(description=_("Cancel requested transfers"), permissions=["cancel"])
    def cancel_transfers(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        act_on_each(
            request,
            queryset,
            allowed=permissions.can_cancel_transfer,
            refusal=_(
                "%(object)s: only whoever requested it or a manager of one of its "
                "stores can cancel it."
            ),
            act=lambda t: services.transfer_cancel(transfer=t, user=request.user),
            done=lambda n: ngettext(
                "%(count)d transfer cancelled.", "%(count)d transfers cancelled.", n
            ),
        )

    @admin.display(description=_("SKU"), ordering="variant__sku")
    def sku(self, obj: Transfer) -> str:
        return obj.variant.sku


@admin.register(Hold)
class HoldAdmin(ServiceManagedAdmin):
    list_display = [
        "id",
        "store",
        "variant",
        "customer_name",
        "status",
        "notified_at",
        "expires_at",
        "pickup_at",
        "ended_at",
    ]
    list_display_links = ["id", "variant"]
    list_filter = ["status", "purpose", "store", "expires_at"]
    list_select_related = ["store", "variant__product"]
    search_fields = ["variant__sku", "variant__barcode", "customer_name"]
    date_hierarchy = "created_at"
    actions = ["collect_holds", "release_holds"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Hold]:
        # Staff see their own store's holds; head office sees every store's.
        return permissions.visible_holds(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "masked_customer_phone"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The number in full only for staff of the store that will call the customer.
        reveal = obj is not None and permissions.can_see_customer_phone(request.user, obj.store_id)
        fields = [f for f in super().get_fields(request, obj) if f != "masked_customer_phone"]
        return (
            fields
            if reveal
            else ["masked_customer_phone" if f == "customer_phone" else f for f in fields]
        )

    @admin.display(description=_("customer mobile"))
    def masked_customer_phone(self, obj: Hold) -> str:
        return mask_phone(obj.customer_phone)

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inventory.manage_holds")

    @admin.action(
        description=_("Mark collected: the customer took the pair"), permissions=["manage"]
    )
    def collect_holds(self, request: HttpRequest, queryset: QuerySet[Hold]) -> None:
        act_on_each(
            request,
            queryset,
            allowed=lambda user, hold: permissions.can_manage_holds(user, hold.store_id),
            refusal=_("%(object)s: only a manager of its store can end this hold."),
            act=lambda h: services.hold_collect(hold=h, user=request.user),
            done=lambda n: ngettext("%(count)d hold collected.", "%(count)d holds collected.", n),
        )

    @admin.action(description=_("Release: put the pair back on offer"), permissions=["manage"])
    def release_holds(self, request: HttpRequest, queryset: QuerySet[Hold]) -> None:
        act_on_each(
            request,
            queryset,
            allowed=lambda user, hold: permissions.can_manage_holds(user, hold.store_id),
            refusal=_("%(object)s: only a manager of its store can end this hold."),
            act=lambda h: services.hold_release(hold=h, user=request.user),
            done=lambda n: ngettext("%(count)d hold released.", "%(count)d holds released.", n),
        )


@admin.register(TillToken)
class TillTokenAdmin(TillTokenKeysMixin, admin.ModelAdmin):
    list_display = ["prefix", "name", "store", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["store", "revoked_at"]
    list_select_related = ["store"]
    search_fields = ["prefix", "name", "store__code", "store__name_en", "store__name_he"]
    # The secret is shown once when a token is made (TillTokenKeysMixin); only its hash is kept.
    readonly_fields = ["store", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: the ledger keeps pointing at the till that wrote each line.
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "home_store"]
    list_filter = ["home_store"]
    list_select_related = ["user", "home_store"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "home_store__code",
        "home_store__name_en",
        "home_store__name_he",
    ]
    autocomplete_fields = ["user", "home_store"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ["home_store"]
    verbose_name_plural = _("home store")


# The project keeps Django's user model; staff get their home store inline.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffProfileInline]  # Django's UserAdmin has none of its own
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "home_store"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "staff_profile__home_store"]
    list_select_related = ["staff_profile__home_store"]

    @admin.display(description=_("home store"), ordering="staff_profile__home_store__name_en")
    def home_store(self, obj: Any) -> str:
        profile = getattr(obj, "staff_profile", None)
        return str(profile.home_store) if profile else "—"
