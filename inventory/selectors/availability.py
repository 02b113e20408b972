"""Which pairs are where: one size at every store (the till API), a store's stock, and what
customers see — shops with pairs now, and when a size reaches a shop that has none."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from catalog.models import Product, Variant
from core.language import current_language
from core.versions import CATALOG, Depends, cached

from .. import policy
from ..models import (
    InboundShipment,
    InboundShipmentLine,
    SizeStock,
    StockLevel,
    Store,
    Transfer,
)
from .sources import product_bring_dates

# --- Till API -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreAvailability:
    store: Store
    on_hand: int
    reserved: int
    updated_at: datetime | None

    @property
    def available(self) -> int:
        return policy.available(on_hand=self.on_hand, reserved=self.reserved)


def variant_availability(
    *, variant: Variant, own_store_id: int | None = None
) -> list[StoreAvailability]:
    """One size at every store a customer can walk into (and `own_store_id`, even if that is
    the warehouse): a store with no stock row shows 0. Two queries, whatever the store count."""
    stores = Store.objects.filter(policy.customer_store_q() | Q(pk=own_store_id or 0)).order_by(
        "is_warehouse", "code"
    )
    levels = {
        row.store_id: row for row in StockLevel.objects.filter(variant=variant, store__in=stores)
    }
    result = []
    for store in stores:
        level = levels.get(store.pk)
        result.append(
            StoreAvailability(
                store=store,
                on_hand=level.on_hand if level else 0,
                reserved=level.reserved if level else 0,
                updated_at=level.updated_at if level else None,
            )
        )
    return result


def store_stock(*, store: Store) -> QuerySet[StockLevel]:
    """Every stock row of one store with its size and product, in SKU order (stable pages)."""
    return (
        StockLevel.objects.filter(store=store)
        .select_related("variant__product__brand")
        .order_by("variant__sku")
    )


# --- Storefront availability (customers) ----------------------------------------------------
# Customers see only shops they can walk into (`Store.objects.for_customers()`): never the
# warehouse, never a closed store. What is available is the policy's (`inventory.policy`).


def customer_stores() -> list[Store]:
    """Open shops, by name in the page's language. One query."""
    return sorted(Store.objects.for_customers(), key=lambda store: str(store.name))


def open_stores() -> tuple[list[Store], dict[int, Store]]:
    """The shops customers see, by name in the page's language, and every open store (the
    warehouse too) by id: kept until a store is edited (`CATALOG`), read from the database
    once per language and version. The lists are the caller's own to sort."""

    def build(depends: Depends) -> tuple[list[Store], dict[int, Store]]:
        depends.on(CATALOG)  # stores are saved through the ORM: each save renews it
        stores = list(Store.objects.filter(policy.staff_store_q()))
        shops = [store for store in stores if policy.is_customer_store(store)]
        shops.sort(key=lambda store: str(store.name))
        return shops, {store.pk: store for store in stores}

    shops, by_id = cached(f"stores:open:{current_language()}", build)
    return list(shops), dict(by_id)


def stock_for_sale(
    *, store: Store | int | None = None, eu_size: Decimal | None = None
) -> QuerySet[StockLevel]:
    """Levels with at least one pair a customer can buy now, optionally at one store/size."""
    levels = StockLevel.objects.at_customer_stores().in_stock()
    if store is not None:
        levels = levels.filter(store=store)
    if eu_size is not None:
        levels = levels.filter(variant__eu_size=eu_size)
    return levels


def products_with_stock_flag(products: QuerySet[Product]) -> QuerySet[Product]:
    """Annotate `in_stock`: some size is for sale at some shop (a subquery, no extra query)."""
    return products.annotate(
        in_stock=Exists(stock_for_sale().filter(variant__product=OuterRef("pk")))
    )


def products_in_stock(
    products: QuerySet[Product], *, store: Store | int | None = None, eu_size: Decimal | None = None
) -> QuerySet[Product]:
    """Only products with a pair for sale (at `store`, in `eu_size`, when given)."""
    return products.filter(
        Exists(stock_for_sale(store=store, eu_size=eu_size).filter(variant__product=OuterRef("pk")))
    )


