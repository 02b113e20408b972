"""The staff stock finder: every size of the matching products at every store, nearest first."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, QuerySet, Sum

from catalog import selectors as catalog_selectors
from catalog.models import Product, Variant

from ..geo import Point, great_circle_km, point_of
from ..models import StockLevel, Store, Transfer

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


class FinderCell(NamedTuple):
    """One size at one store. A tuple: a page of results holds thousands of them."""

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
    words = catalog_selectors.product_search(Product.objects.all(), query,
                                           ranked=False).values("pk")
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
    result = FinderResult(query=query,
                          stores=finder_stores(origin=origin, home_store_id=home_store_id))
    if not query:
        return result
    page_ids = _page_of_matches(result, page=page, per_page=per_page)
    if page_ids:
        _fill_grid(result, page_ids)
    return result


def _page_of_matches(result: FinderResult, *, page: int, per_page: int) -> list[int]:
    """The ids of the products on the asked page (the exact size's product, if one was typed),
    with the result's totals and page numbers set."""
    exact = catalog_selectors.variant_by_code(result.query)
    if exact is not None:
        result.exact, result.total = exact, 1
        return [exact.product_id]
    ids = list(
        _search_products(result.query).values_list("pk", flat=True)[: FINDER_MAX_PRODUCTS + 1]
    )
    result.capped = len(ids) > FINDER_MAX_PRODUCTS
    ids = ids[:FINDER_MAX_PRODUCTS]
    result.total = len(ids)
    result.num_pages = max(1, -(-len(ids) // per_page))
    result.page = min(max(page, 1), result.num_pages)
    start = (result.page - 1) * per_page
    return ids[start:start + per_page]


def _fill_grid(result: FinderResult, page_ids: list[int]) -> None:
    """One row per store and one cell per size for each product: four queries (three for an
    exact size, whose product came with it)."""
    if result.exact is not None:
        products = {result.exact.product_id: result.exact.product}
    else:
        products = {
            p.pk: p for p in Product.objects.filter(pk__in=page_ids).select_related("brand")
        }
    sizes: dict[int, list[Variant]] = {pk: [] for pk in page_ids}
    for variant in Variant.objects.filter(product_id__in=page_ids).order_by("eu_size", "pk"):
        sizes[variant.product_id].append(variant)
    variant_ids = [v.pk for vs in sizes.values() for v in vs]

    # Only the levels with pairs and only the stores listed: a missing level is an empty cell.
    stocked: dict[tuple[int, int], FinderCell] = {
        (store_id, variant_id): FinderCell(store_id, variant_id, on_hand, reserved)
        for store_id, variant_id, on_hand, reserved in StockLevel.objects.filter(
            variant_id__in=variant_ids, store_id__in=[store.pk for store in result.stores],
            on_hand__gt=0,
        ).values_list("store_id", "variant_id", "on_hand", "reserved").order_by()
    }
    for store_id, variant_id, pairs in Transfer.objects.filter(
        status=Transfer.Status.DISPATCHED, variant_id__in=variant_ids,
    ).values("to_store_id", "variant_id").annotate(pairs=Sum("quantity")).order_by().values_list(
        "to_store_id", "variant_id", "pairs",
    ):
        key = (store_id, variant_id)
        stocked[key] = stocked.get(key, FinderCell(store_id, variant_id))._replace(incoming=pairs)

    def row(store: FinderStore, variant_ids: list[int]) -> FinderRow:
        store_id = store.pk
        return FinderRow(store=store, cells=[
            stocked.get((store_id, variant_id)) or FinderCell(store_id, variant_id)
            for variant_id in variant_ids
        ])

    for pk in page_ids:
        if pk in products:
            ids = [v.pk for v in sizes[pk]]
            result.products.append(FinderProduct(
                product=products[pk], sizes=sizes[pk],
                rows=[row(store, ids) for store in result.stores],
                matched_variant_id=result.exact.pk if result.exact else None,
            ))
