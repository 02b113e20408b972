"""What the customer's pages share: the text a link came in, and a held pair's pick-up panel."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inventory import selectors as inventory_selectors
from inventory import services as inventory
from notifications import selectors as messaging_selectors
from notifications.links import read_token
from notifications.models import Message
from notifications.texts import LINK_PURPOSE

from ..forms import PhoneForm


def text_of_link(request: HttpRequest, token: str) -> Message | HttpResponse:
    """The text a link's token names, or the page to show instead (unknown: 404; too old to
    act on: 410, with the way back through a code)."""
    message = messaging_selectors.message_of(read_token(LINK_PURPOSE, token))
    if message is None:
        return render(request, "demand/manage_missing.html", status=404)
    if messaging_selectors.manage_link_expired(message):
        return render(
            request,
            "demand/manage_missing.html",
            {"form": PhoneForm(), "expired": True},
            status=410,
        )
    return message


def pickup_context(hold: Any, token: str) -> dict[str, Any]:
    now = timezone.now()
    until = inventory.hold_ends_at(hold, told_at=now)
    days = inventory_selectors.pickup_slots(store=hold.store, until=until, now=now)
    return {
        "hold": hold,
        "token": token,
        "days": days,
        "chosen": inventory_selectors.slot_value(hold.pickup_at) if hold.pickup_at else "",
        # A store with no hours entered: the page asks the customer to call instead.
        "has_hours": any(day.open for day in days) or hold.store.hours.exists(),
        "can_extend": (
            hold.extended_at is None
            and hold.expires_at is not None
            and settings.HOLD_EXTENSION.total_seconds() > 0
        ),
        "extended_until": (hold.expires_at + settings.HOLD_EXTENSION if hold.expires_at else None),
        "text_at": messaging_selectors.queued_text_times([hold.pk]).get(hold.pk),
    }
