"""The product page's size lines, each kept on its own (`core.versions.cached_many`).

A line — one size's summary (at how many shops, how many pairs, the next arrival) and, for
the size the page opens, its stores — depends only on the catalogue and on that size's
numbers. When one size sells, the page is put together again from the other sizes' kept lines
and only the changed one is read from the database and rendered.

A kept line is the same for every city the customer may choose: where the city shows — the
nearest shop with pairs, the stores' distances and their order, the city in the line's links
— it holds a hole, filled in for each request from what the line keeps beside its HTML (the
shops' places). A customer who picks a city, or another one, costs no line a build.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalog.models import Product, Variant
from core.language import current_language
from core.versions import CATALOG, cached_many, stock_of
from inventory.geo import City
from inventory.selectors import product_availability

from .shops import PairsAt, RowHtml, nearest, rows_html, shop_list, shop_rows, size_status

# Where a kept line takes the city: comments, which no text of the page can forge (the
# templates and rows escape "<" in what they print).
CITY_QUERY = "<!--size-line:city-query-->"  # "?city=haifa", or nothing
CITY_PARAM = "<!--size-line:city-param-->"  # "&amp;city=haifa", or nothing
NEAREST = "<!--size-line:nearest-->"  # "Nearest: Dizengoff, 3 km", or nothing
STORES = "<!--size-line:stores-->"  # the open size's stores, nearest first with a city


@dataclass(frozen=True)
class SizeLine:
    """What the product page shows of one size: its chip reads `variant` and `in_stock`, its
    line in the availability list is `html`."""

    variant: Variant
    in_stock: bool
    html: SafeString


@dataclass(frozen=True)
class _Kept:
    """A line as kept: its HTML with the city's holes, and what fills them."""

    in_stock: bool
    html: str
    with_pairs: tuple[PairsAt, ...]  # for NEAREST
    rows: tuple[RowHtml, ...]  # for STORES (the open size's line)


def size_lines(
    *, product: Product, variants: list[Variant], city: City | None, open_id: int | None
) -> list[SizeLine]:
    """The lines of `variants`, in their order, for `city`: kept ones as kept, the others
    built together (one `product_availability` call for all of them)."""
    kept = _kept_lines(product, variants, open_id)
    return [
        SizeLine(variant=variant, in_stock=line.in_stock, html=_for_city(line, city))
        for variant, line in zip(variants, kept, strict=True)
    ]


def size_stores(*, product: Product, variant: Variant, city: City | None) -> SafeString:
    """One size's stores as its open line lists them (the line kept for the product page with
    that size open)."""
    (line,) = _kept_lines(product, [variant], variant.pk)
    return mark_safe(shop_list(line.rows, city))  # noqa: S308 (written escaped, shops.rows_html)


def _kept_lines(product: Product, variants: list[Variant], open_id: int | None) -> list[_Kept]:
    keys = {_key(product, variant, open_id): variant for variant in variants}

    def build(missing: list[str]) -> dict[str, _Kept]:
        sizes = product_availability(
            product=product,
            sizes=[keys[key] for key in missing],
            # A shut line shows only totals: an in-stock size needs only its shops with pairs.
            summaries={keys[key].pk for key in missing if keys[key].pk != open_id},
        )
        by_variant = {size.variant.pk: size for size in sizes}
        lines: dict[str, _Kept] = {}
        for key in missing:
            size = by_variant[keys[key].pk]
            is_open = size.variant.pk == open_id
            status = size_status(size)
            html = render_to_string(
                "storefront/_size_line.html",
                {
                    "size": size,
                    "product": product,
                    "open_id": open_id,
                    "status": status,
                    "holes": {
                        "city_query": mark_safe(CITY_QUERY),  # noqa: S308
                        "city_param": mark_safe(CITY_PARAM),  # noqa: S308
                        "nearest": mark_safe(NEAREST),  # noqa: S308
                        "stores": mark_safe(STORES),  # noqa: S308
                    },
                },
            )
            rows = rows_html(shop_rows(size)) if is_open else ()
            lines[key] = _Kept(size.in_stock, html, status.with_pairs, rows)
        return lines

    depends_on: dict[str, tuple[str, ...]] = {
        key: (CATALOG, stock_of(variant.pk)) for key, variant in keys.items()
    }
    kept = cached_many(depends_on, build)
    return [kept[key] for key in keys]


def _for_city(line: _Kept, city: City | None) -> SafeString:
    """The kept line with its holes filled for `city` (or for no city)."""
    slug = escape(city.slug) if city else ""
    html = line.html.replace(CITY_QUERY, f"?city={slug}" if city else "")
    html = html.replace(CITY_PARAM, f"&amp;city={slug}" if city else "")
    html = html.replace(NEAREST, nearest(line.with_pairs, city), 1)
    if line.rows or STORES in html:
        html = html.replace(STORES, shop_list(line.rows, city), 1)
    return mark_safe(html)  # noqa: S308 (the template's output, holes filled escaped)


def _key(product: Product, variant: Variant, open_id: int | None) -> str:
    # The language and date as a page's (arrival dates and "confirmed today" read against it).
    opened = "open" if variant.pk == open_id else "shut"
    return (
        f"size-line:{current_language()}:{timezone.localdate().isoformat()}:"
        f"{product.pk}:{variant.pk}:{opened}"
    )
