"""Transfers between stores in the admin: moved on by actions that call the services."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import act_on_each

from .. import permissions, services
from ..models import Transfer
from .base import masked_with_reveal


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
        "customer_mobile",
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
        (_("Customer"), {"fields": ["customer_name", "customer_mobile", "customer_language"]}),
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

    @admin.display(description=_("customer mobile"))
    def customer_mobile(self, obj: Transfer) -> str:
        """Masked for everyone, with the page that shows it once the staff member says why
        (which refuses those not of either store)."""
        return masked_with_reveal(None, obj.customer_phone, kind="transfer", pk=obj.pk)

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
