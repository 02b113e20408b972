"""Reads of stock shared by pages, the API and the admin, with their prefetching."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import Product, Variant

from .geo import Point, great_circle_km, point_of
from .models import Hold, InboundShipment, InboundShipmentLine, StockLevel, Store, Transfer

# --- Stock finder (staff) -------------------------------------------------------------------

FINDER_PAGE_SIZE = 10
# A search never lists more products than this; the salesperson is asked to narrow it.
FINDER_MAX_PRODUCTS = 200


@dataclass(frozen=True)
class FinderStore:
    store: Store
    distance_km: float | None
    is_home: bool = False

    @property
    def pk(self) -> int:
        return self.store.pk

    @property
    def is_warehouse(self) -> bool:
        return self.store.is_warehouse


@dataclass(frozen=True)
class FinderCell:
    store_id: int
    variant_id: int
    on_hand: int = 0
    reserved: int = 0
    incoming: int = 0  # dispatched towards this store, not yet received

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass
class FinderRow:
    """One store across every size of a product."""

    store: FinderStore
    cells: list[FinderCell]

    @property
    def total_available(self) -> int:
        return sum(cell.available for cell in self.cells)


@dataclass
class FinderProduct:
    product: Product
    sizes: list[Variant]
    rows: list[FinderRow]
    matched_variant_id: int | None = None

    @property
    def total_available(self) -> int:
        return sum(row.total_available for row in self.rows)


@dataclass
class FinderResult:
    query: str
    stores: list[FinderStore]
    products: list[FinderProduct] = field(default_factory=list)
    total: int = 0  # matching products, at most FINDER_MAX_PRODUCTS
    capped: bool = False  # more products matched than are listed
    page: int = 1
    num_pages: int = 1
    exact: Variant | None = None  # the size whose SKU or barcode was typed

    @property
    def shops(self) -> list[FinderStore]:
        """Stores a customer can walk into, nearest first (never the warehouse)."""
        return [s for s in self.stores if not s.is_warehouse]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def finder_stores(*, origin: Point | None, home_store_id: int | None = None) -> list[FinderStore]:
    """Active stores and the warehouse, the home store first, then nearest to `origin` first."""
    stores = list(Store.objects.filter(is_active=True))
    ranked = [
        FinderStore(
            store=store,
            distance_km=None if origin is None else great_circle_km(origin, point_of(store)),
            is_home=store.pk == home_store_id,
        )
        for store in stores
    ]
    if origin is not None:
        ranked.sort(key=lambda s: (not s.is_home, s.distance_km, s.store.is_warehouse, s.pk))
    else:
        ranked.sort(key=lambda s: (not s.is_home, s.store.is_warehouse, str(s.store.name)))
    return ranked


def _search_products(query: str) -> QuerySet[Product]:
    """Products matching the query as the storefront's search does (`product_search`: every
    word in name, brand, style code or colour), or whose SKU contains it."""
    words = catalog_selectors.product_search(Product.objects.all(), query).values("pk")
    by_sku = Variant.objects.filter(sku__icontains=query).values("product_id")
    return (Product.objects.filter(Q(pk__in=words) | Q(pk__in=by_sku))
            .order_by("brand__name", "name", "pk"))


def stock_finder(
    *,
    query: str,
    origin: Point | None,
    home_store_id: int | None = None,
    page: int = 1,
    per_page: int = FINDER_PAGE_SIZE,
) -> FinderResult:
    """Where each size of the matching products is, store by store, nearest store first.

    An exact SKU or barcode finds that one size (its product is shown with the size marked).
    Otherwise products are searched as on the storefront (`catalog.selectors.product_search`),
    or by part of a SKU.
    The number of queries does not depend on how many stores, sizes or products there are.
    """
    query = " ".join(query.split())
    stores = finder_stores(origin=origin, home_store_id=home_store_id)
    result = FinderResult(query=query, stores=stores)
    if not query:
        return result

    exact = catalog_selectors.variant_by_code(query)
    if exact is not None:
        page_ids = [exact.product_id]
        result.exact, result.total = exact, 1
    else:
        ids = list(
            _search_products(query).values_list("pk", flat=True)[: FINDER_MAX_PRODUCTS + 1]
        )
        result.capped = len(ids) > FINDER_MAX_PRODUCTS
        ids = ids[:FINDER_MAX_PRODUCTS]
        result.total = len(ids)
        result.num_pages = max(1, -(-len(ids) // per_page))
        result.page = min(max(page, 1), result.num_pages)
        start = (result.page - 1) * per_page
        page_ids = ids[start:start + per_page]
    if not page_ids:
        return result

    products = {
        p.pk: p for p in Product.objects.filter(pk__in=page_ids).select_related("brand")
    }
    sizes: dict[int, list[Variant]] = {pk: [] for pk in page_ids}
    for variant in Variant.objects.filter(product_id__in=page_ids).order_by("eu_size", "pk"):
        sizes[variant.product_id].append(variant)
    variant_ids = [v.pk for vs in sizes.values() for v in vs]

    counts: dict[tuple[int, int], tuple[int, int]] = {
        (store_id, variant_id): (on_hand, reserved)
        for store_id, variant_id, on_hand, reserved in StockLevel.objects.filter(
            variant_id__in=variant_ids, store__is_active=True,
        ).values_list("store_id", "variant_id", "on_hand", "reserved")
    }
    incoming: dict[tuple[int, int], int] = {
        (row["to_store_id"], row["variant_id"]): row["pairs"]
        for row in Transfer.objects.filter(
            status=Transfer.Status.DISPATCHED, variant_id__in=variant_ids,
        ).values("to_store_id", "variant_id").annotate(pairs=Sum("quantity")).order_by()
    }

    for pk in page_ids:
        if pk not in products:
            continue
        rows = []
        for finder_store in stores:
            cells = []
            for variant in sizes[pk]:
                key = (finder_store.pk, variant.pk)
                on_hand, reserved = counts.get(key, (0, 0))
                cells.append(FinderCell(
                    store_id=finder_store.pk, variant_id=variant.pk, on_hand=on_hand,
                    reserved=reserved, incoming=incoming.get(key, 0),
                ))
            rows.append(FinderRow(store=finder_store, cells=cells))
        result.products.append(FinderProduct(
            product=products[pk], sizes=sizes[pk], rows=rows,
            matched_variant_id=result.exact.pk if result.exact else None,
        ))
    return result


# --- Till API -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreAvailability:
    store: Store
    on_hand: int
    reserved: int
    updated_at: datetime | None

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)


def variant_availability(*, variant: Variant, own_store_id: int | None = None
                         ) -> list[StoreAvailability]:
    """One size at every store a customer can walk into (and `own_store_id`, even if that is
    the warehouse): a store with no stock row shows 0. Two queries, whatever the store count."""
    stores = Store.objects.filter(
        Q(is_active=True, is_warehouse=False) | Q(pk=own_store_id or 0)
    ).order_by("is_warehouse", "code")
    levels = {
        row.store_id: row
        for row in StockLevel.objects.filter(variant=variant, store__in=stores)
    }
    result = []
    for store in stores:
        level = levels.get(store.pk)
        result.append(StoreAvailability(
            store=store,
            on_hand=level.on_hand if level else 0,
            reserved=level.reserved if level else 0,
            updated_at=level.updated_at if level else None,
        ))
    return result


def store_stock(*, store: Store) -> QuerySet[StockLevel]:
    """Every stock row of one store with its size and product, in SKU order (stable pages)."""
    return (StockLevel.objects.filter(store=store)
            .select_related("variant__product__brand")
            .order_by("variant__sku"))


# --- Storefront availability (customers) ----------------------------------------------------
# Customers see only shops they can walk into (`Store.objects.for_customers()`): never the
# warehouse, never a closed store. "Available" is on hand minus what is reserved.


def customer_stores() -> list[Store]:
    """Open shops, by name in the page's language. One query."""
    return sorted(Store.objects.for_customers(), key=lambda store: str(store.name))


