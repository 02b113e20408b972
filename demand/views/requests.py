"""The pages of a customer's own request for a pair: "Hold a pair for me" (`kind` "hold") and
"Bring it to my store" (`kind` "bring"), from a link that names only a size and a store.

The number goes through the alerts' code flow (the confirm page is shared); the session keeps
the request (kind, size, store, language) beside the verification id, never the number.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from core.clientip import client_ip
from core.errors import DomainError
from core.http import parse_id
from core.phones import phone_digest
from notifications import selectors as messaging_selectors

from .. import selectors, services
from ..forms import PairRequestForm
from ..services import PairWanted, RequestsDone, code_flow, is_kind
from .session import FLOW_KEY, REQUESTS_DONE_KEY, known, mine_phone


def signup_url(variant_id: int, store_id: int) -> str:
    return reverse("demand:signup") + "?" + urlencode({"variant": variant_id, "store": store_id})


@require_http_methods(["GET", "POST"])
def pair_request(request: HttpRequest, kind: str) -> HttpResponse:
    variant = selectors.signup_variant(parse_id(request.GET.get("variant")))
    store = selectors.customer_store(parse_id(request.GET.get("store")))
    if variant is None or store is None or not is_kind(kind):
        return render(request, "demand/signup_missing.html", status=404)
    offer = _offer(kind, variant, store)
    form = PairRequestForm(request.POST or None)
    if request.method == "POST" and offer is not None and form.is_valid():
        phone, language = form.cleaned_data["phone"], form.cleaned_data["language"]
        digest = phone_digest(phone)
        flow = code_flow(request.session.get(FLOW_KEY), digest=digest, tail=phone[-2:])
        wanted = PairWanted(kind=kind, variant_id=variant.pk, store_id=store.pk, language=language)
        try:
            start = services.pair_request_start(
                phone=phone,
                language=language,
                client_ip=client_ip(request),
                trusted=digest in known(request),
                verification_id=flow.verification_id,
                channel=form.cleaned_data.get("channel") or None,
                kind=wanted.kind,
                consent=form.consent(page=request.get_full_path()),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if start.confirmed:
                outcomes = services.requests_fulfil(phone=phone, wanted=[wanted])
                request.session[REQUESTS_DONE_KEY] = RequestsDone(
                    outcomes=tuple(outcomes), digest=digest
                ).to_session()
                return redirect("demand:request_done")
            request.session[FLOW_KEY] = (
                flow.with_request(wanted, product=variant.product.get_absolute_url())
                .waiting_for(start.verification_id)
                .to_session()
            )
            return redirect("demand:confirm")
    return render(
        request,
        "demand/pair_request.html",
        {
            "kind": kind,
            "variant": variant,
            "product": variant.product,
            "store": store,
            "offer": offer,
            "form": form,
            "signup_url": signup_url(variant.pk, store.pk),
            "pairs_limit": settings.CUSTOMER_PAIRS_PER_NUMBER,
        },
        status=400 if form.errors else 200,
    )


def _offer(kind: str, variant: Any, store: Any) -> Any:
    """What the page can promise now: pairs at the store, or the source and its arrival day;
    None when there is nothing to offer (the page points to the waitlist)."""
    if kind == "hold":
        return selectors.available_at(variant, store) or None
    return selectors.bring_source(variant, store)


def request_done(request: HttpRequest) -> HttpResponse:
    done = RequestsDone.from_session(request.session.get(REQUESTS_DONE_KEY))
    if done is None:
        return redirect("storefront:home")
    outcomes = done.outcomes
    holds = selectors.requested_holds(o.hold_id for o in outcomes if o.hold_id)
    transfers = selectors.requested_transfers(o.transfer_id for o in outcomes if o.transfer_id)
    text_times = messaging_selectors.queued_text_times(holds)
    entries = selectors.launch_entries_with_ids(o.entry_id for o in outcomes if o.entry_id)
    rows = [
        {
            "hold": holds.get(outcome.hold_id or 0),
            "transfer": transfers.get(outcome.transfer_id or 0),
            "entry": entries.get(outcome.entry_id or 0),
            "error": outcome.error,
            "limit_reached": outcome.limit_reached,
            "text_at": text_times.get(outcome.hold_id or 0),
            "signup_url": signup_url(outcome.variant_id, outcome.store_id)
            if outcome.variant_id and outcome.store_id
            else "",
        }
        for outcome in outcomes
    ]
    return render(
        request,
        "demand/pair_request_done.html",
        {
            "rows": rows,
            "my_requests_url": my_requests_url(request, done.digest),
        },
    )


def my_requests_url(request: HttpRequest, digest: str) -> str:
    """ "My requests" of the number with this keyed hash if this browser confirmed it with a
    code in this session; else the find page, which texts a code and then shows them."""
    phone = mine_phone(request)
    if phone and digest and phone_digest(phone) == digest:
        return reverse("demand:mine")
    return reverse("demand:find")
