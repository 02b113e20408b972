"""Staff decline a customer's "bring it to my store" request: the page shows, as they type, the
exact text the customer will get — in the customer's language, with what it costs — and sends
it only when they say so. Without JavaScript its Preview button shows the same."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from core.http import safe_next
from inventory import permissions
from inventory import selectors as inventory_selectors
from inventory import services as inventory
from inventory.models import Transfer
from inventory.views.common import refuse, staff_context

from .. import services
from ..forms import DeclineForm

# What the form's buttons ask; anything else (a request with no button, garbled) only
# previews.
SEND = "send"
SEND_AS_WRITTEN = "send_as_written"


@staff_member_required
@require_http_methods(["GET", "POST"])
def transfer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(
        inventory_selectors.transfers_with_people(Transfer.objects.all()), pk=pk
    )
    if not permissions.can_approve_transfer(request.user, transfer):
        return refuse(
            request,
            _("Only the staff of %(store)s or %(destination)s can decide on this request.")
            % {"store": transfer.from_store, "destination": transfer.to_store},
        )
    detail = reverse("inventory:transfer_detail", kwargs={"pk": transfer.pk})
    if transfer.status != Transfer.Status.AWAITING_APPROVAL:
        messages.error(request, _already_decided(transfer))
        if getattr(request, "htmx", False):  # the preview, as someone else decided: go see
            return HttpResponseClientRedirect(detail)
        return redirect(detail)
    action = request.POST.get("action", "")
    sending = action in (SEND, SEND_AS_WRITTEN)
    form = DeclineForm(
        request.POST if request.method == "POST" else None,
        language=transfer.customer_language,
        as_written=action == SEND_AS_WRITTEN,
    )
    if sending and form.is_valid():
        try:
            inventory.transfer_decline(
                transfer=transfer, user=request.user, reason=form.cleaned_data["reason"]
            )
        except inventory.StockError as exc:  # decided by someone else meanwhile
            messages.error(request, exc.message)
            return redirect(detail)
        messages.success(
            request,
            _(
                "Request #%(id)s declined: the customer is being "
                "texted the reason and offered the waitlist."
            )
            % {"id": transfer.pk},
        )
        return redirect(safe_next(request, detail))
    reason = form.typed_reason()
    held_back = sending and form.in_other_language
    if not sending:  # a preview judges nothing yet: the reason as typed, no errors
        form = DeclineForm(initial={"reason": reason}, language=transfer.customer_language)
    context = staff_context(
        request,
        section="transfers",
        transfer=transfer,
        form=form,
        reason=reason,
        preview=services.declined_text_preview(transfer=transfer, reason=reason),
        other_language=bool(reason) and form.written_in_other_language(reason),
        held_back=held_back,
        next=safe_next(request, ""),
    )
    if getattr(request, "htmx", False):
        return render(request, "demand/_decline_preview.html", context)
    return render(request, "demand/transfer_decline.html", context)


def _already_decided(transfer: Transfer) -> str:
    if transfer.status == Transfer.Status.DECLINED:
        return _("Request #%(id)s was already declined by %(who)s: the customer has been told.") % {
            "id": transfer.pk,
            "who": transfer.cancelled_by.get_username() if transfer.cancelled_by else "—",
        }
    return _("Request #%(id)s is “%(status)s”: it is no longer awaiting a decision.") % {
        "id": transfer.pk,
        "status": transfer.get_status_display(),
    }
