"""The availability policy: how many pairs are available, to whom, and which may travel.

The one module that reads `on_hand - reserved` or applies safety stock (DESIGN.md). Every
answer comes twice — for Python values, and as an ORM expression or `Q` over `StockLevel` rows
(or stores) so a query keeps counting in SQL — and both spell the same rule:

- **available**: pairs on hand that nobody has reserved; never negative (the database's
  CHECK constraints already keep `0 <= reserved <= on_hand`, so the floor is a no-op there).
- **customer store**: an open shop — never the warehouse, never a closed store. Customers see
  availability only there; staff see it at every open store, the warehouse included.
- **safety stock**: the pairs of each size a shop keeps for walk-in customers (its own
  `safety_stock`, else `TRANSFER_SAFETY_STOCK`). The central warehouse keeps none: its pairs
  exist to be sent to the shops.
- **spare**: what a store may send to another one — available beyond its safety stock and
  beyond the customers waiting for that size there. Staff's transfer sources, "bring it to
  my store" and suggested transfers all ask this.
"""

from typing import Protocol

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan


class Store(Protocol):
    """What the policy reads of a store (`inventory.models.Store`, which imports this module)."""

    @property
    def is_active(self) -> bool: ...

    @property
    def is_warehouse(self) -> bool: ...

    @property
    def safety_stock(self) -> int | None: ...


# --- Python values ---------------------------------------------------------------------------


def available(*, on_hand: int, reserved: int) -> int:
    """Pairs free to sell or hold: on hand and not reserved, never below zero."""
    return max(on_hand - reserved, 0)


def in_stock(*, on_hand: int, reserved: int) -> bool:
    """Whether a level has a pair for sale (what `in_stock_q` asks in SQL)."""
    return available(on_hand=on_hand, reserved=reserved) > 0


def is_customer_store(store: Store) -> bool:
    """Whether customers may see `store`'s pairs or pick it: an open shop, not the warehouse."""
    return store.is_active and not store.is_warehouse


def safety_stock(store: Store) -> int:
    """Pairs of each size `store` keeps for its walk-in customers before sending any away: its
    own setting, else `TRANSFER_SAFETY_STOCK`; none at the warehouse."""
    if store.is_warehouse:
        return 0
    if store.safety_stock is None:
        return int(settings.TRANSFER_SAFETY_STOCK)
    return store.safety_stock


def spare(*, available: int, store: Store, waiting: int = 0) -> int:
    """Pairs `store` may send to another store, of the `available` it has: beyond its safety
    stock and the `waiting` customers of its own for that size. Never below zero."""
    return max(available - waiting - safety_stock(store), 0)


# --- The same answers in SQL (over StockLevel rows, or stores through `prefix`) -------------


def _at_least_zero(expression: Combinable) -> Case:
    # CASE rather than GREATEST: standard SQL, so every database Django speaks runs it.
    return Case(
        When(GreaterThan(expression, 0), then=expression),
        default=Value(0),
        output_field=IntegerField(),
    )


def available_expression() -> Case:
    """`available` per stock level, for `annotate`, `alias` or an aggregate like `Sum`."""
    return _at_least_zero(F("on_hand") - F("reserved"))


def in_stock_q(*, at_least: int = 1) -> Q:
    """Stock levels with at least `at_least` pairs available (written so an index can serve it)."""
    if at_least == 1:
        return Q(on_hand__gt=F("reserved"))
    return Q(on_hand__gte=F("reserved") + at_least)


def customer_store_q(prefix: str = "") -> Q:
    """Rows whose store is a customer store; `prefix` reaches the store from the rows queried
    ("" for stores, "store__" for stock levels, "shipment__store__", "to_store__")."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}is_warehouse": False})


def staff_store_q(prefix: str = "") -> Q:
    """Rows whose store staff see pairs at, and that may send pairs to another store: every
    open store, the warehouse included."""
    return Q(**{f"{prefix}is_active": True})


def _safety_stock_expression() -> Case:
    return Case(
        When(store__is_warehouse=True, then=Value(0)),
        default=Coalesce(F("store__safety_stock"), Value(int(settings.TRANSFER_SAFETY_STOCK))),
        output_field=IntegerField(),
    )


def spare_expression() -> Case:
    """`spare` per stock level, before any waiting list (those live in another app)."""
    return _at_least_zero(F("on_hand") - F("reserved") - _safety_stock_expression())


def has_spare_q() -> Q:
    """Stock levels with at least one pair to spare for another store."""
    return Q(on_hand__gt=F("reserved") + _safety_stock_expression())


# --- The same answers in hand-written SQL, for the few queries that need it -----------------


def available_sql(alias: str) -> str:
    """`available` of the stock level table aliased `alias`."""
    return (
        f"CASE WHEN {alias}.on_hand > {alias}.reserved "
        f"THEN {alias}.on_hand - {alias}.reserved ELSE 0 END"
    )


def in_stock_sql(alias: str) -> str:
    """The condition `in_stock_q` on the stock level table aliased `alias`."""
    return f"{alias}.on_hand > {alias}.reserved"
