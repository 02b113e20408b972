"""Holds for customers in the admin: collected or released by actions that call the services;
the customer's number masked, shown in full (with a reason, recorded) to the staff of the
hold's store."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import act_on_each

from .. import permissions, services
from ..models import Hold
from .base import ServiceManagedAdmin, masked_with_reveal


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
        return [*super().get_readonly_fields(request, obj), self._phone_column(request)]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Masked for everyone; staff who call the customer follow its "show" link.
        column = self._phone_column(request)
        return [column if f == "customer_phone" else f for f in super().get_fields(request, obj)]

    def _phone_column(self, request: HttpRequest) -> Callable[[Hold], str]:
        @admin.display(description=_("customer mobile"))
        def customer_mobile(obj: Hold) -> str:
            return masked_with_reveal(
                request, obj.customer_phone, kind="hold", pk=obj.pk, stores=[obj.store_id]
            )

        return customer_mobile

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
