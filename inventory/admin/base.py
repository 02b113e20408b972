"""What the inventory admin pages share: rows only the services write."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.phones import mask_phone

from .. import permissions


def masked_with_reveal(
    request: HttpRequest | None, phone: str, *, kind: str, pk: Any, stores: Iterable[Any] = ()
) -> str:
    """A customer's number, masked, with — for staff allowed to see it
    (`permissions.can_reveal_phone`; without the `request`, for whoever follows it) — a link to
    the page that shows it once they say why (`notifications:phone_reveal`, which records it
    and refuses anyone else)."""
    if not phone:
        return "—"
    masked = mask_phone(phone)
    if not kind or (request is not None and not permissions.can_reveal_phone(request.user, stores)):
        return format_html('<span dir="ltr">{}</span>', masked)
    url = reverse("notifications:phone_reveal", kwargs={"kind": kind, "pk": pk})
    back = f"?{urlencode({'next': request.get_full_path()})}" if request is not None else ""
    return format_html(
        '<span dir="ltr">{}</span> <a href="{}{}">{}</a>', masked, url, back, _("show")
    )


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
