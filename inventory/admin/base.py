"""What the inventory admin pages share: rows only the services write."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


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
