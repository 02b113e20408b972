"""The product page put together from a kept frame and its stock parts.

Most of a product page does not change with stock: the layout, the gallery, the details and
specs, the reviews, the launch panel. That frame is rendered once per product, language and
day and kept under the catalogue's and the model's launches' versions, with holes where the
stock parts go (the size chips and the availability section) and where the address's query
is written (the language links, the feedback form's way back). A page that is not kept yet is
then its size lines (kept on their own, `storefront.sizes`), two small templates and the
frame, instead of the whole template.
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

from .pages import CSRF_HOLE, Context

TEMPLATE = "storefront/product_detail.html"
# Where the stock parts go in a kept frame: comments, which no text of the page can forge
# (the templates escape "<" in what they print).
SIZES_HOLE = "<!--product-frame:sizes-->"
AVAILABILITY_HOLE = "<!--product-frame:availability-->"
# Stands in for the address's query string (`?size=42&city=haifa`) in a kept frame.
QUERY_HOLE = "product-frame-query"


def frame_context(product: Product) -> Context:
    """What the frame reads besides the product: its launch draw and pictures."""
    return {"launch": launch_open_for(product), "images": list(product.images.all())}


def product_html(request: HttpRequest, context: Context, kept: bool) -> str:
    """The product page for `context` (the product, its size lines and the city): as one
    template for a visitor served uncached, from the kept frame for everyone else."""
    product: Product = context["product"]
    if not kept:
        return render_to_string(TEMPLATE, {**context, **frame_context(product)}, request=request)
    frame = kept_frame(request, product)
    query = request.META.get("QUERY_STRING", "")
    frame = frame.replace(f"?{QUERY_HOLE}", f"?{escape(iri_to_uri(query))}" if query else "")
    sizes = render_to_string("storefront/_product_sizes.html", context)
    availability = render_to_string("storefront/_availability.html", context)
    return frame.replace(SIZES_HOLE, sizes, 1).replace(AVAILABILITY_HOLE, availability, 1)


def kept_frame(request: HttpRequest, product: Product) -> str:
    """The product's frame in the request's language, with its holes, kept."""
    return cached(_frame_key(product), lambda depends: _frame(request, product, depends))


def _frame(request: HttpRequest, product: Product, depends: Depends) -> str:
    depends.on(CATALOG, launches_of(product.pk))
    # The frame is the same for every address of the product: it is rendered for one whose
    # query is the hole.
    asked = copy.copy(request)
    asked.META = {**request.META, "QUERY_STRING": QUERY_HOLE}
    holes = {"sizes": mark_safe(SIZES_HOLE), "availability": mark_safe(AVAILABILITY_HOLE)}  # noqa: S308
    context = {
        "product": product,
        **frame_context(product),
        "frame": holes,
        "csrf_token": CSRF_HOLE,
    }
    return render_to_string(TEMPLATE, context, request=asked)


def _frame_key(product: Product) -> str:
    # The language and date as a page's ("confirmed today" and the year in the footer).
    return f"frame:{current_language()}:{timezone.localdate().isoformat()}:{product.pk}"
