"""The public storefront: thin views over `storefront.selectors`, `catalog.selectors` and
`inventory.selectors`, each page kept by `storefront.pages` under the versions of what it
shows (declared with `depends.on` before it is read)."""

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog import search
from catalog.models import Product, Variant
from catalog.selectors import (
    MAX_QUERY_LENGTH,
    categories_on_sale,
    product_for_page,
    variant_by_code,
)
from core.versions import CATALOG, STOCK, Depends, cached, launches_of, stock_of
from inventory.geo import CITIES, City
from inventory.selectors import (
    customer_stores,
    stores_other_hours,
)

from . import selectors
from .forms import ProductFilterForm, size_label
from .frames import product_html
from .pages import Context, Reads, page
from .selectors import ProductFilters
from .sizes import size_lines, size_stores
from .templatetags.storefront import shekels

CITIES_BY_SLUG = {city.slug: city for city in CITIES}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def build(depends: Depends) -> Context:
        depends.on(CATALOG, STOCK)
        return {"categories": categories_on_sale(), "new_products": selectors.new_arrivals()}

    return page(request, "storefront/home.html", build, reads={})


@require_safe
def suggest(request: HttpRequest) -> HttpResponse:
    """The models matching what is typed in the search box so far, as a listbox for htmx to
    show under it; a browser that asks for it directly is sent to the search's results."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    if not request.htmx:  # type: ignore[attr-defined]
        list_url = reverse("storefront:product_list")
        return redirect(f"{list_url}?{urlencode({'q': query})}" if query else list_url)

    def build(depends: Depends) -> Context:
        depends.on(CATALOG)
        return {"query": query, "suggestions": selectors.suggestions(query)}

    return page(request, "storefront/_suggestions.html", build, reads={"q": _is_query})


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    code = _code_typed(request.GET.get("q", ""))
    if code is not None:
        # A SKU or barcode (a size) opens its product at that size; a style code its product.
        return redirect(code)

    def build(depends: Depends) -> Context:
        depends.on(CATALOG, STOCK)
        form = ProductFilterForm(request.GET)
        filters = form.filters()
        listed = selectors.product_list(filters=filters)
        paginator = Paginator(listed.products.values_list("pk", flat=True), selectors.PAGE_SIZE)
        # get_page() turns a page number that is not a number, or out of range, into a page.
        page_obj = paginator.get_page(request.GET.get("page"))
        size = filters.size if filters.size is not None else listed.size
        nothing_found = bool(filters.q) and not page_obj.paginator.count
        return {
            "form": form,
            "filters": filters,
            "page_obj": page_obj,
            "products": selectors.cards(list(page_obj.object_list)),
            "elided_pages": paginator.get_elided_page_range(
                page_obj.number, on_each_side=1, on_ends=1
            ),
            "chips": _filter_chips(request, filters),
            "search_size": size_label(listed.size) if listed.size is not None else "",
            # A size chosen here, or named in the search, opens that size's stores on the
            # product page.
            "size_query": f"?size={size_label(size)}" if size is not None else "",
            # An empty search is no dead end: the closest names and the categories.
            "did_you_mean": search.closest_names(filters.q) if nothing_found else [],
            "categories": categories_on_sale() if nothing_found else [],
        }

    return page(request, "storefront/product_list.html", build, reads=LIST_READS)


def _product(depends: Depends, slug: str) -> Product:
    """The product at `slug` with its brand, category, pictures and sizes (Http404 if it is
    not on sale), kept until the catalogue changes: a page's build reads it from the cache."""
    depends.on(CATALOG)

    def build(product_depends: Depends) -> Product:
        product_depends.on(CATALOG)
        return product_for_page(slug=slug)

    try:
        return cached(f"product:{slug}", build)
    except Product.DoesNotExist:
        raise Http404 from None


@require_safe
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(request)

    def build(depends: Depends) -> Context:
        product = _product(depends, slug)
        variants = sorted(product.variants.all(), key=lambda v: v.eu_size)
        # Every size's line is on the page: it is new when any size's numbers are (and is
        # put together again from the lines of the sizes that did not change).
        # A launch draw of this model (its own page takes the entries, the kept frame shows
        # it, `storefront.frames`): a new version when a launch is saved or drawn.
        depends.on(*(stock_of(variant.pk) for variant in variants), launches_of(product.pk))
        asked = request.GET.get("size")
        open_variant = next((v for v in variants if v.size_label == asked), None)
        open_id = open_variant.pk if open_variant else None
        sizes = size_lines(product=product, variants=variants, city=city, open_id=open_id)
        return {
            "product": product,
            "sizes": sizes,
            "sizes_in_stock": sum(1 for size in sizes if size.in_stock),
            "open_size": next((size for size in sizes if size.variant.pk == open_id), None),
            "city": city,
        }

    return page(
        request,
        "storefront/product_detail.html",
        build,
        reads={"size": _is_size, "city": _is_city},
        render_page=product_html,
    )


