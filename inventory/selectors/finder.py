"""The staff stock finder: where each size of the matching products is, nearest store first.

A search that finds one product (or an exact SKU or barcode) shows its grid, every store by
every size; a search that lists several shows each as a summary per size, and the grid of the
one the salesperson opens."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)

from catalog import search as catalog_search
from catalog import selectors as catalog_selectors
from catalog.models import Product, Variant

from .. import policy
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
        return policy.available(on_hand=self.on_hand, reserved=self.reserved)


@dataclass
class FinderRow:
    """One store across every size of a product."""

    store: FinderStore
    cells: list[FinderCell]

    @property
    def total_available(self) -> int:
        return sum(cell.available for cell in self.cells)


class FinderSizeSummary(NamedTuple):
    """One size across every listed store: the pairs available now, how many stores have
    some, and the first of them in the finder's order (home store, then nearest)."""

    variant: Variant
    available: int = 0
    stores: int = 0
    nearest: FinderStore | None = None


@dataclass
class FinderProduct:
    product: Product
    sizes: list[Variant]
    rows: list[FinderRow] = field(default_factory=list)  # the grid, when the product is open
    matched_variant_id: int | None = None
    summary: list[FinderSizeSummary] = field(default_factory=list)  # when it is not
    is_open: bool = True

    @property
    def total_available(self) -> int:
        if not self.is_open:
            return sum(size.available for size in self.summary)
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
    def summarised(self) -> bool:
        """Whether some product is shown as a summary rather than as its grid."""
        return any(not item.is_open for item in self.products)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def finder_stores(*, origin: Point | None, home_store_id: int | None = None) -> list[FinderStore]:
    """Active stores and the warehouse, the home store first, then nearest to `origin` first."""
    stores = list(Store.objects.for_staff())
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
    """Products the query asks for, as the storefront's search reads it (`catalog.search`:
    spellings, sounds, typos, categories, audiences, best match first), or whose SKU contains
    it. A size in the query ("pegasus 42") keeps the products with a pair of that size at some
    store or the warehouse."""
    by_sku = Variant.objects.filter(sku__icontains=query).values("product_id")
    found = catalog_search.find(Product.objects.all(), query, or_also=Q(pk__in=by_sku))
    products = found.products
    if found.size is not None:
        products = products.filter(
            Exists(
                StockLevel.objects.filter(
                    variant__product=OuterRef("pk"), variant__eu_size=found.size
                ).in_stock()
            )
        )
    return products.order_by(*catalog_search.ordering(found), "brand__name", "name", "pk")


def stock_finder(
    *,
    query: str,
    origin: Point | None,
    home_store_id: int | None = None,
    page: int = 1,
    per_page: int = FINDER_PAGE_SIZE,
    open_product_id: int | None = None,
) -> FinderResult:
    """Where each size of the matching products is, nearest store first.

    An exact SKU or barcode finds that one size (its product's grid is shown with the size
    marked). Otherwise products are searched as on the storefront (`catalog.search`), or by
    part of a SKU: one match comes with its grid,
    several with a summary each, except `open_product_id`'s, which comes with its grid.
    The number of queries does not depend on how many stores, sizes or products there are.
    """
    query = " ".join(query.split())
    result = FinderResult(
        query=query, stores=finder_stores(origin=origin, home_store_id=home_store_id)
    )
    if not query:
        return result
    page_ids = _page_of_matches(result, page=page, per_page=per_page)
    if page_ids:
        _fill(
            result,
            page_ids,
            open_ids=page_ids
            if result.total == 1
            else [pk for pk in page_ids if pk == open_product_id],
        )
    return result


def stock_finder_product(
    *,
    product_id: int,
    origin: Point | None,
    home_store_id: int | None = None,
) -> FinderResult:
    """One product's grid, every store by every size, as `stock_finder` shows it when the
    product is opened; no product when there is none with that id."""
    result = FinderResult(
        query="", stores=finder_stores(origin=origin, home_store_id=home_store_id)
    )
    _fill(result, [product_id], open_ids=[product_id])
    result.total = len(result.products)
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
    return ids[start : start + per_page]