@dataclass(slots=True)
class ShopAvailability:
    """One size at one shop, as the product page tells a customer. (Not frozen: a product page
    builds one per shop and size, and a frozen dataclass sets each field through
    `object.__setattr__` — a third of the building.)"""

    store: Store
    available: int = 0
    confirmed_at: datetime | None = None  # when the number was last confirmed
    eta: date | None = None  # earliest arrival still ahead (only for a shop without pairs)
    overdue: bool = False  # something is on its way, but its date has passed
    # Without pairs here: the soonest day another branch or the warehouse could bring one.
    bring_by: date | None = None

    @property
    def in_stock(self) -> bool:
        return self.available > 0


@dataclass(frozen=True)
class SizeAvailability:
    """One size of a product across every shop: shops with pairs first, then by arrival."""

    variant: Variant
    shops: list[ShopAvailability]

    @cached_property
    def in_stock_at(self) -> list[ShopAvailability]:
        return [s for s in self.shops if s.in_stock]

    @cached_property
    def out_at(self) -> list[ShopAvailability]:
        return [s for s in self.shops if not s.in_stock]

    @cached_property
    def total_available(self) -> int:
        return sum(s.available for s in self.in_stock_at)

    @property
    def in_stock(self) -> bool:
        return self.total_available > 0

    @cached_property
    def next_arrival(self) -> ShopAvailability | None:
        """The shop this size reaches first (among shops without it)."""
        dated = [s for s in self.out_at if s.eta is not None]
        return min(dated, key=lambda s: s.eta or date.max) if dated else None

    @cached_property
    def soonest_bring(self) -> date | None:
        """The soonest day a pair could be brought to a shop that has none."""
        dates = [s.bring_by for s in self.out_at if s.bring_by is not None]
        return min(dates) if dates else None


_NO_ARRIVAL: tuple[date | None, bool] = (None, False)


def _arrivals(rows: QuerySet, store_field: str) -> dict[tuple[int, int], tuple[date | None, bool]]:
    """(store, variant) → (earliest date from today on, whether a past-due one is still open)."""
    return {
        (row[store_field], row["variant_id"]): (row["next_date"], row["late"] > 0) for row in rows
    }


def product_availability(
    *,
    product: Product,
    sizes: list[Variant] | None = None,
    today: date | None = None,
    summaries: Collection[int] = (),
) -> list[SizeAvailability]:
    """Every size of `product` at every shop: pairs for sale now and when that number was
    last confirmed; for a shop without pairs, the earliest arrival still ahead. Shops of a kind
    are in name order (the customer's city orders them later: `storefront.shops`).

    An arrival is an open inbound shipment line (expected or in transit, not fully received)
    or an open transfer (requested or dispatched) to that shop. Transfers for a named
    customer are left out: that pair is spoken for. A date already past is never shown as an
    arrival; the shop is marked `overdue` instead. A shop without pairs also gets `bring_by`,
    the soonest day another store with pairs to spare (the warehouse included) could bring one
    (`sources.product_bring_dates`). Four queries (five when the variants are not prefetched),
    whatever the number of shops and sizes (the stock numbers are the sizes' summaries).
    `sizes` (some of the product's variants) limits the answer to those. A size in
    `summaries` (a line that shows only its totals) that has pairs at some shop lists only
    those shops: its arrivals and bring dates are not worked out (and not read when no other
    size needs them).
    """
    today = today or timezone.localdate()
    customer_shops, open_by_id = open_stores()
    stores = customer_shops
    variants = product.variants.all() if sizes is None else sizes
    only = {variant.pk for variant in variants} if sizes is not None else None
    levels = _available_at_shops(product, only)
    shop_ids = {store.pk for store in stores}
    brief = {key[1] for key, (pairs, _at) in levels.items() if pairs > 0 and key[0] in shop_ids}
    brief.intersection_update(summaries)
    full = {variant.pk for variant in variants} - brief
    arriving = full if brief else only  # every size (None) when none is brief
    shipments = _shipment_arrivals(product, today, arriving) if full else {}
    transfers = _transfer_arrivals(product, today, arriving) if full else {}
    bring = (
        product_bring_dates(
            product=product,
            destinations=stores,
            today=today,
            available=({k: v for k, v in levels.items() if k[1] in full}, open_by_id),
        )
        if full
        else {}
    )

    def shop(store: Store, key: tuple[int, int]) -> ShopAvailability:
        available, confirmed_at = levels.get(key, (0, None))
        if available > 0:
            return ShopAvailability(store=store, available=available, confirmed_at=confirmed_at)
        shipment, transfer = shipments.get(key, _NO_ARRIVAL), transfers.get(key, _NO_ARRIVAL)
        dates = [d for d in (shipment[0], transfer[0]) if d is not None]
        eta = min(dates) if dates else None
        return ShopAvailability(
            store=store,
            confirmed_at=confirmed_at,
            eta=eta,
            overdue=eta is None and (shipment[1] or transfer[1]),
            bring_by=bring.get(key),
        )

    answer = []
    by_id = [(store.pk, store) for store in stores]  # (pk reads cost: sizes x shops of them)
    for variant in sorted(variants, key=lambda v: v.eu_size):
        variant_id = variant.pk
        if variant_id in brief:
            shops = [
                ShopAvailability(store=store, available=level[0], confirmed_at=level[1])
                for store_id, store in by_id
                if (level := levels.get((store_id, variant_id), (0, None)))[0] > 0
            ]
            answer.append(SizeAvailability(variant=variant, shops=shops))
            continue
        shops = [shop(store, (store_id, variant_id)) for store_id, store in by_id]
        # Stable sort: shops keep their order (by name, or nearest first) within each group.
        shops.sort(key=lambda s: (not s.in_stock, s.eta is None, s.eta or date.max))
        answer.append(SizeAvailability(variant=variant, shops=shops))
    return answer