@require_safe
def product_size(request: HttpRequest, slug: str, variant_id: int) -> HttpResponse:
    """One size's stores, for htmx to put into the product page when the size is opened; a
    browser that asks for it directly gets the page with that size open."""
    city = _city(request)

    def build(depends: Depends) -> Context:
        product = _product(depends, slug)
        variant = next((v for v in product.variants.all() if v.pk == variant_id), None)
        if variant is None:
            raise Http404
        # Only this size is shown: a sale of another size leaves it as kept.
        depends.on(stock_of(variant.pk))
        return {"stores": size_stores(product=product, variant=variant, city=city)}

    if request.htmx:  # type: ignore[attr-defined]
        return page(request, "storefront/_size_stores.html", build, reads={"city": _is_city})
    variant = Variant.objects.filter(
        pk=variant_id, product__slug=slug, product__in=Product.objects.active()
    ).first()
    if variant is None:
        raise Http404
    query = {"size": variant.size_label, **({"city": city.slug} if city else {})}
    return redirect(
        f"{reverse('storefront:product', kwargs={'slug': slug})}"
        f"?{urlencode(query)}#size-{variant_id}"
    )


@require_safe
def store_list(request: HttpRequest) -> HttpResponse:
    def build(depends: Depends) -> Context:
        depends.on(CATALOG)  # stores, their hours and dates with other hours
        return {"stores": stores_other_hours(customer_stores(), timezone.localdate())}

    return page(request, "storefront/store_list.html", build, reads={})


# What the kept pages read from their query (`storefront.pages.page`): anything else is dropped
# by a redirect. A size reads like "42" or "40.5"; a page number is a number.
SIZE_LABEL = re.compile(r"\d{1,2}(\.5)?")
PAGE_NUMBER = re.compile(r"\d{1,4}")


def _is_size(value: str) -> bool:
    return SIZE_LABEL.fullmatch(value) is not None


# A code is one word of Latin letters and digits with at least one digit ("FD2722-002-42",
# "1966040000017"): anything else is a search.
CODE = re.compile(r"(?=[A-Za-z0-9.-]*\d)[A-Za-z0-9][A-Za-z0-9.-]{4,39}")


def _code_typed(query: str) -> str | None:
    """The product page a typed SKU, barcode or style code opens, if it is one on sale."""
    query = query.strip()
    if CODE.fullmatch(query) is None:
        return None
    variant = variant_by_code(query)
    if variant is not None and variant.product.is_active:
        return f"{variant.product.get_absolute_url()}?size={variant.size_label}"
    product = Product.objects.active().filter(style_code__iexact=query).only("slug").first()
    return product.get_absolute_url() if product is not None else None


def _is_query(value: str) -> bool:
    return 0 < len(value) <= MAX_QUERY_LENGTH and "\x00" not in value


def _is_city(value: str) -> bool:
    return value in CITIES_BY_SLUG


LIST_READS: Reads = {
    **dict.fromkeys(ProductFilterForm.base_fields),
    "page": lambda value: PAGE_NUMBER.fullmatch(value) is not None,
}


def _city(request: HttpRequest) -> City | None:
    """The city the customer chose (`?city=`), if it is one we know."""
    return CITIES_BY_SLUG.get(request.GET.get("city", ""))


@dataclass(frozen=True)
class FilterChip:
    label: str
    url: str  # this list without the filter


def _filter_chips(request: HttpRequest, filters: ProductFilters) -> list[FilterChip]:
    """One removable chip per filter in use, each linking to the list without it."""

    def without(*keys: str) -> str:
        params = request.GET.copy()
        for key in (*keys, "page"):
            params.pop(key, None)
        return f"{request.path}?{params.urlencode()}" if params else request.path

    chips = []
    if filters.q:
        chips.append(FilterChip(f"“{filters.q}”", without("q")))
    if filters.brand:
        chips.append(FilterChip(filters.brand.name, without("brand")))
    if filters.category:
        chips.append(FilterChip(str(filters.category.name), without("category")))
    if filters.gender:
        chips.append(FilterChip(str(Product.Gender(filters.gender).label), without("gender")))
    if filters.size is not None:
        chips.append(FilterChip(f"EU {size_label(filters.size)}", without("size")))
    if filters.store:
        chips.append(FilterChip(str(filters.store.name), without("store")))
    if filters.in_stock:
        chips.append(FilterChip(_("In stock only"), without("in_stock")))
    if filters.price_min is not None or filters.price_max is not None:
        low, high = filters.price_min, filters.price_max
        if low is not None and high is not None:
            label = f"{shekels(min(low, high))} – {shekels(max(low, high))}"
        elif low is not None:
            label = _("from %(price)s") % {"price": shekels(low)}
        else:
            label = _("up to %(price)s") % {"price": shekels(high)}
        chips.append(FilterChip(label, without("price_min", "price_max")))
    return chips
