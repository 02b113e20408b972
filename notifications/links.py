"""Short signed tokens for links sent by SMS, where every character costs.

`"42-k3j9x0qz1mfa"`: the object's id and a truncated HMAC of it (keyed by SECRET_KEY and a
purpose, so a token for one purpose is worthless for another). 60 bits of MAC is ample for
links that also expire and act on one object only.
"""

import base64

from django.utils.crypto import constant_time_compare, salted_hmac

from core.http import parse_id

_MAC_CHARS = 12


def _mac(purpose: str, pk: int) -> str:
    digest = salted_hmac(f"sms-link:{purpose}", str(pk), algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:_MAC_CHARS]


def make_token(purpose: str, pk: int) -> str:
    return f"{pk}-{_mac(purpose, pk)}"


def read_token(purpose: str, token: str) -> int | None:
    """The id a token was made for, or None when it is malformed or forged."""
    pk_text, _, mac = token.partition("-")
    pk = parse_id(pk_text)
    if pk is None or len(mac) != _MAC_CHARS:
        return None
    return pk if constant_time_compare(mac, _mac(purpose, pk)) else None
