"""The alert pages: sign up, confirm the number, see and cancel alerts; the debug inbox.

Numbers never reach a URL or the session: the session keeps only a verification id, the
entries signed up, the number's last two digits and a keyed hash of it.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.phones import phone_digest

from . import selectors, services
from .forms import CityForm, CodeForm, SignupForm
from .links import read_token
from .models import PhoneVerification, SmsMessage, WaitlistEntry
from .texts import LINK_PURPOSE, manage_path

FLOW_KEY = "alerts_flow"
DONE_KEY = "alerts_done"
KNOWN_COOKIE = "alerts_known"
KNOWN_SALT = "notifications.known"
KNOWN_MAX = 5


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _known(request: HttpRequest) -> list[str]:
    """Keyed hashes of the numbers this browser has confirmed (never the numbers)."""
    raw = request.get_signed_cookie(KNOWN_COOKIE, default="", salt=KNOWN_SALT) or ""
    return [digest for digest in raw.split(",") if digest]


def _remember(response: HttpResponse, request: HttpRequest, digest: str) -> None:
    known = [d for d in _known(request) if d != digest] + [digest]
    response.set_signed_cookie(KNOWN_COOKIE, ",".join(known[-KNOWN_MAX:]), salt=KNOWN_SALT,
                               max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                               secure=request.is_secure())


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    variant = selectors.signup_variant(request.GET.get("variant"))
    if variant is None:
        return render(request, "notifications/signup_missing.html", status=404)
    product = variant.product
    sizes = list(selectors.product_sizes(product))
    city_form = CityForm(request.GET)
    city = request.GET.get("city")
    stores = selectors.stores_by_distance(city)
    form = SignupForm(request.POST or None, sizes=sizes, stores=stores,
                      initial={"variant": variant.pk, "store": request.GET.get("store")})
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in sizes if v.pk == form.cleaned_data["variant"])
        store = next(c.store for c in stores if c.store.pk == form.cleaned_data["store"])
        phone = form.cleaned_data["phone"]
        digest = phone_digest(phone)
        flow: dict[str, Any] = request.session.get(FLOW_KEY) or {}
        same_number = flow.get("digest") == digest
        try:
            result = services.waitlist_signup(
                phone=phone, variant=chosen, store=store,
                language=form.cleaned_data["language"], client_ip=_client_ip(request),
                trusted=digest in _known(request),
                verification_id=flow.get("verification_id") if same_number else None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.state == "active":
                request.session[DONE_KEY] = {"entry_ids": [result.entry.pk]}
                return redirect("notifications:done")
            entry_ids = flow.get("entry_ids", []) if same_number else []
            request.session[FLOW_KEY] = {
                "verification_id": result.verification_id,
                "entry_ids": [*entry_ids, result.entry.pk][-20:],
                "tail": phone[-2:],
                "digest": digest,
                "product": product.get_absolute_url(),
            }
            return redirect("notifications:confirm")
    return render(request, "notifications/signup.html", {
        "product": product, "variant": variant, "form": form, "city_form": city_form,
        "city": city or "", "store_id": request.GET.get("store", ""),
    })


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    flow: dict[str, Any] | None = request.session.get(FLOW_KEY)
    if not flow:
        return render(request, "notifications/flow_expired.html", status=400)
    form = CodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        _resend(request, flow)
        return redirect("notifications:confirm")
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_confirm(
                verification_id=flow.get("verification_id"), code=form.cleaned_data["code"],
                client_ip=_client_ip(request), entry_ids=flow.get("entry_ids", []),
            )
        except services.AlertError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(FLOW_KEY, None)
            request.session[DONE_KEY] = {"entry_ids": flow.get("entry_ids", []),
                                         "product": flow.get("product")}
            response = redirect("notifications:done")
            _remember(response, request, flow["digest"])
            return response
    return render(request, "notifications/confirm.html", {
        "form": form, "tail": flow.get("tail", ""), "product_url": flow.get("product"),
    })


def _resend(request: HttpRequest, flow: dict[str, Any]) -> None:
    verification_id = flow.get("verification_id")
    verification = (PhoneVerification.objects.filter(pk=int(verification_id)).first()
                    if verification_id else None)
    if verification is not None:
        try:
            fresh = services.verification_start(phone=verification.phone,
                                                language=verification.language,
                                                client_ip=_client_ip(request))
        except services.AlertError as exc:
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
    entries = list(WaitlistEntry.objects.filter(pk__in=state.get("entry_ids", []))
                   .select_related("variant__product", "store"))
    link = None
    if entries:
        latest = selectors.latest_message_to(entries[0].phone)
        if latest is not None:
            link = manage_path(latest.pk, (request.LANGUAGE_CODE or "he")[:2])
    return render(request, "notifications/done.html", {
        "entries": entries, "manage_url": link, "product_url": state.get("product"),
        "hold_hours": int(settings.HOLD_DURATION.total_seconds() // 3600),
    })


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    pk = read_token(LINK_PURPOSE, token)
    message = SmsMessage.objects.filter(pk=pk).first() if pk is not None else None
    if message is None:
        return render(request, "notifications/manage_missing.html", status=404)
    phone = message.recipient
    if request.method == "POST":
        _manage_action(request, message)
        return redirect("notifications:manage", token=token)
    transfer_hold = (selectors.active_hold_of(message)
                     if message.purpose == SmsMessage.Purpose.TRANSFER_ARRIVED else None)
    return render(request, "notifications/manage.html", {
        "entries": selectors.alerts_for_phone(phone),
        "transfer_hold": transfer_hold,
        "tail": phone[-2:],
        "opted_out": services.is_opted_out(phone),
    })


def _manage_action(request: HttpRequest, message: SmsMessage) -> None:
    phone = message.recipient
    try:
        if "cancel" in request.POST:
            entry = WaitlistEntry.objects.filter(pk=_int(request.POST["cancel"]),
                                                 phone=phone).first()
            if entry is None:
                raise services.AlertAlreadyEnded(_("This alert has already ended."))
            services.waitlist_cancel(entry=entry)
            messages.success(request, _("Cancelled. You will not get texts about it."))
        elif "release" in request.POST:
            hold = selectors.active_hold_of(message)
            if hold is None:
                raise services.AlertAlreadyEnded(_("This alert has already ended."))
            services.transfer_hold_release(hold=hold, phone=phone)
            messages.success(request, _("Thanks for telling us. The pair is no longer held."))
        elif "stop" in request.POST:
            services.phone_opt_out(phone=phone, source="link")
            messages.success(request, _("Done: we will not text this number again. Reply "
                                        "START to any of our texts to change your mind."))
    except services.AlertError as exc:
        messages.error(request, exc.message)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def dev_inbox(request: HttpRequest) -> HttpResponse:
    """The demo's phone: recent texts, only while DEBUG is on."""
    if not settings.DEBUG:
        raise Http404
    return render(request, "notifications/dev_inbox.html",
                  {"sms_messages": selectors.recent_messages()})