def stock_for_sale(*, store: Store | int | None = None,
                   eu_size: Decimal | None = None) -> QuerySet[StockLevel]:
    """Levels with at least one pair a customer can buy now, optionally at one store/size."""
    levels = StockLevel.objects.filter(
        store__is_active=True, store__is_warehouse=False, on_hand__gt=F("reserved"),
    )
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


def products_in_stock(products: QuerySet[Product], *, store: Store | int | None = None,
                      eu_size: Decimal | None = None) -> QuerySet[Product]:
    """Only products with a pair for sale (at `store`, in `eu_size`, when given)."""
    return products.filter(Exists(
        stock_for_sale(store=store, eu_size=eu_size).filter(variant__product=OuterRef("pk"))
    ))


@dataclass(frozen=True)
class ShopAvailability:
    """One size at one shop, as the product page tells a customer."""

    store: Store
    available: int = 0
    confirmed_at: datetime | None = None  # when the number was last confirmed
    eta: date | None = None  # earliest arrival still ahead (only for a shop without pairs)
    overdue: bool = False  # something is on its way, but its date has passed

    @property
    def in_stock(self) -> bool:
        return self.available > 0


@dataclass(frozen=True)
class SizeAvailability:
    """One size of a product across every shop: shops with pairs first, then by arrival."""

    variant: Variant
    shops: list[ShopAvailability]

    @property
    def in_stock_at(self) -> list[ShopAvailability]:
        return [s for s in self.shops if s.in_stock]

    @property
    def out_at(self) -> list[ShopAvailability]:
        return [s for s in self.shops if not s.in_stock]

    @property
    def total_available(self) -> int:
        return sum(s.available for s in self.in_stock_at)

    @property
    def in_stock(self) -> bool:
        return self.total_available > 0

    @property
    def next_arrival(self) -> ShopAvailability | None:
        """The shop this size reaches first (among shops without it)."""
        dated = [s for s in self.out_at if s.eta is not None]
        return min(dated, key=lambda s: s.eta or date.max) if dated else None


