"""Who sees customers' ratings and the customer-experience dashboard built on them (the
`view_dashboard` permission is the Rating model's): store managers their own store, head office
all."""

from typing import Any

from django.db.models import QuerySet

from inventory.models import Store
from inventory.permissions import can_manage_store, can_view_any_store, user_home_store

DASHBOARD_PERMISSION = "reviews.view_dashboard"


def dashboard_scope(user: Any) -> tuple[QuerySet[Store], bool]:
    """The stores this account may look at, and whether it may see all stores together."""
    if not (getattr(user, "is_staff", False) and user.has_perm(DASHBOARD_PERMISSION)):
        return Store.objects.none(), False
    if can_view_any_store(user):
        return Store.objects.filter(is_warehouse=False), True
    home = user_home_store(user)
    if home is not None and can_manage_store(user, home):
        return Store.objects.filter(pk=home.pk), False
    return Store.objects.none(), False


def can_handle_flag(user: Any, store: Store | int) -> bool:
    stores, _ = dashboard_scope(user)
    store_id = store if isinstance(store, int) else store.pk
    return stores.filter(pk=store_id).exists()
