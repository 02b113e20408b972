"""A held pair's pick-up page: when the customer will come, one more day, or no longer wanted."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from inventory import services as inventory
from notifications import services as messaging
from notifications.models import Message

from .. import selectors, services
from ..forms import PickupSlotForm
from .common import pickup_context, text_of_link


@require_http_methods(["GET", "POST"])
def pickup(request: HttpRequest, token: str) -> HttpResponse:
    """The held pair's own page, from its text (GET): when to come, one more day, or "I no
    longer want it", and the way to the number's other requests. Each choice (POST) goes
    through a service that locks the hold; a refusal is shown on the page and changes
    nothing; either way the customer lands back on "My requests", the pair first.

    "I no longer want it" asks once: its first tap (or `?release=1`) shows a page of its own
    that changes nothing; only that page's "yes" (`release` with `confirm`) gives the pair up.
    Sent twice, the second finds the hold ended and says so."""
    message = text_of_link(request, token)
    if not isinstance(message, Message):
        return message
    asks_release = "release" in (request.POST if request.method == "POST" else request.GET)
    if asks_release and "confirm" not in request.POST:
        confirming = _release_confirmation(request, message, token)
        if confirming is not None:
            return confirming
    if request.method == "GET":
        hold = selectors.active_hold_of(message)
        return render(
            request,
            "demand/pickup.html",
            {
                "pickup": pickup_context(hold, token) if hold is not None else None,
                "my_requests_url": reverse("demand:manage", kwargs={"token": token}),
            },
        )
    hold = selectors.hold_of(message)
    try:
        if hold is None:
            raise messaging.AlertAlreadyEnded(_("This alert has already ended."))
        if "release" in request.POST:
            services.pickup_release(hold=hold, phone=message.recipient)
            messages.success(
                request,
                _(
                    "Thanks for telling us. The pair is no longer held "
                    "and goes to the next customer waiting."
                ),
            )
        elif "extend" in request.POST:
            extended = inventory.hold_extend(hold=hold)
            messages.success(
                request,
                _("Done: the pair is held for you until %(until)s.")
                % {"until": _moment(extended.expires_at)},
            )
        else:
            form = PickupSlotForm(request.POST)
            if not form.is_valid():
                raise messaging.AlertError(str(form.errors["slot"][0]))
            planned = inventory.hold_plan_pickup(hold=hold, at=form.cleaned_data["slot"])
            when = timezone.localtime(planned.pickup_at)
            messages.success(
                request,
                _("Thanks! The store expects you on %(day)s %(date)s at %(time)s.")
                % {
                    "day": date_format(when, "l"),
                    "date": date_format(when, "j/n"),
                    "time": date_format(when, "H:i"),
                },
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("demand:manage", kwargs={"token": token}) + "#pickup")


def _release_confirmation(
    request: HttpRequest, message: Message, token: str
) -> HttpResponse | None:
    """The page that asks "give the pair up?", or None when there is nothing left to give up
    (the caller then says the alert has ended, as for any other choice)."""
    hold = selectors.active_hold_of(message)
    if hold is None:
        if request.method == "GET":
            return None
        messages.error(request, _("This alert has already ended."))
        return redirect(reverse("demand:manage", kwargs={"token": token}) + "#pickup")
    return render(
        request,
        "demand/pickup_release.html",
        {
            "hold": hold,
            "token": token,
            "back_url": reverse("demand:pickup", kwargs={"token": token}),
        },
    )


def _moment(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j/n H:i") if moment else ""
