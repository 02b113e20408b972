"""Staff pages: stock finder, transfer requests and queues, holds desk.

Thin: each view parses input with a form, asks `permissions` whether this user may do it (on
the server, for every action — hidden buttons are only a courtesy), then calls a selector or a
service and turns a domain error into a message.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Variant
from catalog.selectors import variant_by_code
from core.phones import InvalidPhone, mask_phone

from . import permissions, selectors, services
from .forms import DispatchForm, FinderForm, StorePickerForm, TransferRequestForm
from .geo import city_by_slug, point_of
from .models import Hold, StockLevel, Store, Transfer

# A hold with less time than this left is highlighted on the desk.
HOLD_URGENT = timedelta(hours=3)
QUEUE_PAGE_SIZE = 50


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    """A clear refusal page (403), in the staff layout, saying why."""
    context = _staff_context(request, section="", reason=reason)
    return render(request, "inventory/forbidden.html", context, status=403)


def _staff_context(request: HttpRequest, *, section: str, **extra: Any) -> dict[str, Any]:
    return {"staff_section": section, "home_store": permissions.user_home_store(request.user),
            **extra}


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


# --- Stock finder ---------------------------------------------------------------------------


@staff_member_required
@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    if not permissions.can_find_stock(request.user):
        return _refuse(request, _("Your account may not use the stock finder."))
    form = FinderForm(request.GET or None)
    form.is_valid()  # keep whatever is valid: a bad page number must not lose the search
    data = getattr(form, "cleaned_data", {})
    home = permissions.user_home_store(request.user)
    city = city_by_slug(data.get("city"))
    origin = city.point if city else (point_of(home) if home else None)
    result = selectors.stock_finder(
        query=data.get("q") or "", origin=origin,
        home_store_id=home.pk if home and not city else None,
        page=data.get("page") or 1,
    )
    shops = {shop.pk: shop.store for shop in result.shops}
    if city is not None:
        default_destination = result.shops[0].store if result.shops else None
    else:
        default_destination = shops.get(home.pk) if home else None
    chosen = shops.get(data.get("to") or 0)
    destination = chosen or default_destination
    page_query = urlencode({key: value for key, value in (
        ("q", result.query), ("city", city.slug if city else ""),
        ("to", chosen.pk if chosen else ""),
    ) if value})
    context = _staff_context(
        request, section="finder", form=form, result=result, city=city,
        destination=destination, destination_id=destination.pk if destination else 0,
        default_destination=default_destination, chosen_destination=chosen,
        page_query=page_query,
    )
    return render(request, "inventory/finder.html", context)


# --- Transfer request -----------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@staff_member_required
def transfer_request(request: HttpRequest) -> HttpResponse:
    if not permissions.can_request_transfer(request.user):
        return _refuse(request, _("Your account may not request transfers."))
    home = permissions.user_home_store(request.user)
    if request.method == "POST":
        form = TransferRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = services.transfer_request(
                    variant=data["variant"], from_store=data["from_store"],
                    to_store=data["to_store"], quantity=data["quantity"],
                    customer_name=data["customer_name"], customer_phone=data["customer_phone"],
                    customer_language=data["customer_language"], note=data["note"],
                    user=request.user,
                )
            except InvalidPhone as exc:
                form.add_error("customer_phone", exc.message)
            except services.StockError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _(
                    "Transfer #%(id)s requested: %(pairs)s × %(product)s, EU %(size)s, from "
                    "%(source)s to %(destination)s. The pair is set aside at %(source)s."
                ) % {"id": transfer.pk, "pairs": transfer.quantity,
                     "product": data["variant"].product.name,
                     "size": data["variant"].size_label, "source": data["from_store"],
                     "destination": data["to_store"]})
                return redirect("inventory:transfer_detail", pk=transfer.pk)
    else:
        variant = Variant.objects.filter(pk=_int(request.GET.get("variant")) or 0).first()
        to_store = _int(request.GET.get("to_store")) or (home.pk if home else None)
        form = TransferRequestForm(initial={
            "variant": variant.sku if variant else request.GET.get("sku", ""),
            "from_store": _int(request.GET.get("from_store")),
            "to_store": to_store,
            "quantity": 1,
            "customer_language": "he",
            "city": request.GET.get("city", ""),
        })
    return render(request, "inventory/transfer_form.html", _staff_context(
        request, section="finder", form=form, source_stock=_source_stock(form),
        back_url=_finder_back_url(form),
    ))


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
    level = (StockLevel.objects.filter(store=source, variant=variant).first()
             if isinstance(source, Store) else None)
    return {"variant": variant, "store": source if isinstance(source, Store) else None,
            "available": level.available if level else 0,
            "reserved": level.reserved if level else 0}


def _finder_back_url(form: TransferRequestForm) -> str:
    variant = _form_value(form, "variant")
    sku = variant.sku if isinstance(variant, Variant) else (variant or "")
    city = _form_value(form, "city") or ""
    query = urlencode({key: value for key, value in (("q", sku), ("city", city)) if value})
    return reverse("inventory:finder") + (f"?{query}" if query else "")


# --- Transfer queues and detail -------------------------------------------------------------


@dataclass
class TransferRow:
    transfer: Transfer
    can_dispatch: bool
    can_receive: bool
    can_cancel: bool
    overdue: bool = False


def _picked_store(request: HttpRequest) -> tuple[Store | None, StorePickerForm | None]:
    """The store whose queue or desk is shown: the home store, or — for those who may look at
    other stores — the one picked. Returns the store and the picker (None when not offered)."""
    home = permissions.user_home_store(request.user)
    if not permissions.can_view_any_store(request.user):
        return home, None
    picker = StorePickerForm(request.GET or None, initial={"store": home})
    picked = picker.cleaned_data.get("store") if picker.is_valid() else None
    return picked or home, picker


def _rows(user: Any, transfers: QuerySet[Transfer] | list[Transfer]) -> list[TransferRow]:
    today = timezone.localdate()
    return [
        TransferRow(
            transfer=t,
            can_dispatch=(t.status == Transfer.Status.REQUESTED
                          and permissions.can_dispatch_transfer(user, t)),
            can_receive=(t.status == Transfer.Status.DISPATCHED
                         and permissions.can_receive_transfer(user, t)),
            can_cancel=(t.status == Transfer.Status.REQUESTED
                        and permissions.can_cancel_transfer(user, t)),
            overdue=(t.status == Transfer.Status.DISPATCHED and t.expected_date is not None
                     and t.expected_date < today),
        )
        for t in transfers
    ]


QUEUE_TABS = ("dispatch", "incoming", "history")


@staff_member_required
@require_GET
def transfer_queue(request: HttpRequest, tab: str = "dispatch") -> HttpResponse:
    if not request.user.has_perm("inventory.view_transfer"):
        return _refuse(request, _("Your account may not see transfers."))
    store, picker = _picked_store(request)
    context = _staff_context(request, section="transfers", tab=tab, store=store, picker=picker,
                             rows=[], waiting=[], page_obj=None,
                             default_expected=services.transfer_default_expected_date())
    if store is None:
        return render(request, "inventory/transfer_queue.html", context)
    visible = permissions.visible_transfers(request.user, Transfer.objects.all())
    if tab == "dispatch":
        context["rows"] = _rows(request.user, selectors.transfers_to_dispatch(visible,
                                                                              store=store))
    elif tab == "incoming":
        context["rows"] = _rows(request.user, selectors.transfers_on_the_way(visible,
                                                                             store=store))
        context["waiting"] = _rows(request.user,
                                   selectors.transfers_requested_to(visible, store=store))
    else:
        history = selectors.transfer_history(visible, store=store)
        page = Paginator(history, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page_obj"] = page
        context["rows"] = _rows(request.user, list(page.object_list))
    context.update(selectors.transfer_queue_counts(store=store))
    context["store_query"] = urlencode({"store": store.pk}) if picker is not None else ""
    return render(request, "inventory/transfer_queue.html", context)


@staff_member_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(selectors.transfers_with_people(Transfer.objects.all()), pk=pk)
    if not permissions.can_view_transfer(request.user, transfer):
        return _refuse(request, _("This transfer is between other stores."))
    row = _rows(request.user, [transfer])[0]
    hold = selectors.transfer_customer_hold(transfer)
    return render(request, "inventory/transfer_detail.html", _staff_context(
        request, section="transfers", transfer=transfer, row=row, hold=hold,
        default_expected=services.transfer_default_expected_date(),
        show_phone=permissions.can_see_customer_phone(request.user, transfer.to_store)
        or permissions.can_see_customer_phone(request.user, transfer.from_store),
    ))


def _transfer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    transfer = get_object_or_404(selectors.transfers_with_people(Transfer.objects.all()), pk=pk)
    allowed = {
        "dispatch": permissions.can_dispatch_transfer,
        "receive": permissions.can_receive_transfer,
        "cancel": permissions.can_cancel_transfer,
    }[action](request.user, transfer)
    if not allowed:
        reasons = {
            "dispatch": _("Only a manager of %(store)s can dispatch this transfer."),
            "receive": _("Only a manager of %(store)s can receive this transfer."),
            "cancel": _("You may not cancel this transfer."),
        }
        store = transfer.to_store if action == "receive" else transfer.from_store
        return _refuse(request, reasons[action] % {"store": store})
    fallback = reverse("inventory:transfer_detail", kwargs={"pk": transfer.pk})
    try:
        if action == "dispatch":
            form = DispatchForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("expected_date", []):
                    messages.error(request, str(error))
                return redirect(_safe_next(request, fallback))
            services.transfer_dispatch(transfer=transfer, user=request.user,
                                       expected_date=form.cleaned_data["expected_date"])
            messages.success(request, _("Transfer #%(id)s dispatched to %(store)s.")
                             % {"id": transfer.pk, "store": transfer.to_store})
        elif action == "receive":
            done = services.transfer_receive(transfer=transfer, user=request.user)
            if done.customer_phone:
                messages.success(request, _(
                    "Transfer #%(id)s received. The pair is held for %(customer)s, who is "
                    "being texted; it is on the holds desk."
                ) % {"id": transfer.pk, "customer": done.customer_name or _("the customer")})
            else:
                messages.success(request, _("Transfer #%(id)s received: the pairs are on "
                                            "sale at %(store)s.")
                                 % {"id": transfer.pk, "store": transfer.to_store})
        else:
            services.transfer_cancel(transfer=transfer, user=request.user)
            messages.success(request, _("Transfer #%(id)s cancelled: the pair is back on sale "
                                        "at %(store)s.")
                             % {"id": transfer.pk, "store": transfer.from_store})
    except services.StockError as exc:
        messages.error(request, exc.message)
    return redirect(_safe_next(request, fallback))


@staff_member_required
@require_POST
def transfer_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, "dispatch")


@staff_member_required
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, "receive")


@staff_member_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, "cancel")


# --- Holds desk -----------------------------------------------------------------------------


@dataclass
class HoldRow:
    hold: Hold
    lapsed: bool
    urgent: bool
    time_left: str  # humanised; "" while the customer has not been told yet
    phone: str


def _hold_row(hold: Hold, now: datetime, show_phone: bool) -> HoldRow:
    expires = hold.expires_at
    lapsed = expires is not None and expires <= now
    if expires is None:
        time_left = ""
    elif lapsed:
        time_left = timesince(expires, now, depth=2)
    else:
        time_left = timeuntil(expires, now, depth=2)
    return HoldRow(
        hold=hold, lapsed=lapsed,
        urgent=expires is not None and not lapsed and expires - now < HOLD_URGENT,
        time_left=time_left,
        phone=hold.customer_phone if show_phone else mask_phone(hold.customer_phone),
    )


@staff_member_required
@require_GET
def holds_desk(request: HttpRequest) -> HttpResponse:
    store, picker = _picked_store(request)
    if store is not None and not permissions.can_view_holds(request.user, store):
        return _refuse(request, _("Your account may not see the holds at %(store)s.")
                       % {"store": store})
    context = _staff_context(request, section="holds", store=store, picker=picker, rows=[],
                             ended=[], can_act=False)
    if store is not None:
        now = timezone.now()
        show_phone = permissions.can_see_customer_phone(request.user, store)
        context["rows"] = [_hold_row(hold, now, show_phone)
                           for hold in selectors.holds_active(store=store)]
        context["ended"] = selectors.holds_ended_since(store=store, since=now - timedelta(days=1))
        context["can_act"] = permissions.can_manage_holds(request.user, store)
        context["store_query"] = urlencode({"store": store.pk}) if picker is not None else ""
    return render(request, "inventory/holds_desk.html", context)


def _hold_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    hold = get_object_or_404(Hold.objects.select_related("store", "variant__product"), pk=pk)
    if not permissions.can_manage_holds(request.user, hold.store):
        return _refuse(request, _("Only staff of %(store)s can end its holds.")
                       % {"store": hold.store})
    names = {"customer": hold.customer_name or _("the customer"),
             "product": hold.variant.product.name, "size": hold.variant.size_label}
    try:
        if action == "collect":
            services.hold_collect(hold=hold, user=request.user)
            messages.success(request, _("%(customer)s collected %(product)s, EU %(size)s.")
                             % names)
        else:
            services.hold_release(hold=hold, user=request.user)
            messages.success(request, _("The pair held for %(customer)s (%(product)s, EU "
                                        "%(size)s) is released.") % names)
    except services.StockError as exc:
        messages.error(request, exc.message)
    fallback = reverse("inventory:holds")
    if request.POST.get("store"):
        fallback += "?" + urlencode({"store": request.POST["store"]})
    return redirect(_safe_next(request, fallback))


@staff_member_required
@require_POST
def hold_collect(request: HttpRequest, pk: int) -> HttpResponse:
    return _hold_action(request, pk, "collect")


@staff_member_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _hold_action(request, pk, "release")
