"""Store tills' API keys.

A till key is `<prefix>.<secret>`. The prefix finds the token row; only a SHA-256 of the
secret is stored (the secret is 256 random bits, so a slow password hash would add nothing
but latency to every request).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from ..models import Store, TillToken

# `last_used_at` is a hint for staff, not an audit log: writing it once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_HASH_SCHEME = "sha256"
# Compared against when no token matches, so a miss costs what a hit costs.
_DUMMY_HASH = f"{_HASH_SCHEME}${hashlib.sha256(b'no such till').hexdigest()}"


def _hash_secret(secret: str) -> str:
    return f"{_HASH_SCHEME}${hashlib.sha256(secret.encode()).hexdigest()}"


def till_token_create(*, store: Store, name: str) -> tuple[TillToken, str]:
    """Make a key for one till of `store`. Returns the token and the raw key.

    The raw key is not stored anywhere: show it once, to whoever sets up the till.
    """
    secret = secrets.token_urlsafe(32)
    while True:
        prefix = secrets.token_hex(5)
        if not TillToken.objects.filter(prefix=prefix).exists():
            break
    token = TillToken.objects.create(
        store=store, name=name, prefix=prefix, key_hash=_hash_secret(secret)
    )
    return token, f"{prefix}.{secret}"


def till_token_revoke(*, token: TillToken) -> TillToken:
    """Stop a key from working, at once. Revoking a revoked token changes nothing."""
    now = timezone.now()
    TillToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def till_authenticate(*, raw_key: str) -> TillToken | None:
    """The live token a raw key belongs to, or None (unknown, malformed or revoked).

    The secret is compared in constant time; a miss does the same hashing as a hit.
    """
    prefix, _sep, secret = raw_key.strip().partition(".")
    token = None
    if prefix and secret and len(prefix) <= 12:
        token = TillToken.objects.select_related("store").filter(prefix=prefix).first()
    expected = token.key_hash if token is not None else _DUMMY_HASH
    matches = hmac.compare_digest(_hash_secret(secret).encode(), expected.encode())
    if token is None or not matches or token.revoked_at is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        TillToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