def _fill(result: FinderResult, page_ids: list[int], *, open_ids: list[int]) -> None:
    """The products of `page_ids` with their sizes, a grid for those of `open_ids` and a
    summary for the others: two queries (one for an exact size, whose product came with it),
    then one for the summaries and two for the grids."""
    if result.exact is not None:
        products = {result.exact.product_id: result.exact.product}
    else:
        products = {
            p.pk: p for p in Product.objects.filter(pk__in=page_ids).select_related("brand")
        }
    sizes: dict[int, list[Variant]] = {pk: [] for pk in page_ids}
    for variant in Variant.objects.filter(product_id__in=page_ids).order_by("eu_size", "pk"):
        sizes[variant.product_id].append(variant)
    summed = [pk for pk in page_ids if pk not in open_ids]
    grids = _grids(result, {pk: sizes[pk] for pk in open_ids})
    summaries = _summaries(result, [v for pk in summed for v in sizes[pk]])
    for pk in page_ids:
        if pk not in products:
            continue
        item = FinderProduct(
            product=products[pk],
            sizes=sizes[pk],
            matched_variant_id=result.exact.pk if result.exact else None,
        )
        if pk in grids:
            item.rows = grids[pk]
        else:
            item.is_open = False
            item.summary = [summaries.get(v.pk) or FinderSizeSummary(v) for v in sizes[pk]]
        result.products.append(item)


# The stores' ranks come in as an array joined to the levels (a hash join of 100 rows): looking
# each level's store up in the array instead (array_position) costs several times the scan.
_SUMMARY_SQL = """
    SELECT level.variant_id, SUM({available}), COUNT(*), MIN(ranked.ord)
    FROM {levels} AS level
    JOIN unnest(%s::bigint[]) WITH ORDINALITY AS ranked(store_id, ord)
      ON ranked.store_id = level.store_id
    WHERE level.variant_id = ANY(%s::bigint[]) AND {in_stock}
    GROUP BY level.variant_id
"""


def _summaries(result: FinderResult, variants: list[Variant]) -> dict[int, FinderSizeSummary]:
    """Each size's pairs available at the listed stores, how many of them have some and the
    first of those in the finder's order: one grouped query over the levels with pairs (an
    index-only scan of the covering index on variant and store)."""
    if not variants:
        return {}
    stores = result.stores
    store_ids, variant_ids = [store.pk for store in stores], [v.pk for v in variants]
    rows: list[tuple[int, int, int, int]]
    if connection.vendor == "postgresql":
        sql = _SUMMARY_SQL.format(
            levels=connection.ops.quote_name(StockLevel._meta.db_table),
            available=policy.available_sql("level"),
            in_stock=policy.in_stock_sql("level"),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [store_ids, variant_ids])
            rows = cursor.fetchall()
    else:  # the same figures, the rank as a CASE over the stores (fine for a few stores)
        rank = Case(
            *(When(store_id=pk, then=n) for n, pk in enumerate(store_ids, 1)),
            output_field=IntegerField(),
        )
        rows = list(
            StockLevel.objects.filter(variant_id__in=variant_ids, store_id__in=store_ids)
            .in_stock()
            .values("variant_id")
            .order_by()
            .annotate(pairs=Sum(policy.available_expression()), stores=Count("pk"), first=Min(rank))
            .values_list("variant_id", "pairs", "stores", "first")
        )
    by_id = {v.pk: v for v in variants}
    return {
        variant_id: FinderSizeSummary(by_id[variant_id], pairs, count, stores[first - 1])
        for variant_id, pairs, count, first in rows
    }


def _grids(result: FinderResult, sizes: dict[int, list[Variant]]) -> dict[int, list[FinderRow]]:
    """One row per store and one cell per size for each product of `sizes`: two queries."""
    variant_ids = [v.pk for vs in sizes.values() for v in vs]
    if not variant_ids:
        return {pk: [] for pk in sizes}

    # Only the levels with pairs and only the stores listed: a missing level is an empty cell.
    stocked: dict[tuple[int, int], FinderCell] = {
        (store_id, variant_id): FinderCell(store_id, variant_id, on_hand, reserved)
        for store_id, variant_id, on_hand, reserved in StockLevel.objects.filter(
            variant_id__in=variant_ids,
            store_id__in=[store.pk for store in result.stores],
            on_hand__gt=0,
        )
        .values_list("store_id", "variant_id", "on_hand", "reserved")
        .order_by()
    }
    for store_id, variant_id, pairs in (
        Transfer.objects.filter(
            status=Transfer.Status.DISPATCHED,
            variant_id__in=variant_ids,
        )
        .values("to_store_id", "variant_id")
        .annotate(pairs=Sum("quantity"))
        .order_by()
        .values_list(
            "to_store_id",
            "variant_id",
            "pairs",
        )
    ):
        key = (store_id, variant_id)
        stocked[key] = stocked.get(key, FinderCell(store_id, variant_id))._replace(incoming=pairs)

    def row(store: FinderStore, variant_ids: list[int]) -> FinderRow:
        store_id = store.pk
        return FinderRow(
            store=store,
            cells=[
                stocked.get((store_id, variant_id)) or FinderCell(store_id, variant_id)
                for variant_id in variant_ids
            ],
        )

    return {
        pk: [row(store, [v.pk for v in variants]) for store in result.stores]
        for pk, variants in sizes.items()
    }