_NO_ARRIVAL: tuple[date | None, bool] = (None, False)


def _arrivals(rows: QuerySet, store_field: str) -> dict[tuple[int, int], tuple[date | None, bool]]:
    """(store, variant) → (earliest date from today on, whether a past-due one is still open)."""
    return {
        (row[store_field], row["variant_id"]): (row["next_date"], row["late"] > 0)
        for row in rows
    }


def product_availability(*, product: Product, today: date | None = None
                         ) -> list[SizeAvailability]:
    """Every size of `product` at every shop: pairs for sale now and when that number was
    last confirmed; for a shop without pairs, the earliest arrival still ahead.

    An arrival is an open inbound shipment line (expected or in transit, not fully received)
    or an open transfer (requested or dispatched) to that shop. Transfers for a named
    customer are left out: that pair is spoken for. A date already past is never shown as an
    arrival; the shop is marked `overdue` instead. Four queries (five when the variants are
    not prefetched), whatever the number of shops and sizes.
    """
    today = today or timezone.localdate()
    stores = customer_stores()

    levels = {
        (store_id, variant_id): (on_hand - reserved, updated_at)
        for store_id, variant_id, on_hand, reserved, updated_at in StockLevel.objects.filter(
            variant__product_id=product.pk, store__is_active=True, store__is_warehouse=False,
        ).values_list("store_id", "variant_id", "on_hand", "reserved", "updated_at")
    }
    shipments = _arrivals(
        InboundShipmentLine.objects.filter(
            variant__product_id=product.pk,
            shipment__status__in=InboundShipment.OPEN_STATUSES,
            shipment__store__is_active=True, shipment__store__is_warehouse=False,
            received_quantity__lt=F("quantity"),
        ).values("shipment__store_id", "variant_id").annotate(
            next_date=Min("shipment__expected_date",
                          filter=Q(shipment__expected_date__gte=today)),
            late=Count("pk", filter=Q(shipment__expected_date__lt=today)),
        ).order_by(),
        "shipment__store_id",
    )
    transfers = _arrivals(
        Transfer.objects.filter(
            variant__product_id=product.pk,
            status__in=[Transfer.Status.REQUESTED, Transfer.Status.DISPATCHED],
            to_store__is_active=True, to_store__is_warehouse=False,
            customer_name="", customer_phone="",
        ).values("to_store_id", "variant_id").annotate(
            next_date=Min("expected_date", filter=Q(expected_date__gte=today)),
            late=Count("pk", filter=Q(expected_date__lt=today)),
        ).order_by(),
        "to_store_id",
    )

    sizes = []
    for variant in sorted(product.variants.all(), key=lambda v: v.eu_size):
        shops = []
        for store in stores:
            key = (store.pk, variant.pk)
            available, confirmed_at = levels.get(key, (0, None))
            if available > 0:
                shops.append(ShopAvailability(store=store, available=available,
                                              confirmed_at=confirmed_at))
                continue
            shipment, transfer = shipments.get(key, _NO_ARRIVAL), transfers.get(key, _NO_ARRIVAL)
            dates = [d for d in (shipment[0], transfer[0]) if d is not None]
            eta = min(dates) if dates else None
            shops.append(ShopAvailability(
                store=store, confirmed_at=confirmed_at, eta=eta,
                overdue=eta is None and (shipment[1] or transfer[1]),
            ))
        # Stable sort: shops keep their name order within each group.
        shops.sort(key=lambda s: (not s.in_stock, s.eta is None, s.eta or date.max))
        sizes.append(SizeAvailability(variant=variant, shops=shops))
    return sizes


