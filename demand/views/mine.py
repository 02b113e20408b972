"""'My requests': everything open for a confirmed number, reached from every text's link
and from a code; each item can be cancelled there."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.http import parse_id
from core.phones import mask_phone
from notifications import selectors as messaging_selectors
from notifications import services as messaging
from notifications.inbox_selectors import conversation_for_customer
from notifications.links import make_token
from notifications.models import Channel, Message
from notifications.texts import LINK_PURPOSE

from .. import selectors, services
from ..forms import ChannelForm
from .common import pickup_context, text_of_link
from .session import mine_phone


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """ "My requests" of the number a text went to, from the link in that text (for
    `MANAGE_LINK_DAYS`; an older link offers a fresh start with a code). The pair the text
    was about, if it is still held, comes first with its pick-up choices."""
    message = text_of_link(request, token)
    if not isinstance(message, Message):
        return message
    if request.method == "POST":
        _manage_action(request, message.recipient, message)
        return redirect("demand:manage", token=token)
    return _manage_page(request, message.recipient, message, token=token)


@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """ "My requests" of the number this browser confirmed with a code in this session."""
    phone = mine_phone(request)
    if phone is None:
        return redirect("demand:find")
    if request.method == "POST":
        _manage_action(request, phone, None)
        return redirect("demand:mine")
    return _manage_page(request, phone, None)


def _manage_page(
    request: HttpRequest, phone: str, message: Message | None, token: str = ""
) -> HttpResponse:
    # The pair the text was about, if it is still held: the page's first panel.
    pickup_hold = selectors.active_hold_of(message) if message is not None else None
    mine = selectors.my_requests(phone)
    held = [pair for pair in mine.held if pickup_hold is None or pair.hold.pk != pickup_hold.pk]
    text_times = messaging_selectors.queued_text_times(pair.hold.pk for pair in held)
    draws = selectors.launch_entries_of_phone(phone)
    return render(
        request,
        "demand/manage.html",
        {
            "mine": mine,
            "waiting": mine.waiting,
            "held": [
                {
                    "hold": pair.hold,
                    "text_at": text_times.get(pair.hold.pk),
                    "pickup_url": _pickup_url(pair.text_id),
                }
                for pair in held
            ],
            "coming": mine.coming,
            "awaiting_staff": mine.awaiting_staff,
            "nothing_open": mine.empty and not draws,
            "draws": draws,
            "masked": mask_phone(phone),
            "opted_out": messaging.is_opted_out(phone),
            "declined": selectors.declined_transfer_of(message) if message is not None else None,
            "pickup": pickup_context(pickup_hold, token) if pickup_hold else None,
            "channel_form": _channel_form(phone),
            "conversation": conversation_for_customer(phone),
        },
    )


def _pickup_url(text_id: int | None) -> str:
    """The pick-up page of a held pair, through the latest text about it."""
    if text_id is None:
        return ""
    return reverse("demand:pickup", kwargs={"token": make_token(LINK_PURPOSE, text_id)})


def _channel_form(phone: str) -> ChannelForm | None:
    """The channel choice, for a confirmed number while WhatsApp is on the site."""
    channel = messaging_selectors.channel_of(phone)
    if channel is None or not settings.WHATSAPP_ENABLED:
        return None
    return ChannelForm(initial={"channel": channel})


def _manage_action(request: HttpRequest, phone: str, message: Message | None) -> None:
    """One choice from "My requests": every item is looked up among `phone`'s own (an id from a
    form may name anyone's); a refusal is a message on the page and changes nothing."""
    try:
        if "cancel" in request.POST:
            entry = selectors.entry_of_phone(parse_id(request.POST["cancel"]) or 0, phone)
            if entry is None:
                raise services.NotThisNumbers()
            services.waitlist_cancel(entry=entry)
            messages.success(request, _("Cancelled. You will not get texts about it."))
        elif "release_hold" in request.POST:
            services.request_hold_release(
                hold_id=parse_id(request.POST["release_hold"]) or 0, phone=phone
            )
            messages.success(
                request,
                _(
                    "Thanks for telling us. The pair is no longer held "
                    "and goes to the next customer waiting."
                ),
            )
        elif "cancel_transfer" in request.POST:
            services.bring_request_cancel(
                transfer_id=parse_id(request.POST["cancel_transfer"]) or 0, phone=phone
            )
            messages.success(request, _("Cancelled: we will not bring this pair for you."))
        elif "release" in request.POST:
            # The transfer's own panel of earlier pages: the pair the text was about.
            hold = selectors.active_hold_of(message) if message is not None else None
            if hold is None:
                raise messaging.AlertAlreadyEnded(_("This alert has already ended."))
            services.transfer_hold_release(hold=hold, phone=phone)
            messages.success(request, _("Thanks for telling us. The pair is no longer held."))
        elif "waitlist" in request.POST:
            if message is None:
                raise messaging.AlertAlreadyEnded(_("This offer is no longer open."))
            services.waitlist_join_declined(message=message, phone=phone)
            messages.success(
                request,
                _(
                    "You are on the waitlist: when the size reaches the "
                    "store, we hold a pair for you and text you."
                ),
            )
        elif "channel" in request.POST:
            form = ChannelForm(request.POST)
            if (
                form.is_valid()
                and form.cleaned_data["channel"]
                and messaging.channel_change(phone=phone, channel=form.cleaned_data["channel"])
            ):
                messages.success(
                    request,
                    _("Done: your texts will come by %(channel)s.")
                    % {"channel": Channel(form.cleaned_data["channel"]).label},
                )
        elif "stop" in request.POST:
            messaging.phone_opt_out(phone=phone, source="link")
            messages.success(
                request,
                _(
                    "Done: we will not text this number again. Reply "
                    "START to any of our texts to change your mind."
                ),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
