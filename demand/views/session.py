"""What a browser carries through the request pages: the numbers it confirmed (a signed
cookie of keyed hashes, never the numbers) and its session's keys. What the session holds under
them is read and written through the typed objects of `demand.services.flow`."""

from django.http import HttpRequest, HttpResponse

# The code a browser waits for and what it asked for meanwhile (`CodeFlow`), and what the
# done pages show (`SignupDone`, `RequestsDone`). The names stay: sessions written under them
# keep working.
FLOW_KEY = "alerts_flow"
DONE_KEY = "alerts_done"
REQUESTS_DONE_KEY = "pair_requests_done"
# The number whose requests this browser may see, once it has confirmed a code for it.
MINE_KEY = "alerts_mine"
KNOWN_COOKIE = "alerts_known"
KNOWN_SALT = "notifications.known"  # (kept: cookies signed with it stay valid)
KNOWN_MAX = 5


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


def forget(response: HttpResponse, request: HttpRequest, digest: str) -> None:
    """This browser no longer remembers the number with this keyed hash."""
    digests = [d for d in known(request) if d != digest]
    if digests:
        response.set_signed_cookie(
            KNOWN_COOKIE,
            ",".join(digests),
            salt=KNOWN_SALT,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(KNOWN_COOKIE, samesite="Lax")


def mine_phone(request: HttpRequest) -> str | None:
    """The number this browser confirmed with a code in this session, if any."""
    phone = request.session.get(MINE_KEY)
    return phone if isinstance(phone, str) and phone else None
