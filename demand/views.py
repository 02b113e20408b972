"""The alert pages: sign up, confirm the number, see and cancel alerts.

Numbers never reach a URL or the session: the session keeps only a verification id, the
entries signed up, the number's last two digits and a keyed hash of it.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.clientip import client_ip
from core.errors import DomainError
from core.http import parse_id
from core.phones import phone_digest
from inventory import selectors as inventory_selectors
from inventory import services as inventory
from notifications import selectors as messaging_selectors
from notifications import services as messaging
from notifications.links import read_token
from notifications.models import Channel, SmsMessage
from notifications.texts import LINK_PURPOSE, manage_path

from . import selectors, services
from .flow import DONE_KEY, FLOW_KEY, MINE_KEY, REQUESTS_DONE_KEY, fulfil_requests, known, remember
from .forms import ChannelForm, CityForm, CodeForm, PhoneForm, PickupSlotForm, SignupForm
from .models import WaitlistEntry


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    variant = selectors.signup_variant(parse_id(request.GET.get("variant")))
    if variant is None:
        return render(request, "demand/signup_missing.html", status=404)
    product = variant.product
    sizes = list(selectors.product_sizes(product))
    city_form = CityForm(request.GET)
    city = request.GET.get("city")
    stores = selectors.stores_by_distance(city)
    form = SignupForm(
        request.POST or None,
        sizes=sizes,
        stores=stores,
        initial={"variant": variant.pk, "store": request.GET.get("store")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in sizes if v.pk == form.cleaned_data["variant"])
        store = next(c.store for c in stores if c.store.pk == form.cleaned_data["store"])
        phone = form.cleaned_data["phone"]
        digest = phone_digest(phone)
        flow: dict[str, Any] = request.session.get(FLOW_KEY) or {}
        same_number = flow.get("digest") == digest
        try:
            result = services.waitlist_signup(
                phone=phone,
                variant=chosen,
                store=store,
                language=form.cleaned_data["language"],
                client_ip=client_ip(request),
                trusted=digest in known(request),
                verification_id=flow.get("verification_id") if same_number else None,
                channel=form.cleaned_data.get("channel") or None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.state == "active":
                request.session[DONE_KEY] = {"entry_ids": [result.entry.pk]}
                return redirect("demand:done")
            entry_ids = flow.get("entry_ids", []) if same_number else []
            request.session[FLOW_KEY] = {
                "verification_id": result.verification_id,
                "entry_ids": [*entry_ids, result.entry.pk][-20:],
                "tail": phone[-2:],
                "digest": digest,
                "product": product.get_absolute_url(),
            }
            return redirect("demand:confirm")
    picked = selectors.customer_store(parse_id(request.GET.get("store")))
    return render(
        request,
        "demand/signup.html",
        {
            # In stock at the store picked: signing up holds a pair at once; the page says so.
            "in_stock_at": picked if picked and selectors.available_at(variant, picked) else None,
            "product": product,
            "variant": variant,
            "form": form,
            "city_form": city_form,
            "city": city or "",
            "store_id": request.GET.get("store", ""),
            "hold_hours": int(settings.HOLD_DURATION.total_seconds() // 3600),
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    flow: dict[str, Any] | None = request.session.get(FLOW_KEY)
    if not flow:
        return render(request, "demand/flow_expired.html", status=400)
    form = CodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        _resend(request, flow)
        return redirect("demand:confirm")
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.waitlist_confirm(
                verification_id=flow.get("verification_id"),
                code=form.cleaned_data["code"],
                client_ip=client_ip(request),
                entry_ids=flow.get("entry_ids", []),
            )
        except messaging.AlertError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(FLOW_KEY, None)
            if flow.get("requests"):
                request.session[REQUESTS_DONE_KEY] = fulfil_requests(
                    confirmed.phone, flow["requests"]
                )
                response = redirect("demand:request_done")
                remember(response, request, flow["digest"])
                return response
            if flow.get("then") == "mine":
                request.session[MINE_KEY] = confirmed.phone
                response = redirect("demand:mine")
                remember(response, request, flow["digest"])
                return response
            request.session[DONE_KEY] = {
                "entry_ids": flow.get("entry_ids", []),
                "product": flow.get("product"),
            }
            response = redirect("demand:done")
            remember(response, request, flow["digest"])
            return response
    return render(
        request,
        "demand/confirm.html",
        {
            "form": form,
            "tail": flow.get("tail", ""),
            "product_url": flow.get("product"),
            "then": flow.get("then", ""),
        },
    )


def _resend(request: HttpRequest, flow: dict[str, Any]) -> None:
    verification_id = flow.get("verification_id")
    verification = messaging_selectors.verification_of(verification_id)
    if verification is not None:
        try:
            fresh = messaging.verification_start(
                phone=verification.phone,
                language=verification.language,
                client_ip=client_ip(request),
            )
        except messaging.AlertError as exc:
            messages.error(request, exc.message)
            return
        flow["verification_id"] = fresh.pk
        request.session[FLOW_KEY] = flow
    # The same words whatever happened: the page never tells what it knows about a number.
    messages.success(request, _("If your number can receive texts, a new code is on its way."))


def done(request: HttpRequest) -> HttpResponse:
    state: dict[str, Any] | None = request.session.get(DONE_KEY)
    if not state:
        return redirect("storefront:home")
    entries = selectors.entries_with_ids(state.get("entry_ids", []))
    link = None
    if entries:
        latest = messaging_selectors.latest_message_to(entries[0].phone)
        if latest is not None:
            link = manage_path(latest.pk, (request.LANGUAGE_CODE or "he")[:2])
    text_times = messaging_selectors.queued_text_times(entry.hold_id for entry in entries)
    rows = [(entry, text_times.get(entry.hold_id) if entry.hold_id else None) for entry in entries]
    held = [entry for entry in entries if entry.status == WaitlistEntry.Status.HELD]
    return render(
        request,
        "demand/done.html",
        {
            "rows": rows,
            "entries": entries,
            "manage_url": link,
            "product_url": state.get("product"),
            # A size in stock at the store is held at once: the page says so, not "when it
            # arrives".
            "all_held": bool(entries) and len(held) == len(entries),
            "any_waiting": len(held) < len(entries),
            "hold_hours": int(settings.HOLD_DURATION.total_seconds() // 3600),
        },
    )


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The alerts of the number a text went to, from the link in that text (for
    `MANAGE_LINK_DAYS`; an older link offers a fresh start with a code)."""
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
    if request.method == "POST":
        _manage_action(request, message.recipient, message)
        return redirect("demand:manage", token=token)
    return _manage_page(request, message.recipient, message, token=token)


