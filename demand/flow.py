"""What a browser carries through the request pages: the numbers it confirmed (a signed
cookie of keyed hashes, never the numbers), its session's keys, and carrying out the requests
of a number once it is confirmed."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core.http import parse_id
from notifications import services as messaging

from . import selectors, services

# The code a browser waits for and what it asked for meanwhile (the alert and request pages).
FLOW_KEY = "alerts_flow"
DONE_KEY = "alerts_done"
REQUESTS_DONE_KEY = "pair_requests_done"
# The number whose alerts this browser may see, once it has confirmed a code for it.
MINE_KEY = "alerts_mine"
KNOWN_COOKIE = "alerts_known"
KNOWN_SALT = "notifications.known"  # (kept: cookies signed with it stay valid)
KNOWN_MAX = 5
KINDS = ("hold", "bring")


def known(request: HttpRequest) -> list[str]:
    """Keyed hashes of the numbers this browser has confirmed (never the numbers)."""
    raw = request.get_signed_cookie(KNOWN_COOKIE, default="", salt=KNOWN_SALT) or ""
    return [digest for digest in raw.split(",") if digest]


def remember(response: HttpResponse, request: HttpRequest, digest: str) -> None:
    digests = [d for d in known(request) if d != digest] + [digest]
    response.set_signed_cookie(
        KNOWN_COOKIE,
        ",".join(digests[-KNOWN_MAX:]),
        salt=KNOWN_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def fulfil_requests(phone: str, wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Carry out the requests of a confirmed number; what became of each, for the done page
    (ids and messages only)."""
    results = []
    for item in wanted:
        variant = selectors.signup_variant(parse_id(str(item.get("variant"))))
        store = selectors.customer_store(parse_id(str(item.get("store"))))
        kind = item.get("kind")
        result: dict[str, Any] = {
            "kind": kind,
            "variant": item.get("variant"),
            "store": item.get("store"),
        }
        if variant is None or store is None or kind not in KINDS:
            results.append({**result, "error": _("This size or store is no longer offered.")})
            continue
        try:
            if kind == "hold":
                hold = services.pair_hold_for_customer(
                    phone=phone, variant=variant, store=store, language=item.get("language", "")
                )
                result["hold"] = hold.pk
            else:
                transfer = services.bring_to_store(
                    phone=phone, variant=variant, store=store, language=item.get("language", "")
                )
                result["transfer"] = transfer.pk
        except messaging.AlertError as exc:
            result["error"] = exc.message
        results.append(result)
    return results
