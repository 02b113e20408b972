"""The address a request really comes from, behind the reverse proxies we run.

Behind Caddy every request's REMOTE_ADDR is the proxy's, so per-address limits would become
one limit for the whole site. The client's address is then taken from X-Forwarded-For — but
only when the request arrives from a proxy listed in `TRUSTED_PROXIES` (addresses or
networks). From anywhere else the header is ignored, so forging it gains nothing.
Limits count a client by `client_key` (an IPv6 client by its /64).
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks_parse(entries: Iterable[str]) -> tuple[Network, ...]:
    """`TRUSTED_PROXIES` as networks (an address is its own /32 or /128; host bits are
    ignored). Raises ValueError naming the first entry that is neither, e.g. a host name:
    settings call this at start-up so a typo stops the process instead of every request."""
    networks = []
    for entry in entries:
        if not entry.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry.strip()!r} is not an IP address or network "
                "(e.g. 172.30.0.10 or 10.0.0.0/24; host names are not resolved)."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return networks_parse(entries)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_key(address: str) -> str:
    """What every per-address limit counts a client by: an IPv4 address as it is, an IPv6
    address by its /64 (one subscriber's network, whose 2^64 addresses they may rotate
    through at will), an IPv4-mapped IPv6 address as the IPv4 address it carries; anything
    unreadable ("unknown") as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        prefix = ipaddress.IPv6Address(int(ip) >> 64 << 64)
        return f"{prefix}/64"
    return str(ip)


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the forwarding header when a trusted proxy sent the
    request, else the connection's own address ("unknown" if there is none)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote and _is_trusted_proxy(remote):
        # The right-most entry is the one our proxy appended: anything left of it is what
        # the client itself claimed. The legacy algorithm takes exactly that entry.
        forwarded, _routable = get_client_ip(
            request,
            proxy_order="right-most",
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            algorithm="legacy",
        )
        if forwarded:
            return forwarded
    return remote or "unknown"
