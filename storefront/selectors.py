"""Reads for the public pages: the catalogue list with its filters, product cards, new arrivals.

The catalogue-only parts (word search, orderings, sizes, a product page) are
`catalog.selectors`; the stock-dependent parts (in stock anywhere, in stock at a store) come
from `inventory.selectors`, which only ever counts shops a customer can walk into.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, QuerySet

from catalog.models import Brand, Category, Product
from catalog.selectors import ORDERINGS, Sort, product_images, product_search, search_terms
from inventory.models import Store
from inventory.selectors import products_in_stock, products_with_stock_flag

PAGE_SIZE = 24
NEW_ARRIVALS = 8


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


def product_list(*, filters: ProductFilters) -> QuerySet[Product]:
    """Active products matching `filters`, ready for cards, in the asked order.

    A size on its own means "made in this size"; with "in stock" or a store it means a pair
    of that size is for sale (at that store). A price range given backwards is read the
    right way round.
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

    products = product_search(products, filters.q)
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE:
        if connection.vendor == "postgresql" and search_terms(filters.q):
            products = products.order_by(F("rank").desc(), *ORDERINGS[Sort.NEWEST])
        else:
            products = products.order_by(*ORDERINGS[Sort.NEWEST])
    else:
        products = products.order_by(*ORDERINGS[sort])
    return product_cards(products)


def new_arrivals(*, limit: int = NEW_ARRIVALS) -> list[Product]:
    return list(product_cards(Product.objects.active()).order_by(*ORDERINGS[Sort.NEWEST])[:limit])
