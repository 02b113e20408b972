"""The public storefront: thin views over `storefront.selectors`, `catalog.selectors` and
`inventory.selectors`."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.models import Product, Variant
from core.versions import cached
from inventory.geo import CITIES, City

from . import pages, selectors
from .forms import ProductFilterForm, size_label
from .selectors import ProductFilters
from .templatetags.storefront import shekels

CITIES_BY_SLUG = {city.slug: city for city in CITIES}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/home.html", {"body": pages.home_body()})


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    page = cached(lambda: pages.list_key(request.path, sorted(request.GET.lists())),
                  lambda: _catalogue_page(request))
    return render(request, "storefront/product_list.html", {"page": page})


def _catalogue_page(request: HttpRequest) -> pages.CataloguePage:
    form = ProductFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(selectors.product_list(filters=filters), selectors.PAGE_SIZE)
    # get_page() turns a page number that is not a number, or out of range, into a real page.
    page = paginator.get_page(request.GET.get("page"))
    body = render_to_string("storefront/_product_list_body.html", {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "products": page.object_list,
        "elided_pages": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "chips": _filter_chips(request, filters),
        # A size chosen here opens that size's stores on the product page.
        "size_query": f"?size={size_label(filters.size)}" if filters.size is not None else "",
    }, request=request)
    return pages.CataloguePage(q=filters.q, noindex=page.number > 1 or bool(filters.q),
                               body=mark_safe(body))  # noqa: S308


@require_safe
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = pages.product_key(slug)
    page = pages.product_page(key, city=_city(request), size=request.GET.get("size", "")
                              ) if key else None
    if page is None:
        raise Http404
    return render(request, "storefront/product_detail.html", {"page": page})


@require_safe
def product_size(request: HttpRequest, slug: str, variant_id: int) -> HttpResponse:
    """One size's stores, for htmx to put into the product page when the size is opened; a
    browser that asks for it directly gets the page with that size open."""
    key = pages.product_key(slug)
    city = _city(request)
    stores = pages.size_stores(key, variant_id, city=city) if key else None
    if stores is None:
        raise Http404
    if not request.htmx:  # type: ignore[attr-defined]
        query = {"size": Variant.objects.get(pk=variant_id).size_label}
        if city:
            query["city"] = city.slug
        return redirect(f"{reverse('storefront:product', kwargs={'slug': slug})}"
                        f"?{urlencode(query)}#size-{variant_id}")
    return HttpResponse(stores)


@require_safe
def store_list(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/store_list.html", {"body": pages.stores_body()})


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
