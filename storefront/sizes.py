"""The product page's size lines, each kept on its own (`core.versions.cached_many`).

A line — one size's summary (at how many shops, how many pairs, the next arrival) and, for
the size the page opens, its stores — depends only on the catalogue and on that size's
numbers. When one size sells, the page is put together again from the other sizes' kept lines
and only the changed one is read from the database and rendered.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from catalog.models import Product, Variant
from core.language import current_language
from core.versions import CATALOG, cached_many, stock_of
from inventory.geo import City
from inventory.selectors import product_availability

from .shops import shop_rows, size_status


@dataclass(frozen=True)
class SizeLine:
    """What the product page shows of one size: its chip reads `variant` and `in_stock`, its
    line in the availability list is `html`."""

    variant: Variant
    in_stock: bool
    html: SafeString


def size_lines(
    *, product: Product, variants: list[Variant], city: City | None, open_id: int | None
) -> list[SizeLine]:
    """The lines of `variants`, in their order: kept ones as kept, the others built together
    (one `product_availability` call for all of them)."""
    keys = {_key(product, variant, city, open_id): variant for variant in variants}

    def build(missing: list[str]) -> dict[str, tuple[bool, str]]:
        sizes = product_availability(
            product=product,
            sizes=[keys[key] for key in missing],
            origin=city.point if city else None,
            # A shut line shows only totals: an in-stock size needs only its shops with pairs.
            summaries={keys[key].pk for key in missing if keys[key].pk != open_id},
        )
        by_variant = {size.variant.pk: size for size in sizes}
        lines: dict[str, tuple[bool, str]] = {}
        for key in missing:
            size = by_variant[keys[key].pk]
            html = render_to_string(
                "storefront/_size_line.html",
                {
                    "size": size,
                    "product": product,
                    "city": city,
                    "open_id": open_id,
                    "status": size_status(size),
                    "shop_rows": shop_rows(size) if size.variant.pk == open_id else [],
                },
            )
            lines[key] = (size.in_stock, html)
        return lines

    depends_on: dict[str, tuple[str, ...]] = {
        key: (CATALOG, stock_of(variant.pk)) for key, variant in keys.items()
    }
    kept = cached_many(depends_on, build)
    return [
        SizeLine(variant=variant, in_stock=kept[key][0], html=mark_safe(kept[key][1]))  # noqa: S308
        for key, variant in keys.items()
    ]


def _key(product: Product, variant: Variant, city: City | None, open_id: int | None) -> str:
    # The language and date as a page's (arrival dates and "confirmed today" read against it).
    where = city.slug if city else ""
    opened = "open" if variant.pk == open_id else "shut"
    return (
        f"size-line:{current_language()}:{timezone.localdate().isoformat()}:"
        f"{product.pk}:{variant.pk}:{where}:{opened}"
    )
