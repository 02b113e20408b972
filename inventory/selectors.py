"""Reads of stock shared by pages, the API and the admin, with their prefetching."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from catalog.models import Product, Variant

from .geo import Point, great_circle_km, point_of
from .models import StockLevel, Store, Transfer

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
    """Products matching every word of the query in name, brand, style code, colour or SKU."""
    products = Product.objects.all()
    for term in query.split():
        products = products.filter(
            Q(name__icontains=term)
            | Q(brand__name__icontains=term)
            | Q(style_code__icontains=term)
            | Q(colourway_he__icontains=term)
            | Q(colourway_en__icontains=term)
            | Q(pk__in=Variant.objects.filter(sku__icontains=term).values("product_id"))
        )
    return products.order_by("brand__name", "name", "pk")


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
    Otherwise every word must match the product's name, brand, style code, colour or a SKU.
    The number of queries does not depend on how many stores, sizes or products there are.
    """
    query = " ".join(query.split())
    stores = finder_stores(origin=origin, home_store_id=home_store_id)
    result = FinderResult(query=query, stores=stores)
    if not query:
        return result

    exact = (
        Variant.objects.filter(Q(sku__iexact=query) | Q(barcode=query))
        .select_related("product").first()
    )
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