@require_POST
def pickup(request: HttpRequest, token: str) -> HttpResponse:
    """The held pair's choices, from the manage page of the text about it: a pick-up slot,
    one more day, or "I no longer want it". Each goes through a service that locks the hold;
    a refusal is shown on the page and changes nothing."""
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


def _moment(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j/n H:i") if moment else ""


@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The same page for the number this browser just confirmed with a code."""
    phone = request.session.get(MINE_KEY)
    if not phone:
        return redirect("demand:find")
    if request.method == "POST":
        _manage_action(request, phone, None)
        return redirect("demand:mine")
    return _manage_page(request, phone, None)


@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Enter a number, get a code, see its alerts: the way back from an expired link."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        language = (request.LANGUAGE_CODE or "he")[:2]
        try:
            verification_id = messaging.alerts_lookup_start(
                phone=phone, language=language, client_ip=client_ip(request)
            )
        except messaging.AlertError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[FLOW_KEY] = {
                "verification_id": verification_id,
                "entry_ids": [],
                "tail": phone[-2:],
                "digest": phone_digest(phone),
                "then": "mine",
            }
            return redirect("demand:confirm")
    return render(request, "demand/find.html", {"form": form}, status=400 if form.errors else 200)


def _manage_page(
    request: HttpRequest, phone: str, message: SmsMessage | None, token: str = ""
) -> HttpResponse:
    # The pair the text was about, if it is still held: the page's first panel.
    pickup_hold = selectors.active_hold_of(message) if message is not None else None
    transfer_hold = (
        pickup_hold
        if pickup_hold is not None
        and message is not None
        and message.purpose == SmsMessage.Purpose.TRANSFER_ARRIVED
        else None
    )
    entries = list(selectors.alerts_for_phone(phone))
    text_times = messaging_selectors.queued_text_times(
        [entry.hold_id for entry in entries] + [pickup_hold.pk if pickup_hold else None]
    )
    return render(
        request,
        "demand/manage.html",
        {
            "rows": [
                (entry, text_times.get(entry.hold_id) if entry.hold_id else None)
                for entry in entries
            ],
            "transfer_hold": transfer_hold,
            "transfer_text_at": text_times.get(transfer_hold.pk) if transfer_hold else None,
            "tail": phone[-2:],
            "opted_out": messaging.is_opted_out(phone),
            "declined": selectors.declined_transfer_of(message) if message is not None else None,
            "pickup": (
                {**_pickup_context(pickup_hold, token), "text_at": text_times.get(pickup_hold.pk)}
                if pickup_hold
                else None
            ),
            "channel_form": _channel_form(phone),
        },
    )


def _pickup_context(hold: Any, token: str) -> dict[str, Any]:
    now = timezone.now()
    until = hold.expires_at or now + settings.HOLD_DURATION
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
    }


def _channel_form(phone: str) -> ChannelForm | None:
    """The channel choice, for a confirmed number while WhatsApp is on the site."""
    channel = messaging_selectors.channel_of(phone)
    if channel is None or not settings.WHATSAPP_ENABLED:
        return None
    return ChannelForm(initial={"channel": channel})


def _manage_action(request: HttpRequest, phone: str, message: SmsMessage | None) -> None:
    try:
        if "cancel" in request.POST:
            entry = selectors.entry_of_phone(parse_id(request.POST["cancel"]) or 0, phone)
            if entry is None:
                raise messaging.AlertAlreadyEnded(_("This alert has already ended."))
            services.waitlist_cancel(entry=entry)
            messages.success(request, _("Cancelled. You will not get texts about it."))
        elif "release" in request.POST:
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
    except messaging.AlertError as exc:
        messages.error(request, exc.message)
