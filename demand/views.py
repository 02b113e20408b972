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
from django.views.decorators.http import require_http_methods

from core.clientip import client_ip
from core.errors import DomainError
from core.http import parse_id
from core.phones import mask_phone, phone_digest
from inventory import selectors as inventory_selectors
from inventory import services as inventory
from notifications import selectors as messaging_selectors
from notifications import services as messaging
from notifications.links import make_token, read_token
from notifications.models import Channel, SmsMessage
from notifications.texts import LINK_PURPOSE, manage_path

from . import selectors, services
from .flow import DONE_KEY, FLOW_KEY, MINE_KEY, REQUESTS_DONE_KEY, known, mine_phone, remember
from .forms import ChannelForm, CityForm, CodeForm, PhoneForm, PickupSlotForm, SignupForm
from .models import WaitlistEntry
from .services import CodeFlow, RequestsDone, SignupDone, code_flow


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
        flow = code_flow(request.session.get(FLOW_KEY), digest=digest, tail=phone[-2:])
        try:
            result = services.waitlist_signup(
                phone=phone,
                variant=chosen,
                store=store,
                language=form.cleaned_data["language"],
                client_ip=client_ip(request),
                trusted=digest in known(request),
                verification_id=flow.verification_id,
                channel=form.cleaned_data.get("channel") or None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.state == "active":
                request.session[DONE_KEY] = SignupDone(entry_ids=(result.entry.pk,)).to_session()
                return redirect("demand:done")
            request.session[FLOW_KEY] = (
                flow.with_entry(result.entry.pk, product=product.get_absolute_url())
                .waiting_for(result.verification_id)
                .to_session()
            )
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
    flow = CodeFlow.from_session(request.session.get(FLOW_KEY))
    if flow is None:
        return render(request, "demand/flow_expired.html", status=400)
    form = CodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        _resend(request, flow)
        return redirect("demand:confirm")
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.waitlist_confirm(
                verification_id=flow.verification_id,
                code=form.cleaned_data["code"],
                client_ip=client_ip(request),
                entry_ids=flow.entry_ids,
            )
        except messaging.AlertError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(FLOW_KEY, None)
            # Confirmed here and now: this browser may see the number's requests.
            request.session[MINE_KEY] = confirmed.phone
            if flow.requests:
                outcomes = services.requests_fulfil(phone=confirmed.phone, wanted=flow.requests)
                request.session[REQUESTS_DONE_KEY] = RequestsDone(
                    outcomes=tuple(outcomes), digest=flow.digest
                ).to_session()
                target = "demand:request_done"
            elif flow.then == "mine":
                target = "demand:mine"
            else:
                request.session[DONE_KEY] = SignupDone(
                    entry_ids=flow.entry_ids, product=flow.product
                ).to_session()
                target = "demand:done"
            response = redirect(target)
            remember(response, request, flow.digest)
            return response
    return render(
        request,
        "demand/confirm.html",
        {
            "form": form,
            "tail": flow.tail,
            "product_url": flow.product or None,
            "then": flow.then,
        },
    )


def _resend(request: HttpRequest, flow: CodeFlow) -> None:
    verification = messaging_selectors.verification_of(flow.verification_id)
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
        request.session[FLOW_KEY] = flow.waiting_for(fresh.pk).to_session()
    # The same words whatever happened: the page never tells what it knows about a number.
    messages.success(request, _("If your number can receive texts, a new code is on its way."))


def done(request: HttpRequest) -> HttpResponse:
    state = SignupDone.from_session(request.session.get(DONE_KEY))
    if state is None:
        return redirect("storefront:home")
    entries = selectors.entries_with_ids(state.entry_ids)
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
            "product_url": state.product or None,
            # A size in stock at the store is held at once: the page says so, not "when it
            # arrives".
            "all_held": bool(entries) and len(held) == len(entries),
            "any_waiting": len(held) < len(entries),
            "hold_hours": int(settings.HOLD_DURATION.total_seconds() // 3600),
        },
    )


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """ "My requests" of the number a text went to, from the link in that text (for
    `MANAGE_LINK_DAYS`; an older link offers a fresh start with a code). The pair the text
    was about, if it is still held, comes first with its pick-up choices."""
    message = _text_of_link(request, token)
    if not isinstance(message, SmsMessage):
        return message
    if request.method == "POST":
        _manage_action(request, message.recipient, message)
        return redirect("demand:manage", token=token)
    return _manage_page(request, message.recipient, message, token=token)


def _text_of_link(request: HttpRequest, token: str) -> SmsMessage | HttpResponse:
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


@require_http_methods(["GET", "POST"])
def pickup(request: HttpRequest, token: str) -> HttpResponse:
    """The held pair's own page, from its text (GET): when to come, one more day, or "I no
    longer want it", and the way to the number's other requests. Each choice (POST) goes
    through a service that locks the hold; a refusal is shown on the page and changes
    nothing; either way the customer lands back on "My requests", the pair first."""
    message = _text_of_link(request, token)
    if not isinstance(message, SmsMessage):
        return message
    if request.method == "GET":
        hold = selectors.active_hold_of(message)
        return render(
            request,
            "demand/pickup.html",
            {
                "pickup": _pickup_context(hold, token) if hold is not None else None,
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


def _moment(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j/n H:i") if moment else ""


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
            request.session[FLOW_KEY] = (
                CodeFlow.start(digest=phone_digest(phone), tail=phone[-2:])
                .waiting_for(verification_id)
                .to_mine()
                .to_session()
            )
            return redirect("demand:confirm")
    return render(request, "demand/find.html", {"form": form}, status=400 if form.errors else 200)


def _manage_page(
    request: HttpRequest, phone: str, message: SmsMessage | None, token: str = ""
) -> HttpResponse:
    # The pair the text was about, if it is still held: the page's first panel.
    pickup_hold = selectors.active_hold_of(message) if message is not None else None
    mine = selectors.my_requests(phone)
    held = [pair for pair in mine.held if pickup_hold is None or pair.hold.pk != pickup_hold.pk]
    text_times = messaging_selectors.queued_text_times(pair.hold.pk for pair in held)
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
            "nothing_open": mine.empty,
            "hold_hours": int(settings.HOLD_DURATION.total_seconds() // 3600),
            "masked": mask_phone(phone),
            "opted_out": messaging.is_opted_out(phone),
            "declined": selectors.declined_transfer_of(message) if message is not None else None,
            "pickup": _pickup_context(pickup_hold, token) if pickup_hold else None,
            "channel_form": _channel_form(phone),
        },
    )


def _pickup_url(text_id: int | None) -> str:
    """The pick-up page of a held pair, through the latest text about it."""
    if text_id is None:
        return ""
    return reverse("demand:pickup", kwargs={"token": make_token(LINK_PURPOSE, text_id)})


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
        "text_at": messaging_selectors.queued_text_times([hold.pk]).get(hold.pk),
    }


def _channel_form(phone: str) -> ChannelForm | None:
    """The channel choice, for a confirmed number while WhatsApp is on the site."""
    channel = messaging_selectors.channel_of(phone)
    if channel is None or not settings.WHATSAPP_ENABLED:
        return None
    return ChannelForm(initial={"channel": channel})


def _manage_action(request: HttpRequest, phone: str, message: SmsMessage | None) -> None:
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
