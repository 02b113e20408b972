"""Staff pages for finding a pair: the stock finder and the transfer request it leads to."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog.models import Product, Variant
from catalog.selectors import variant_by_code
from core.http import parse_id
from core.language import current_language
from core.phones import InvalidPhone

from .. import permissions, selectors, services
from ..forms import FinderForm, TransferRequestForm
from ..geo import city_by_slug, point_of
from ..models import StockLevel, Store
from .common import refuse, staff_context


@staff_member_required
@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    if not permissions.can_find_stock(request.user):
        return refuse(request, _("Your account may not use the stock finder."))
    form, data, place = _finder_search(request)
    result = selectors.stock_finder(
        query=data.get("q") or "",
        page=data.get("page") or 1,
        open_product_id=data.get("open"),
        **place,
    )
    return render(request, "inventory/finder.html", _finder_context(request, form, data, result))


@staff_member_required
@require_GET
def finder_product(request: HttpRequest, pk: int) -> HttpResponse:
    """One product's grid, for htmx to put in place of its summary on the finder; a browser
    that asks for it directly gets the finder with that product open."""
    if not permissions.can_find_stock(request.user):
        return refuse(request, _("Your account may not use the stock finder."))
    form, data, place = _finder_search(request)
    if not request.htmx:  # type: ignore[attr-defined]
        product = Product.objects.filter(pk=pk).only("style_code").first()
        if product is None:
            raise Http404
        query = {
            key: value
            for key, value in (
                ("q", data.get("q") or product.style_code),
                ("city", data.get("city")),
                ("to", data.get("to")),
                ("page", data.get("page")),
                ("open", pk),
            )
            if value
        }
        return redirect(f"{reverse('inventory:finder')}?{urlencode(query)}#product-{pk}")
    result = selectors.stock_finder_product(product_id=pk, **place)
    if not result.products:
        raise Http404
    context = _finder_context(request, form, data, result)
    return render(
        request, "inventory/_finder_product.html", {**context, "item": result.products[0]}
    )


def _finder_search(request: HttpRequest) -> tuple[FinderForm, dict[str, Any], dict[str, Any]]:
    """The finder's form, what of it is valid, and where its stores are ranked from (the
    customer's city, or else the salesperson's home store)."""
    form = FinderForm(request.GET or None)
    form.is_valid()  # keep whatever is valid: a bad page number must not lose the search
    data = getattr(form, "cleaned_data", {})
    home = permissions.user_home_store(request.user)
    city = city_by_slug(data.get("city"))
    origin = city.point if city else (point_of(home) if home else None)
    return form, data, {"origin": origin, "home_store_id": home.pk if home and not city else None}


def _finder_context(
    request: HttpRequest, form: FinderForm, data: dict[str, Any], result: selectors.FinderResult
) -> dict[str, Any]:
    home = permissions.user_home_store(request.user)
    city = city_by_slug(data.get("city"))
    shops = {shop.pk: shop.store for shop in result.shops}
    if city is not None:
        default_destination = result.shops[0].store if result.shops else None
    else:
        default_destination = shops.get(home.pk) if home else None
    chosen = shops.get(data.get("to") or 0)
    destination = chosen or default_destination
    page_query = urlencode(
        {
            key: value
            for key, value in (
                ("q", result.query),
                ("city", city.slug if city else ""),
                ("to", chosen.pk if chosen else ""),
            )
            if value
        }
    )
    return staff_context(
        request,
        section="finder",
        form=form,
        result=result,
        city=city,
        destination=destination,
        destination_id=destination.pk if destination else 0,
        default_destination=default_destination,
        chosen_destination=chosen,
        page_query=page_query,
    )


# --- Transfer request -----------------------------------------------------------------------


@staff_member_required
def transfer_request(request: HttpRequest) -> HttpResponse:
    if not permissions.can_request_transfer(request.user):
        return refuse(request, _("Your account may not request transfers."))
    home = permissions.user_home_store(request.user)
    if request.method == "POST":
        form = TransferRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = services.transfer_request(
                    variant=data["variant"],
                    from_store=data["from_store"],
                    to_store=data["to_store"],
                    quantity=data["quantity"],
                    customer_name=data["customer_name"],
                    customer_phone=data["customer_phone"],
                    customer_language=data["customer_language"],
                    note=data["note"],
                    user=request.user,
                    consent_shown=(
                        request.get_full_path(),
                        str(form.consent_wording),
                        current_language(),
                    ),
                )
            except InvalidPhone as exc:
                form.add_error("customer_phone", exc.message)
            except services.StockError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Transfer #%(id)s requested: %(pairs)s × %(product)s, EU %(size)s, from "
                        "%(source)s to %(destination)s. The pair is set aside at %(source)s."
                    )
                    % {
                        "id": transfer.pk,
                        "pairs": transfer.quantity,
                        "product": data["variant"].product.name,
                        "size": data["variant"].size_label,
                        "source": data["from_store"],
                        "destination": data["to_store"],
                    },
                )
                return redirect("inventory:transfer_detail", pk=transfer.pk)
    else:
        variant = Variant.objects.filter(pk=parse_id(request.GET.get("variant")) or 0).first()
        to_store = parse_id(request.GET.get("to_store")) or (home.pk if home else None)
        form = TransferRequestForm(
            initial={
                "variant": variant.sku if variant else request.GET.get("sku", ""),
                "from_store": parse_id(request.GET.get("from_store")),
                "to_store": to_store,
                "quantity": 1,
                "customer_language": "he",
                "city": request.GET.get("city", ""),
            }
        )
    return render(
        request,
        "inventory/transfer_form.html",
        staff_context(
            request,
            section="finder",
            form=form,
            source_stock=_source_stock(form),
            back_url=_finder_back_url(form),
        ),
    )


def _form_value(form: TransferRequestForm, name: str) -> Any:
    if form.is_bound:
        return form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    return form.initial.get(name)


def _source_stock(form: TransferRequestForm) -> dict[str, Any] | None:
    """What the page shows about the pair asked for: the size and what the source has."""
    variant = _form_value(form, "variant")
    source = _form_value(form, "from_store")
    if isinstance(variant, str):
        variant = variant_by_code(variant)
    if not isinstance(variant, Variant):
        return None
    if isinstance(source, int):
        source = Store.objects.filter(pk=source).first()
    level = (
        StockLevel.objects.filter(store=source, variant=variant).first()
        if isinstance(source, Store)
        else None
    )
    return {
        "variant": variant,
        "store": source if isinstance(source, Store) else None,
        "available": level.available if level else 0,
        "reserved": level.reserved if level else 0,
    }


def _finder_back_url(form: TransferRequestForm) -> str:
    variant = _form_value(form, "variant")
    sku = variant.sku if isinstance(variant, Variant) else (variant or "")
    city = _form_value(form, "city") or ""
    query = urlencode({key: value for key, value in (("q", sku), ("city", city)) if value})
    return reverse("inventory:finder") + (f"?{query}" if query else "")
