"""The product page put together from a kept frame and its stock parts.

Most of a product page does not change with stock: the layout, the gallery, the details and
specs, the reviews, the launch panel, the availability section's heading and its form for the
customer's city. That frame is rendered once per product, language and day and kept under the
catalogue's and the model's launches' versions, with holes where the stock parts go (the size
chips and the size lines), where the open size is named in the city form, and where the
address's query is written (the language links, the feedback form's way back); the city the
customer chose is marked in the form's list. A page that is not kept yet is then its size
lines (kept on their own, `storefront.sizes`), the chips' small template and the frame,
instead of the whole template.
"""

import copy

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.safestring import mark_safe

from catalog.models import Product
from core.language import current_language
from core.versions import CATALOG, Depends, cached, launches_of
from demand.selectors import launch_open_for
from inventory.geo import CITIES

from .pages import CSRF_HOLE, Context

TEMPLATE = "storefront/product_detail.html"
# Where the stock parts go in a kept frame: comments, which no text of the page can forge
# (the templates escape "<" in what they print).
SIZES_HOLE = "<!--product-frame:sizes-->"
SIZE_LIST_HOLE = "<!--product-frame:size-list-->"
OPEN_SIZE_HOLE = "<!--product-frame:open-size-->"
# Stands in for the address's query string (`?size=42&city=haifa`) in a kept frame.
QUERY_HOLE = "product-frame-query"


def frame_context(product: Product) -> Context:
    """What the frame reads besides the product: its launch draw and pictures, and the cities
    the customer may choose from, by name."""
    return {
        "launch": launch_open_for(product),
        "images": list(product.images.all()),
        "cities": sorted(CITIES, key=lambda city: city.name),
    }


def product_html(request: HttpRequest, context: Context, kept: bool) -> str:
    """The product page for `context` (the product, its size lines and the city): as one
    template for a visitor served uncached, from the kept frame for everyone else."""
    product: Product = context["product"]
    if not kept:
        return render_to_string(TEMPLATE, {**context, **frame_context(product)}, request=request)
    frame = kept_frame(request, product)
    query = request.META.get("QUERY_STRING", "")
    frame = frame.replace(f"?{QUERY_HOLE}", f"?{escape(iri_to_uri(query))}" if query else "")
    city, open_size = context["city"], context["open_size"]
    if city is not None:
        option = f'<option value="{escape(city.slug)}">'
        frame = frame.replace(option, f"{option[:-1]} selected>", 1)
    chosen = (
        f'<input type="hidden" name="size" value="{escape(open_size.variant.size_label)}">'
        if open_size is not None
        else ""
    )
    sizes = render_to_string("storefront/_product_sizes.html", context)
    lines = "".join(size.html for size in context["sizes"])
    return (
        frame.replace(SIZES_HOLE, sizes, 1)
        .replace(OPEN_SIZE_HOLE, chosen, 1)
        .replace(SIZE_LIST_HOLE, lines, 1)
    )


def kept_frame(request: HttpRequest, product: Product) -> str:
    """The product's frame in the request's language, with its holes, kept."""
    return cached(_frame_key(product), lambda depends: _frame(request, product, depends))


def _frame(request: HttpRequest, product: Product, depends: Depends) -> str:
    depends.on(CATALOG, launches_of(product.pk))
    # The frame is the same for every address of the product: it is rendered for one whose
    # query is the hole.
    asked = copy.copy(request)
    asked.META = {**request.META, "QUERY_STRING": QUERY_HOLE}
    holes = {
        "sizes": mark_safe(SIZES_HOLE),  # noqa: S308
        "size_list": mark_safe(SIZE_LIST_HOLE),  # noqa: S308
        "open_size": mark_safe(OPEN_SIZE_HOLE),  # noqa: S308
    }
    context = {
        "product": product,
        "sizes": product.variants.all(),  # whether it has any: the section says so when not
        **frame_context(product),
        "frame": holes,
        "csrf_token": CSRF_HOLE,
    }
    return render_to_string(TEMPLATE, context, request=asked)


def _frame_key(product: Product) -> str:
    # The language and date as a page's ("confirmed today" and the year in the footer).
    return f"frame:{current_language()}:{timezone.localdate().isoformat()}:{product.pk}"
