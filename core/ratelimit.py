"""Fixed-window counters in the shared cache: one use of a rule by a key at a time.

Without the cache nothing can be counted. A rule that guards texts (codes cost money and are
what SMS pumping is after) then refuses (`LimitsUnavailable`: "try again in a minute"); a rule
that guards nothing costly (`fail_open=True`) lets the use through.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from .errors import DomainError

logger = logging.getLogger(__name__)

# What an unreachable cache raises: redis-py's errors, or the socket's own.
CACHE_DOWN = (RedisError, OSError)


class RateLimited(DomainError):
    def __init__(self, rule: str, message: str = "") -> None:
        super().__init__(message or rule, rule=rule)
        self.rule = rule


class LimitsUnavailable(RateLimited):
    """The counters cannot be reached, so a use of a fail-closed rule cannot be counted."""


def hit(rule: str, key: str, *, fail_open: bool = False) -> None:
    """Count one use of `rule` by `key` (a phone digest, a client address); raises
    `RateLimited` once the rule's limit for its window is passed.

    The limit and window (seconds) come from `settings.RATE_LIMITS[rule]`. The window starts
    at the first hit and is never extended; add() and incr() are atomic in Redis and in local
    memory, so concurrent hits from several workers are all counted. With the cache
    unreachable it raises `LimitsUnavailable` (a `RateLimited`), or with `fail_open` returns.
    """
    limit, window = settings.RATE_LIMITS[rule]
    cache_key = f"ratelimit:{rule}:{key}"
    try:
        cache.add(cache_key, 0, timeout=window)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window)
            count = 1
    except CACHE_DOWN as exc:
        logger.error("Rate limit %s not counted, the cache is unreachable: %s", rule, exc)
        if fail_open:
            return
        raise LimitsUnavailable(rule) from None
    if count > limit:
        raise RateLimited(rule)
