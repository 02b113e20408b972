"""The storefront's pages, rendered once per version of the data they show and kept in the
shared cache (`core.versions`): the product page's body and one size's store list, the home
page's body, the catalogue list's results and the stores page.

Every key names the language, the local date (arrival dates and "confirmed today" read
against it) and whatever the customer chose (city, open size, filters), then the versions of
the catalogue and of the stock the part shows. What depends on the visitor (the CSRF token,
the staff link, messages) is rendered around these parts on every request, never inside them.
"""

import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from catalog.models import Product, Variant
from catalog.selectors import categories_on_sale, product_for_page
from core.language import current_language
from core.versions import CATALOG, STOCK, cached, current, stock_of
from inventory.geo import CITIES, City
from inventory.selectors import customer_stores, product_availability

from . import selectors


@dataclass(frozen=True)
class ProductPage:
    """A product page's parts that are the same for every visitor."""

    product_id: int
    title: str
    description: str
    body: SafeString


@dataclass(frozen=True)
class CataloguePage:
    """A catalogue list page's parts that are the same for everyone asking the same."""

    q: str
    noindex: bool
    body: SafeString


def _scope(*parts: object) -> str:
    return ":".join([current_language(), timezone.localdate().isoformat(), *map(str, parts)])


@dataclass(frozen=True)
class ProductKey:
    """An active product's id and its sizes' ids: what its page's key is built from."""

    pk: int
    variant_ids: tuple[int, ...]
    size_labels: frozenset[str]

    def versions(self) -> str:
        return current(CATALOG, *(stock_of(variant_id) for variant_id in self.variant_ids))


def product_key(slug: str) -> ProductKey | None:
    """The active product at `slug`, or None."""
    def build() -> ProductKey | int:
        product = Product.objects.active().filter(slug=slug).values_list("pk", flat=True).first()
        if product is None:
            return 0
        variants = list(Variant.objects.filter(product_id=product).order_by("pk"))
        return ProductKey(pk=product, variant_ids=tuple(v.pk for v in variants),
                          size_labels=frozenset(v.size_label for v in variants))

    found = cached(lambda: f"product-key:{slug[:100]}:{current(CATALOG)}", build)
    return found if isinstance(found, ProductKey) else None


def product_page(key: ProductKey, *, city: City | None, size: str) -> ProductPage | None:
    """The product page's body with `size` (a size label) open, nearest stores to `city`."""
    if size not in key.size_labels:
        size = ""
    def build() -> ProductPage | None:
        try:
            product = product_for_page(pk=key.pk)
        except Product.DoesNotExist:
            return None
        sizes = product_availability(product=product, origin=city.point if city else None)
        open_size = next((s for s in sizes if s.variant.size_label == size), None)
        body = render_to_string("storefront/_product_body.html", {
            "product": product,
            "images": list(product.images.all()),
            "sizes": sizes,
            "sizes_in_stock": sum(1 for s in sizes if s.in_stock),
            "open_size": open_size,
            "open_id": open_size.variant.pk if open_size else None,
            "city": city,
            "cities": _cities(),
            "LANGUAGE_CODE": current_language(),
        })
        return ProductPage(product_id=product.pk, title=_title(product),
                           description=_description(product), body=mark_safe(body))  # noqa: S308

    return cached(
        lambda: f"product:{_scope(key.pk, city.slug if city else '', size)}:"
                f"{key.versions()}",
        build)


def size_stores(key: ProductKey, variant_id: int, *, city: City | None) -> SafeString | None:
    """One size's full store list (what opening that size shows), or None if not this
    product's."""
    def build() -> str:
        try:
            product = product_for_page(pk=key.pk)
        except Product.DoesNotExist:
            return ""
        sizes = product_availability(product=product, origin=city.point if city else None)
        size = next((s for s in sizes if s.variant.pk == variant_id), None)
        if size is None:
            return ""
        return render_to_string("storefront/_size_stores.html", {"size": size, "city": city})

    html = cached(
        lambda: f"size:{_scope(key.pk, variant_id, city.slug if city else '')}:"
                f"{key.versions()}",
        build)
    return mark_safe(html) if html else None  # noqa: S308


def home_body() -> SafeString:
    return mark_safe(cached(  # noqa: S308
        lambda: f"home:{_scope()}:{current(CATALOG, STOCK)}",
        lambda: render_to_string("storefront/_home_body.html", {
            "categories": categories_on_sale(),
            "new_products": selectors.new_arrivals(),
        })))


def stores_body() -> SafeString:
    return mark_safe(cached(  # noqa: S308
        lambda: f"stores:{_scope()}:{current(CATALOG)}",
        lambda: render_to_string("storefront/_store_list_body.html",
                                 {"stores": customer_stores()})))


def list_key(*parts: object) -> str:
    """A short key for a catalogue list page: what was asked, hashed."""
    asked = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f"list:{_scope(asked)}:{current(CATALOG, STOCK)}"


def _cities() -> list[City]:
    return sorted(CITIES, key=lambda city: city.name)


def _title(product: Product) -> str:
    name = f"{product.brand.name} {product.name}"
    return f"{name} – {product.colourway}" if product.colourway else name


def _description(product: Product) -> str:
    return Truncator(strip_tags(product.description)).words(30) or product.name