# --- Transfer queues and the holds desk (staff) --------------------------------------------
# Each takes the transfers the user may see (`permissions.visible_transfers`) and one store.

TRANSFER_RELATED = ("variant__product__brand", "from_store", "to_store", "requested_by",
                    "dispatched_by", "received_by", "cancelled_by")


def transfers_with_people(transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    """What a transfer row shows: the size, both stores and who did each step."""
    return transfers.select_related(*TRANSFER_RELATED)


def transfers_to_dispatch(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Requested from `store`, oldest request first."""
    return (transfers_with_people(transfers)
            .filter(from_store=store, status=Transfer.Status.REQUESTED)
            .order_by("requested_at", "pk"))


def transfers_on_the_way(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Dispatched to `store`, the earliest expected first (undated last)."""
    return (transfers_with_people(transfers)
            .filter(to_store=store, status=Transfer.Status.DISPATCHED)
            .order_by(F("expected_date").asc(nulls_last=True), "dispatched_at", "pk"))


def transfers_requested_to(transfers: QuerySet[Transfer], *, store: Store
                           ) -> QuerySet[Transfer]:
    """Requested towards `store`, not yet dispatched, oldest request first."""
    return (transfers_with_people(transfers)
            .filter(to_store=store, status=Transfer.Status.REQUESTED)
            .order_by("requested_at", "pk"))


def transfer_history(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Received or cancelled, from or to `store`, the latest request first."""
    return (transfers_with_people(transfers)
            .filter(Q(from_store=store) | Q(to_store=store),
                    status__in=[Transfer.Status.RECEIVED, Transfer.Status.CANCELLED])
            .order_by("-requested_at", "-pk"))


def transfer_queue_counts(*, store: Store) -> dict[str, int]:
    """The queue's tab counts in one query: `count_dispatch` (requested from `store`) and
    `count_incoming` (on their way to it)."""
    return Transfer.objects.aggregate(
        count_dispatch=Count("pk", filter=Q(from_store=store, status=Transfer.Status.REQUESTED)),
        count_incoming=Count("pk", filter=Q(to_store=store, status=Transfer.Status.DISPATCHED)),
    )


def transfer_customer_hold(transfer: Transfer) -> Hold | None:
    """The hold placed when a customer's transfer arrived (the latest, if there were more)."""
    if not transfer.customer_phone or transfer.status != Transfer.Status.RECEIVED:
        return None
    return Hold.objects.filter(transfer=transfer).order_by("-pk").first()


HOLDS_ENDED_SHOWN = 20


def holds_active(*, store: Store) -> QuerySet[Hold]:
    """Active holds at `store`, the first to run out first (those not yet told last)."""
    return (Hold.objects.filter(store=store, status=Hold.Status.ACTIVE)
            .select_related("variant__product__brand")
            .order_by(F("expires_at").asc(nulls_last=True), "pk"))


def holds_ended_since(*, store: Store, since: datetime) -> list[Hold]:
    """The latest holds at `store` that ended after `since` (at most `HOLDS_ENDED_SHOWN`)."""
    return list(
        Hold.objects.filter(store=store, ended_at__gte=since)
        .exclude(status=Hold.Status.ACTIVE)
        .select_related("variant__product__brand", "ended_by")
        .order_by("-ended_at")[:HOLDS_ENDED_SHOWN]
    )
