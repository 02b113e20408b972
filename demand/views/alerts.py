"""The alert pages: sign up for a size, confirm the number with a code, done, and the way
back to one's requests with a code."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.clientip import client_ip
from core.errors import DomainError
from core.http import parse_id
from core.phones import phone_digest
from notifications import selectors as messaging_selectors
from notifications import services as messaging
from notifications.models import Channel
from notifications.texts import manage_path

from .. import selectors, services
from ..forms import CityForm, CodeForm, PhoneForm, SignupForm
from ..models import WaitlistEntry
from ..services import CodeFlow, RequestsDone, SignupDone, code_flow
from .session import DONE_KEY, FLOW_KEY, MINE_KEY, REQUESTS_DONE_KEY, known, remember


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
                consent=form.consent(page=request.get_full_path()),
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
                outcomes = services.requests_fulfil(
                    phone=confirmed.phone, wanted=flow.requests, client_ip=client_ip(request)
                )
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
    verification = messaging_selectors.verification_of(flow.verification_id)
    return render(
        request,
        "demand/confirm.html",
        {
            "form": form,
            "tail": flow.tail,
            "product_url": flow.product or None,
            "asked": flow.asked,
            # An opted-out number has no code on its way; its page reads as an SMS's would.
            "channel": messaging.verification_channel(verification)
            if verification
            else Channel.SMS,
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
                channel=verification.channel,
                asked=flow.text_asked,
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
        },
    )


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
