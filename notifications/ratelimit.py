"""Fixed-window counters in the cache: sign-ups and codes per number and per client address."""

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def hit(rule: str, key: str) -> None:
    """Count one use of `rule` by `key` (a phone digest, an address); raises `RateLimited`
    once the rule's limit for its window is passed. Limits come from `SMS_RATE_LIMITS`."""
    limit, window = settings.SMS_RATE_LIMITS[rule]
    cache_key = f"ratelimit:{rule}:{key}"
    # add() only sets a missing key, so the window starts at the first hit and is never extended.
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(rule)
