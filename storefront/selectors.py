"""Reads for the public pages: the catalogue list with its filters, product cards, new arrivals.

The catalogue-only parts (word search, orderings, sizes, a product page) are
`catalog.selectors`; the stock-dependent parts (in stock anywhere, in stock at a store) come
from `inventory.selectors`, which only ever counts shops a customer can walk into.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from catalog import search
from catalog.models import Brand, Category, Product
from catalog.selectors import ORDERINGS, Sort, product_images
from inventory.models import Store
from inventory.selectors import products_in_stock, products_with_stock_flag

PAGE_SIZE = 24
NEW_ARRIVALS = 8
SUGGESTIONS = 6


@dataclass(frozen=True)
class ProductFilters:
    """What the customer asked the catalog list for; every field is already validated."""

    q: str = ""
    brand: Brand | None = None
    category: Category | None = None
    gender: str = ""
    size: Decimal | None = None
    store: Store | None = None
    in_stock: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort == Sort.RELEVANCE and not self.q:
            return Sort.NEWEST
        return self.sort or (Sort.RELEVANCE if self.q else Sort.NEWEST)


def product_cards(products: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card shows: brand, category, images and whether any shop has a pair."""
    return products_with_stock_flag(
        products.select_related("brand", "category").prefetch_related(product_images())
    )


@dataclass(frozen=True)
class ProductList:
    """The list's products, in order (their cards come from `cards`, a page at a time), and
    what its search was read as (None without a search)."""

    products: QuerySet[Product]
    reading: search.Reading | None = None

    @property
    def size(self) -> Decimal | None:
        """The size the search named ("pegasus 42"), when the size filter did not."""
        return self.reading.size if self.reading else None


def product_list(*, filters: ProductFilters) -> ProductList:
    """Active products matching `filters`, ready for cards, in the asked order.

    A size on its own means "made in this size"; with "in stock" or a store it means a pair
    of that size is for sale (at that store). A size named in the search ("pegasus 42") means
    a pair of that size is for sale. A price range given backwards is read the right way round.
    """
    products: QuerySet[Product] = Product.objects.active()
    if filters.brand is not None:
        products = products.filter(brand=filters.brand)
    if filters.category is not None:
        products = products.filter(category=filters.category)
    if filters.gender:
        products = products.filter(gender=filters.gender)
    if filters.size is not None:
        products = products.filter(variants__eu_size=filters.size)
    if filters.store is not None or filters.in_stock:
        products = products_in_stock(products, store=filters.store, eu_size=filters.size)
    low, high = filters.price_min, filters.price_max
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low is not None:
        products = products.filter(price__gte=low)
    if high is not None:
        products = products.filter(price__lte=high)

    reading = None
    order: list = []
    if filters.q:
        found = search.find(products, filters.q)
        products, reading = found.products, found.reading
        if found.size is not None and filters.size is None:
            products = products_in_stock(products, store=filters.store, eu_size=found.size)
        order = search.ordering(found)
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE:
        products = products.order_by(*order, *ORDERINGS[Sort.NEWEST])
    else:
        products = products.order_by(*ORDERINGS[sort])
    return ProductList(products, reading)


def cards(ids: list[int]) -> list[Product]:
    """The cards of one page of the list, in the page's order. The page's ids are read first
    and their cards apart: asked for with the whole ordered list, PostgreSQL may work out the
    in-stock flag of every matching product (a hash over all stock) for 24 cards."""
    found = {product.pk: product for product in product_cards(Product.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def suggestions(query: str, *, limit: int = SUGGESTIONS) -> list[Product]:
    """The models a customer typing `query` may be after, best first: one product (its
    newest colourway) per model name."""
    if not query.strip():
        return []
    found = search.find(Product.objects.active(), query)
    if found.reading.is_empty:
        return []
    ranked = found.products.select_related("brand")
    if found.reading.of_role(search.LINE, search.NAME):
        # The models named, not the rest of a brand.
        ranked = ranked.filter(search_rank__gte=1)  # type: ignore[misc]
    ranked = ranked.order_by(*search.ordering(found), *ORDERINGS[Sort.NEWEST])
    picked: dict[tuple[int, str], Product] = {}
    for product in ranked[: limit * 4]:
        picked.setdefault((product.brand_id, product.name), product)
        if len(picked) == limit:
            break
    return list(picked.values())


def new_arrivals(*, limit: int = NEW_ARRIVALS) -> list[Product]:
    return list(product_cards(Product.objects.active()).order_by(*ORDERINGS[Sort.NEWEST])[:limit])
