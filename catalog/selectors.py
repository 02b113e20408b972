"""Reads of the catalogue alone: sizes by code, orderings, sizes, a product page.

The catalogue search is `catalog.search`.

What depends on stock (the filtered list, product cards) is `storefront.selectors`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Upper

from .models import Category, Product, ProductImage, Variant

# --- A size by its SKU or barcode: one rule everywhere (tills, counts, staff, the API) --------
# Case is ignored (a SKU typed "fd2722-002-42" is FD2722-002-42) and so are surrounding spaces.
# A barcode is digits (EAN-13), so it is compared as it is: its unique index serves the lookup,
# as the upper-cased SKU index (`variant_sku_upper`) serves the SKU's.

_CODES_PER_QUERY = 500


def variant_by_code(code: str) -> Variant | None:
    """The size whose SKU or barcode `code` is, with its product and brand; None if none is."""
    code = code.strip()
    if not code:
        return None
    return (
        Variant.objects.filter(Q(sku__iexact=code) | Q(barcode=code))
        .select_related("product__brand")
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class VariantCodes:
    """Sizes found by `variants_by_codes`, to look up by SKU or by barcode, ignoring case."""

    skus: dict[str, Variant]
    barcodes: dict[str, Variant]

    def by_sku(self, code: str) -> Variant | None:
        return self.skus.get(code.strip().upper())

    def by_barcode(self, code: str) -> Variant | None:
        return self.barcodes.get(code.strip().upper())

    def by_code(self, code: str) -> Variant | None:
        """The size whose SKU or barcode this is (the SKU first)."""
        return self.by_sku(code) or self.by_barcode(code)


def variants_by_codes(codes: Iterable[str]) -> VariantCodes:
    """Every size whose SKU or barcode is one of `codes`, in one query per 500 codes."""
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    skus: dict[str, Variant] = {}
    barcodes: dict[str, Variant] = {}
    for start in range(0, len(wanted), _CODES_PER_QUERY):
        chunk = wanted[start : start + _CODES_PER_QUERY]
        found = (
            Variant.objects.annotate(sku_upper=Upper("sku"))
            .filter(Q(sku_upper__in=chunk) | Q(barcode__in=chunk))
            .only("id", "product_id", "sku", "barcode", "eu_size")
        )
        for variant in found:
            skus[variant.sku.upper()] = variant
            barcodes[variant.barcode.upper()] = variant
    return VariantCodes(skus=skus, barcodes=barcodes)


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


def catalog_sizes() -> list[Decimal]:
    """EU sizes made in at least one product on sale, smallest first. One query."""
    return list(
        Variant.objects.filter(product__is_active=True)
        .order_by("eu_size")
        .values_list("eu_size", flat=True)
        .distinct()
    )


def product_for_page(*, slug: str | None = None, pk: int | None = None) -> Product:
    """An active product (by `slug` or `pk`) with its brand, category, images and sizes.

    Raises `Product.DoesNotExist`.
    """
    lookup = {"slug": slug} if pk is None else {"pk": pk}
    return (
        Product.objects.active()
        .select_related("brand", "category")
        .prefetch_related(
            product_images(), Prefetch("variants", Variant.objects.order_by("eu_size"))
        )
        .get(**lookup)
    )


def categories_on_sale() -> list[Category]:
    """Categories with at least one product on sale, each with `product_count`."""
    on_sale = Count("products", filter=Q(products__is_active=True))
    return list(Category.objects.annotate(product_count=on_sale).filter(product_count__gt=0))
