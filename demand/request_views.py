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

from . import selectors, services
from .flow import FLOW_KEY, KINDS, REQUESTS_DONE_KEY, fulfil_requests, known
from .forms import PairRequestForm


def _hours(duration: Any) -> int:
    return int(duration.total_seconds() // 3600)


def signup_url(variant_id: int, store_id: int) -> str:
    return reverse("demand:signup") + "?" + urlencode({"variant": variant_id, "store": store_id})


@require_http_methods(["GET", "POST"])
def pair_request(request: HttpRequest, kind: str) -> HttpResponse:
    variant = selectors.signup_variant(parse_id(request.GET.get("variant")))
    store = selectors.customer_store(parse_id(request.GET.get("store")))
    if variant is None or store is None or kind not in KINDS:
        return render(request, "demand/signup_missing.html", status=404)
    offer = _offer(kind, variant, store)
    form = PairRequestForm(request.POST or None)
    if request.method == "POST" and offer is not None and form.is_valid():
        phone, language = form.cleaned_data["phone"], form.cleaned_data["language"]
        digest = phone_digest(phone)
        flow: dict[str, Any] = request.session.get(FLOW_KEY) or {}
        same_number = flow.get("digest") == digest
        wanted = {"kind": kind, "variant": variant.pk, "store": store.pk, "language": language}
        try:
            start = services.pair_request_start(
                phone=phone,
                language=language,
                client_ip=client_ip(request),
                trusted=digest in known(request),
                verification_id=flow.get("verification_id") if same_number else None,
                channel=form.cleaned_data.get("channel") or None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if start.confirmed:
                request.session[REQUESTS_DONE_KEY] = fulfil_requests(phone, [wanted])
                return redirect("demand:request_done")
            previous = flow.get("requests", []) if same_number else []
            request.session[FLOW_KEY] = {
                "verification_id": start.verification_id,
                "entry_ids": flow.get("entry_ids", []) if same_number else [],
                "requests": [*previous, wanted][-5:],
                "tail": phone[-2:],
                "digest": digest,
                "product": variant.product.get_absolute_url(),
            }
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
            "hold_hours": _hours(
                settings.PAIR_HOLD_DURATION if kind == "hold" else settings.HOLD_DURATION
            ),
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
    results: list[dict[str, Any]] | None = request.session.get(REQUESTS_DONE_KEY)
    if not results:
        return redirect("storefront:home")
    holds = selectors.requested_holds(r["hold"] for r in results if r.get("hold"))
    transfers = selectors.requested_transfers(r["transfer"] for r in results if r.get("transfer"))
    text_times = messaging_selectors.queued_text_times(holds)
    rows = []
    for result in results:
        rows.append(
            {
                "hold": holds.get(result.get("hold") or 0),
                "transfer": transfers.get(result.get("transfer") or 0),
                "error": result.get("error", ""),
                "text_at": text_times.get(result.get("hold") or 0),
                "signup_url": signup_url(result["variant"], result["store"])
                if result.get("variant") and result.get("store")
                else "",
            }
        )
    return render(
        request,
        "demand/pair_request_done.html",
        {
            "rows": rows,
            "pair_hours": _hours(settings.PAIR_HOLD_DURATION),
            "hold_hours": _hours(settings.HOLD_DURATION),
        },
    )