def _of_sizes(rows: QuerySet, only: set[int] | None) -> QuerySet:
    """`rows` of the sizes in `only` (every size of the product when None)."""
    return rows if only is None else rows.filter(variant_id__in=only)


def _available_at_shops(
    product: Product, only: set[int] | None
) -> dict[tuple[int, int], tuple[int, datetime]]:
    """(store, variant) → (pairs for sale, when last confirmed), for every store with pairs,
    from the sizes' summaries (`SizeStock`, one indexed query); callers pick the stores."""
    rows = SizeStock.objects.filter(product_id=product.pk)
    if only is not None:
        rows = rows.filter(variant_id__in=only)
    return {
        (int(store), variant_id): (available, datetime.fromisoformat(confirmed_at))
        for variant_id, shops in rows.values_list("variant_id", "shops")
        for store, (available, confirmed_at) in shops.items()
    }


def _shipment_arrivals(
    product: Product, today: date, only: set[int] | None
) -> dict[tuple[int, int], tuple[date | None, bool]]:
    return _arrivals(
        _of_sizes(
            InboundShipmentLine.objects.filter(
                policy.customer_store_q("shipment__store__"),
                variant__product_id=product.pk,
                shipment__status__in=InboundShipment.OPEN_STATUSES,
                received_quantity__lt=F("quantity"),
            ),
            only,
        )
        .values("shipment__store_id", "variant_id")
        .annotate(
            next_date=Min("shipment__expected_date", filter=Q(shipment__expected_date__gte=today)),
            late=Count("pk", filter=Q(shipment__expected_date__lt=today)),
        )
        .order_by(),
        "shipment__store_id",
    )


def _transfer_arrivals(
    product: Product, today: date, only: set[int] | None
) -> dict[tuple[int, int], tuple[date | None, bool]]:
    return _arrivals(
        _of_sizes(
            Transfer.objects.filter(
                policy.customer_store_q("to_store__"),
                variant__product_id=product.pk,
                status__in=[Transfer.Status.REQUESTED, Transfer.Status.DISPATCHED],
                customer_name="",
                customer_phone="",
            ),
            only,
        )
        .values("to_store_id", "variant_id")
        .annotate(
            next_date=Min("expected_date", filter=Q(expected_date__gte=today)),
            late=Count("pk", filter=Q(expected_date__lt=today)),
        )
        .order_by(),
        "to_store_id",
    )
