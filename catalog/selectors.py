"""Reads of the catalogue alone: product word search, orderings, sizes, a product page.

What depends on stock (the filtered list, product cards) is `storefront.selectors`.
"""

import re
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from .models import Category, Product, ProductImage, Variant

# Longer queries are cut rather than refused: nobody types a product name this long.
MAX_QUERY_LENGTH = 100


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    NAME = "name"


ORDERINGS: dict[str, tuple] = {
    Sort.NEWEST: (F("release_date").desc(nulls_last=True), "-created_at", "-pk"),
    Sort.PRICE_ASC: ("price", "brand__name", "name", "pk"),
    Sort.PRICE_DESC: ("-price", "brand__name", "name", "pk"),
    Sort.NAME: ("name", "brand__name", "pk"),
}


def product_images() -> Prefetch:
    """A product's images in the order pages show them."""
    return Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))


def search_terms(query: str) -> list[str]:
    """The words of a query (letters and digits, Hebrew included), lower-cased."""
    return [term.lower() for term in re.findall(r"\w+", query[:MAX_QUERY_LENGTH])]


def product_search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products matching every word of `query` in name, brand, style code or colourway.

    On PostgreSQL: full-text search with the `simple` configuration (no stemming, so Hebrew
    and English behave alike) and prefix matching, so "peg" finds "Pegasus"; a style code
    also matches anywhere inside ("1391" finds "DD1391-100"). The result is annotated with a
    `rank`. Elsewhere (SQLite): every word must appear in one of those fields.
    """
    terms = search_terms(query)
    if not terms:
        return products
    code = query.strip()[:MAX_QUERY_LENGTH]
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("name", weight="A", config="simple")
            + SearchVector("brand__name", "style_code", weight="A", config="simple")
            + SearchVector("colourway_he", "colourway_en", weight="B", config="simple")
        )
        # Only \w characters reach the raw tsquery, so nothing in it is syntax.
        tsquery = SearchQuery(" & ".join(f"{term}:*" for term in terms),
                              search_type="raw", config="simple")
        return products.annotate(search=vector, rank=SearchRank(vector, tsquery)).filter(
            Q(search=tsquery) | Q(style_code__icontains=code)
        )
    for term in terms:
        products = products.filter(
            Q(name__icontains=term) | Q(brand__name__icontains=term)
            | Q(style_code__icontains=term)
            | Q(colourway_he__icontains=term) | Q(colourway_en__icontains=term)
        )
    return products


def catalog_sizes() -> list[Decimal]:
    """EU sizes made in at least one product on sale, smallest first. One query."""
    return list(
        Variant.objects.filter(product__is_active=True)
        .order_by("eu_size").values_list("eu_size", flat=True).distinct()
    )


def product_for_page(*, slug: str) -> Product:
    """An active product with its brand, category, images and sizes.

    Raises `Product.DoesNotExist`.
    """
    return (
        Product.objects.active().select_related("brand", "category")
        .prefetch_related(product_images(),
                          Prefetch("variants", Variant.objects.order_by("eu_size")))
        .get(slug=slug)
    )


def categories_on_sale() -> list[Category]:
    """Categories with at least one product on sale, each with `product_count`."""
    on_sale = Count("products", filter=Q(products__is_active=True))
    return list(Category.objects.annotate(product_count=on_sale).filter(product_count__gt=0))
