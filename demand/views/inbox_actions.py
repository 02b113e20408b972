"""What staff do for a customer from their conversation in the store inbox: one more day, a
pick-up time, giving the pair up, or bringing the size asked about — through the services the
customer's own pages use, so the same rules refuse the same things. The inbox itself is the
messaging layer's (`notifications.inbox_views`); these act on holds and requests, which only
this layer may change."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Variant
from core.errors import DomainError
from core.http import parse_id
from inventory import services as inventory
from inventory.models import Hold
from inventory.views.common import refuse
from notifications.inbox_selectors import conversations_visible
from notifications.inbox_views import may_answer
from notifications.models import Conversation
from notifications.services import AlertError

from .. import services
from ..forms import PickupSlotForm

ACTIONS = ("extend", "slot", "release", "bring")


def _held(conversation: Conversation) -> Hold:
    hold = conversation.hold
    if (
        hold is None
        or hold.status != Hold.Status.ACTIVE
        or hold.customer_phone != conversation.phone
    ):
        raise AlertError(_("No pair is held for this customer any more."))
    return hold


def _act(request: HttpRequest, conversation: Conversation, action: str) -> str:
    """Do `action`; the message to show. Raises a `DomainError` the page shows instead."""
    if action == "extend":
        inventory.hold_extend(hold=_held(conversation))
        return _("Held one more day.")
    if action == "slot":
        form = PickupSlotForm(request.POST)
        if not form.is_valid():
            raise AlertError(str(form.errors["slot"][0]))
        inventory.hold_plan_pickup(hold=_held(conversation), at=form.cleaned_data["slot"])
        return _("Pick-up time saved.")
    if action == "release":
        services.pickup_release(hold=_held(conversation), phone=conversation.phone)
        return _("The pair is no longer held; it goes to the next customer waiting.")
    variant_id = parse_id(request.POST.get("variant", ""))
    variant = Variant.objects.filter(pk=variant_id).first() if variant_id else None
    if variant is None or conversation.store is None:
        raise AlertError(_("Choose a size first."))
    services.bring_to_store(
        phone=conversation.phone,
        variant=variant,
        store=conversation.store,
        language=conversation.language,
    )
    return _("Bring request opened; it awaits approval like the customer's own.")


@staff_member_required
@require_POST
def conversation_act(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        conversations_visible(request.user).select_related("hold", "store"), pk=pk
    )
    if not may_answer(request.user, conversation):
        return refuse(request, _("Your account may not answer this store's customers."))
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do."))
    else:
        try:
            messages.success(request, _act(request, conversation, action))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("inbox:conversation", pk=conversation.pk)
