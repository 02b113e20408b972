"""Fixed-window counters in the shared cache: one use of a rule by a key at a time."""

from django.conf import settings
from django.core.cache import cache

from .errors import DomainError


class RateLimited(DomainError):
    def __init__(self, rule: str, message: str = "") -> None:
        super().__init__(message or rule, rule=rule)
        self.rule = rule


def hit(rule: str, key: str) -> None:
    """Count one use of `rule` by `key` (a phone digest, a client address); raises
    `RateLimited` once the rule's limit for its window is passed.

    The limit and window (seconds) come from `settings.RATE_LIMITS[rule]`. The window starts
    at the first hit and is never extended; add() and incr() are atomic in Redis and in local
    memory, so concurrent hits from several workers are all counted.
    """
    limit, window = settings.RATE_LIMITS[rule]
    cache_key = f"ratelimit:{rule}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(rule)
