"""Holds for customers in the admin: collected or released by actions that call the services;
the customer's number in full only for the staff of the hold's store."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import act_on_each
from core.phones import mask_phone

from .. import permissions, services
from ..models import Hold
from .base import ServiceManagedAdmin


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
