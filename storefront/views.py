"""The public storefront: thin views over `storefront.selectors`, `catalog.selectors` and
`inventory.selectors`."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.models import Product
from catalog.selectors import categories_on_sale, product_for_page
from inventory.selectors import customer_stores, product_availability

from . import selectors
from .forms import ProductFilterForm, size_label
from .selectors import ProductFilters
from .templatetags.storefront import shekels


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/home.html", {
        "categories": categories_on_sale(),
        "new_products": selectors.new_arrivals(),
    })


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(selectors.product_list(filters=filters), selectors.PAGE_SIZE)
    # get_page() turns a page number that is not a number, or out of range, into a real page.
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "storefront/product_list.html", {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "products": page.object_list,
        "elided_pages": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "chips": _filter_chips(request, filters),
        # A size chosen here opens that size's stores on the product page.
        "size_query": f"?size={size_label(filters.size)}" if filters.size is not None else "",
    })


@require_safe
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = product_for_page(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    sizes = product_availability(product=product)
    return render(request, "storefront/product_detail.html", {
        "product": product,
        "images": list(product.images.all()),
        "sizes": sizes,
        "sizes_in_stock": sum(1 for size in sizes if size.in_stock),
        "selected_size": request.GET.get("size", ""),
    })


@require_safe
def store_list(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/store_list.html", {"stores": customer_stores()})


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
