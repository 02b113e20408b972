"""Staff pages for transfers: the queues (to dispatch, incoming, history), a transfer's page
and its approve, dispatch, receive and cancel buttons (declining a customer's request, which
texts them, is demand's page: `demand.views.declines`)."""

from dataclasses import dataclass
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import safe_next
from core.phones import mask_phone

from .. import permissions, selectors, services
from ..forms import DispatchForm
from ..models import Transfer
from .common import picked_store, refuse, reveal_url, staff_context

QUEUE_PAGE_SIZE = 50


@dataclass
class TransferRow:
    transfer: Transfer
    can_dispatch: bool
    can_receive: bool
    can_cancel: bool
    overdue: bool = False
    can_approve: bool = False


def _rows(user: Any, transfers: QuerySet[Transfer] | list[Transfer]) -> list[TransferRow]:
    today = timezone.localdate()
    return [
        TransferRow(
            transfer=t,
            can_dispatch=(
                t.status == Transfer.Status.REQUESTED and permissions.can_dispatch_transfer(user, t)
            ),
            can_receive=(
                t.status == Transfer.Status.DISPATCHED and permissions.can_receive_transfer(user, t)
            ),
            can_cancel=(
                t.status == Transfer.Status.REQUESTED and permissions.can_cancel_transfer(user, t)
            ),
            overdue=(
                t.status == Transfer.Status.DISPATCHED
                and t.expected_date is not None
                and t.expected_date < today
            ),
            can_approve=(
                t.status == Transfer.Status.AWAITING_APPROVAL
                and permissions.can_approve_transfer(user, t)
            ),
        )
        for t in transfers
    ]


QUEUE_TABS = ("dispatch", "incoming", "history", "approve")


@staff_member_required
@require_GET
def transfer_queue(request: HttpRequest, tab: str = "dispatch") -> HttpResponse:
    if not request.user.has_perm("inventory.view_transfer"):
        return refuse(request, _("Your account may not see transfers."))
    store, picker = picked_store(request)
    context = staff_context(
        request,
        section="transfers",
        tab=tab,
        store=store,
        picker=picker,
        rows=[],
        waiting=[],
        page_obj=None,
        default_expected=services.transfer_default_expected_date(),
    )
    if store is None:
        return render(request, "inventory/transfer_queue.html", context)
    visible = permissions.visible_transfers(request.user, Transfer.objects.all())
    if tab == "dispatch":
        context["rows"] = _rows(request.user, selectors.transfers_to_dispatch(visible, store=store))
    elif tab == "approve":
        context["rows"] = _rows(
            request.user, selectors.transfers_awaiting_approval(visible, store=store)
        )
    elif tab == "incoming":
        context["rows"] = _rows(request.user, selectors.transfers_on_the_way(visible, store=store))
        context["waiting"] = _rows(
            request.user, selectors.transfers_requested_to(visible, store=store)
        )
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
        return refuse(request, _("This transfer is between other stores."))
    row = _rows(request.user, [transfer])[0]
    hold = selectors.transfer_customer_hold(transfer)
    return render(
        request,
        "inventory/transfer_detail.html",
        staff_context(
            request,
            section="transfers",
            transfer=transfer,
            row=row,
            hold=hold,
            default_expected=services.transfer_default_expected_date(),
            masked_phone=mask_phone(transfer.customer_phone) if transfer.customer_phone else "",
            reveal_url=reveal_url("transfer", transfer.pk, request.get_full_path())
            if transfer.customer_phone
            and permissions.can_reveal_phone(
                request.user, [transfer.to_store_id, transfer.from_store_id]
            )
            else "",
        ),
    )


def _transfer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    transfer = get_object_or_404(selectors.transfers_with_people(Transfer.objects.all()), pk=pk)
    allowed = {
        "approve": permissions.can_approve_transfer,
        "dispatch": permissions.can_dispatch_transfer,
        "receive": permissions.can_receive_transfer,
        "cancel": permissions.can_cancel_transfer,
    }[action](request.user, transfer)
    if not allowed:
        reasons = {
            "approve": _(
                "Only the staff of %(store)s or %(destination)s can decide on this request."
            ),
            "dispatch": _("Only the staff of %(store)s can dispatch this transfer."),
            "receive": _("Only the staff of %(store)s can receive this transfer."),
            "cancel": _(
                "Only whoever requested this transfer, or a manager of either store, can cancel it."
            ),
        }
        store = transfer.to_store if action == "receive" else transfer.from_store
        return refuse(request, reasons[action] % {"store": store, "destination": transfer.to_store})
    fallback = reverse("inventory:transfer_detail", kwargs={"pk": transfer.pk})
    try:
        if action == "approve":
            services.transfer_approve(transfer=transfer, user=request.user)
            messages.success(
                request,
                _("Request #%(id)s approved: %(store)s can dispatch it now.")
                % {"id": transfer.pk, "store": transfer.from_store},
            )
        elif action == "dispatch":
            form = DispatchForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("expected_date", []):
                    messages.error(request, str(error))
                return redirect(safe_next(request, fallback))
            services.transfer_dispatch(
                transfer=transfer,
                user=request.user,
                expected_date=form.cleaned_data["expected_date"],
            )
            messages.success(
                request,
                _("Transfer #%(id)s dispatched to %(store)s.")
                % {"id": transfer.pk, "store": transfer.to_store},
            )
        elif action == "receive":
            done = services.transfer_receive(transfer=transfer, user=request.user)
            if done.customer_phone:
                messages.success(
                    request,
                    _(
                        "Transfer #%(id)s received. The pair is held for %(customer)s, who is "
                        "being texted; it is on the holds desk."
                    )
                    % {"id": transfer.pk, "customer": done.customer_name or _("the customer")},
                )
            else:
                messages.success(
                    request,
                    _("Transfer #%(id)s received: the pairs are on sale at %(store)s.")
                    % {"id": transfer.pk, "store": transfer.to_store},
                )
        else:
            services.transfer_cancel(transfer=transfer, user=request.user)
            messages.success(
                request,
                _("Transfer #%(id)s cancelled: the pair is back on sale at %(store)s.")
                % {"id": transfer.pk, "store": transfer.from_store},
            )
    except services.StockError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next(request, fallback))


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


@staff_member_required
@require_POST
def transfer_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, "approve")
