"""The holds desk: pairs held at a store, the soonest to run out first, and its collect and
release buttons."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import safe_next
from core.phones import mask_phone

from .. import permissions, selectors, services
from ..models import Hold
from .common import picked_store, refuse, reveal_url, staff_context

# A hold with less time than this left is highlighted on the desk.
HOLD_URGENT = timedelta(hours=3)


@dataclass
class HoldRow:
    hold: Hold
    lapsed: bool
    urgent: bool
    time_left: str  # humanised; "" while the customer has not been told yet
    phone: str  # masked
    # The page that shows the number in full once the staff member says why ("" if not theirs).
    reveal_url: str
    # Under a minute from the end, either side: say "just now" / "under a minute", never "0".
    within_a_minute: bool = False


def _hold_row(hold: Hold, now: datetime, may_reveal: bool, back: str) -> HoldRow:
    expires = hold.expires_at
    lapsed = expires is not None and expires <= now
    if expires is None:
        time_left = ""
    elif lapsed:
        time_left = timesince(expires, now, depth=2)
    else:
        time_left = timeuntil(expires, now, depth=2)
    return HoldRow(
        hold=hold,
        lapsed=lapsed,
        urgent=expires is not None and not lapsed and expires - now < HOLD_URGENT,
        time_left=time_left,
        phone=mask_phone(hold.customer_phone) if hold.customer_phone else "",
        reveal_url=reveal_url("hold", hold.pk, back) if may_reveal and hold.customer_phone else "",
        within_a_minute=expires is not None and abs((expires - now).total_seconds()) < 60,
    )


@staff_member_required
@require_GET
def holds_desk(request: HttpRequest) -> HttpResponse:
    store, picker = picked_store(request)
    if store is not None and not permissions.can_view_holds(request.user, store):
        return refuse(
            request, _("Your account may not see the holds at %(store)s.") % {"store": store}
        )
    context = staff_context(
        request, section="holds", store=store, picker=picker, rows=[], ended=[], can_act=False
    )
    if store is not None:
        now = timezone.now()
        may_reveal = permissions.can_reveal_phone(request.user, [store])
        back = request.get_full_path()
        context["rows"] = [
            _hold_row(hold, now, may_reveal, back) for hold in selectors.holds_active(store=store)
        ]
        context["ended"] = selectors.holds_ended_since(store=store, since=now - timedelta(days=1))
        context["can_act"] = permissions.can_manage_holds(request.user, store)
        context["store_query"] = urlencode({"store": store.pk}) if picker is not None else ""
    return render(request, "inventory/holds_desk.html", context)


def _hold_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    hold = get_object_or_404(Hold.objects.select_related("store", "variant__product"), pk=pk)
    if not permissions.can_manage_holds(request.user, hold.store):
        return refuse(
            request, _("Only staff of %(store)s can end its holds.") % {"store": hold.store}
        )
    names = {
        "customer": hold.customer_name or _("the customer"),
        "product": hold.variant.product.name,
        "size": hold.variant.size_label,
    }
    try:
        if action == "collect":
            services.hold_collect(hold=hold, user=request.user)
            messages.success(request, _("%(customer)s collected %(product)s, EU %(size)s.") % names)
        else:
            services.hold_release(hold=hold, user=request.user)
            messages.success(
                request,
                _("The pair held for %(customer)s (%(product)s, EU %(size)s) is released.") % names,
            )
    except services.StockError as exc:
        messages.error(request, exc.message)
    fallback = reverse("inventory:holds")
    if request.POST.get("store"):
        fallback += "?" + urlencode({"store": request.POST["store"]})
    return redirect(safe_next(request, fallback))


@staff_member_required
@require_POST
def hold_collect(request: HttpRequest, pk: int) -> HttpResponse:
    return _hold_action(request, pk, "collect")


@staff_member_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _hold_action(request, pk, "release")
