"""Who may do what, at which store: the rules staff pages and the admin enforce on the server.

Roles are groups created by a data migration (see `ROLE_*`): salespeople find stock, request
transfers between any two stores, dispatch transfers from their home store, receive transfers
into it and hand over its holds; store managers also receive shipments, adjust stock and cancel
any request touching their store (the README has the whole table); catalog editors edit
products. A staff member's home store is their `StaffProfile`. Superusers may do everything.
Every helper answers False for an inactive or non-staff account, so a page may call them
without checking that first.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from .models import Hold, InboundShipment, StaffProfile, Store, Transfer

ROLE_SALESPEOPLE = "Salespeople"
ROLE_STORE_MANAGERS = "Store managers"
ROLE_CATALOG_EDITORS = "Catalog editors"

_HOME_CACHE = "_inventory_home_store"


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def _superuser(user: Any) -> bool:
    return _staff(user) and user.is_superuser


def user_home_store(user: Any) -> Store | None:
    """The staff member's home store (None without a profile). Cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _HOME_CACHE):
        profile = StaffProfile.objects.select_related("home_store").filter(user_id=user.pk).first()
        setattr(user, _HOME_CACHE, profile.home_store if profile else None)
    home: Store | None = getattr(user, _HOME_CACHE)
    return home


def _home_store_id(user: Any) -> int | None:
    home = user_home_store(user)
    return home.pk if home is not None else None


def _store_id(store: Store | int | None) -> int | None:
    return store if isinstance(store, int) or store is None else store.pk


def _at(user: Any, store: Store | int | None, perm: str) -> bool:
    """Staff whose home store is `store` and who hold `perm` (superusers: everywhere)."""
    if _superuser(user):
        return True
    home_id = _home_store_id(user)
    return (
        _staff(user) and home_id is not None and home_id == _store_id(store) and user.has_perm(perm)
    )


# --- what an account may do anywhere -----------------------------------------------------------


def can_find_stock(user: Any) -> bool:
    """Use the stock finder (every store's stock, per size)."""
    return _staff(user) and user.has_perm("inventory.view_stocklevel")


def can_request_transfer(user: Any) -> bool:
    """Ask for pairs to move between any two stores."""
    return _staff(user) and user.has_perm("inventory.add_transfer")


def can_view_any_store(user: Any) -> bool:
    """Look at every store's transfer queue and holds desk (head office), not just one's own."""
    return _staff(user) and (user.is_superuser or user.has_perm("inventory.view_all_stores"))


# --- what an account may do at one store --------------------------------------------------------


def can_manage_store(user: Any, store: Store | int | None) -> bool:
    """A manager of this store (adjusts its stock, receives its shipments and transfers)."""
    return _at(user, store, "inventory.adjust_stock")


def can_receive_shipment(user: Any, shipment: InboundShipment) -> bool:
    """Mark a supplier's shipment received (or in transit) at its destination store."""
    return _at(user, shipment.store_id, "inventory.change_inboundshipment")


def can_view_holds(user: Any, store: Store | int | None) -> bool:
    """See the holds at this store (its holds desk)."""
    if can_view_any_store(user) and user.has_perm("inventory.view_hold"):
        return True
    return _at(user, store, "inventory.view_hold")


def can_manage_holds(user: Any, store: Store | int | None) -> bool:
    """Mark holds at this store collected, or release them."""
    return _at(user, store, "inventory.manage_holds")


def can_see_customer_phone(user: Any, store: Store | int | None) -> bool:
    """Ask to see a customer's number in full: staff of the store that will call them."""
    return _at(user, store, "inventory.view_hold")


# Staff who may ask to see any customer's full number (the messaging layer's permission).
REVEAL_PERMISSION = "notifications.view_phone_numbers"


def can_reveal_phone(user: Any, stores: Iterable[Store | int]) -> bool:
    """See a customer's full number, on asking with a reason (every page shows it masked):
    anyone with `REVEAL_PERMISSION`, or staff of a store in `stores` that calls the customer."""
    if not _staff(user):
        return False
    return user.has_perm(REVEAL_PERMISSION) or any(
        can_see_customer_phone(user, store) for store in stores
    )


# --- transfers ------------------------------------------------------------------------------------


def can_view_transfer(user: Any, transfer: Transfer) -> bool:
    """Staff of either store, whoever requested it, and head office."""
    if not (_staff(user) and user.has_perm("inventory.view_transfer")):
        return False
    if can_view_any_store(user) or transfer.requested_by_id == user.pk:
        return True
    return _home_store_id(user) in (transfer.from_store_id, transfer.to_store_id)


def can_dispatch_transfer(user: Any, transfer: Transfer) -> bool:
    """Send the pairs off: salespeople and managers of the source store."""
    return _at(user, transfer.from_store_id, "inventory.dispatch_transfer")


def can_receive_transfer(user: Any, transfer: Transfer) -> bool:
    """Take the pairs in: salespeople and managers of the destination store."""
    return _at(user, transfer.to_store_id, "inventory.receive_transfer")


def can_approve_transfer(user: Any, transfer: Transfer) -> bool:
    """Approve or decline a customer's own request: the staff of either store (those who would
    dispatch it at the source, or receive it where the customer will come)."""
    return can_dispatch_transfer(user, transfer) or can_receive_transfer(user, transfer)


def can_cancel_transfer(user: Any, transfer: Transfer) -> bool:
    """Call off a request: whoever made it, or a manager of either store."""
    if _superuser(user):
        return True
    if (
        _staff(user)
        and transfer.requested_by_id == user.pk
        and user.has_perm("inventory.add_transfer")
    ):
        return True
    return any(
        _at(user, store_id, "inventory.change_transfer")
        for store_id in (transfer.from_store_id, transfer.to_store_id)
    )


# --- what lists show --------------------------------------------------------------------------


def stores_managed_by(user: Any) -> QuerySet[Store]:
    """The stores this account manages: every store for a superuser, else the home store."""
    if _superuser(user):
        return Store.objects.all()
    home_id = _home_store_id(user)
    if home_id is None or not can_manage_store(user, home_id):
        return Store.objects.none()
    return Store.objects.filter(pk=home_id)


def visible_transfers(user: Any, queryset: QuerySet[Transfer] | None = None) -> QuerySet[Transfer]:
    """Transfers this account may see (see `can_view_transfer`)."""
    queryset = Transfer.objects.all() if queryset is None else queryset
    if not (_staff(user) and user.has_perm("inventory.view_transfer")):
        return queryset.none()
    if can_view_any_store(user):
        return queryset
    match = Q(requested_by_id=user.pk)
    home_id = _home_store_id(user)
    if home_id is not None:
        match |= Q(from_store_id=home_id) | Q(to_store_id=home_id)
    return queryset.filter(match)


def visible_holds(user: Any, queryset: QuerySet[Hold] | None = None) -> QuerySet[Hold]:
    """Holds this account may see: its home store's (every store's for head office)."""
    queryset = Hold.objects.all() if queryset is None else queryset
    if not (_staff(user) and user.has_perm("inventory.view_hold")):
        return queryset.none()
    if can_view_any_store(user):
        return queryset
    home_id = _home_store_id(user)
    return queryset.filter(store_id=home_id) if home_id is not None else queryset.none()
