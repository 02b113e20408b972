"""Reading what a request says, safely: an id, a `next` address, the range of dates a page
may ask about.

Query strings and forms carry whatever a client typed or a fuzzer sent: "²" (a digit to
`str.isdigit`, not to `int`), NUL characters, 20-digit numbers, "0001-01-01", bare words where
a path belongs. Every view reads ids and `next` through these helpers, which answer `None` (or
the fallback) for anything that is not plainly valid, and forms keep dates within
`EARLIEST_DATE`..`LATEST_DATE`, so bad input is refused with a message instead of reaching the
database or `reverse()` and becoming a 500.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

# The largest value a PostgreSQL bigint (Django's BigAutoField) holds.
MAX_ID = 2**63 - 1
# Dates a page may ask about: far enough back for any history, forward for any plan.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def parse_id(value: object, *, maximum: int = MAX_ID) -> int | None:
    """A positive id written in ASCII digits, at most `maximum`; otherwise None."""
    if not isinstance(value, str) or not value or len(value) > 19:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= maximum else None


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` address of a POST or GET if it is a path on this site, else `fallback`.

    Only a path ("/staff/transfers/") is taken: a bare word ("abc") would be read as a view
    name by `redirect()`, and another host or scheme would make the site an open redirect.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\x00" not in target
        and "\\" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def from_this_site(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a form posted from another site by what the browser says about it, instead of a
    CSRF token — for an anonymous form on pages kept whole for every visitor, where a token
    would have to be made for each one.

    Browsers say where a request comes from in `Sec-Fetch-Site` (fetch metadata) and, on every
    POST, in `Origin`; a forged cross-site form carries "cross-site" and the other site's
    origin, and a page cannot make the browser say otherwise. A request with neither header
    does not come from a browser page, so no visitor's browser can be made to send it. (OWASP's
    fetch-metadata defence; the same rule as Go's CrossOriginProtection.)
    """

    @csrf_exempt
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fetched_from = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if fetched_from is not None:
            if fetched_from not in ("same-origin", "none"):
                raise PermissionDenied("Posted from another site")
        elif origin is not None and origin not in (
            f"{request.scheme}://{request.get_host()}",
            *settings.CSRF_TRUSTED_ORIGINS,
        ):
            raise PermissionDenied("Posted from another site")
        return view(request, *args, **kwargs)

    return checked
