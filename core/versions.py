"""Cached pages that are never stale: what is cached is keyed on versions of the data it shows,
and every write that changes that data puts a new version in place once it has committed.

A version is a random token in the shared cache (Redis in production, so every web worker sees
the same; local memory on the embedded default, which serves from one process). A build
declares what it depends on (`depends.on(...)`) before it reads it, and its value is kept with
those versions — in the shared cache and in this process's recent entries — and served only
while every one of them stands, which costs one round trip to read them. A page rendered from
data older than a version is never stored under it. A version that is missing (never set, or
evicted) is replaced by a new token, which only costs a fresh render. Nothing relies on a
timeout: entries expire only to free memory.

The names the app's pages depend on:
- `CATALOG` — anything edited in the catalogue or the admin that pages show: products and their
  prices, sizes, pictures, brands, categories, stores, reviews;
- `STOCK` — whether a size is for sale at a shop, anywhere in the chain (the in-stock flags of
  lists and cards, and their filters): new when a write puts a size in or out of stock at a
  shop, not on every count;
- `launches_of(product_id)` — a model's launch draws (the product page's panel);
- `stock_of(variant_id)` — a stock number or arrival date of one size (its line on its
  product's page, and the page of that size's stores).

Writers that go through the ORM's `save()` and `delete()` are covered by `bump_on_save`;
writes that bypass the model signals (`update()`, `bulk_create()`) call `bump` themselves.
"""

import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from . import metrics

logger = logging.getLogger(__name__)

CATALOG = "catalog"
STOCK = "stock"
ENTRY_SECONDS = 24 * 3600  # entries go after a day unread or not; versions never do

T = TypeVar("T")


def launches_of(product_id: int) -> str:
    """The version of a model's launch draws (the panel on its product page)."""
    return f"launches:{product_id}"


def stock_of(variant_id: int) -> str:
    return f"{STOCK}:{variant_id}"


def _key(name: str) -> str:
    return f"version:{name}"


class _Versions:
    """Where versions live: Django's cache (local memory on the embedded default), or, when
    the cache is Redis, Redis itself through one client kept for the process — plain strings,
    one MGET a page, without a client built and values unpickled on every call."""

    def __init__(self) -> None:
        self._redis: Any = None
        self._url: str | None = None

    def _client(self) -> Any:
        url = settings.REDIS_URL if _cache_is_redis() else ""
        if url != self._url:
            self._redis = (
                redis.Redis.from_url(
                    url,
                    decode_responses=True,
                    socket_timeout=2,
                    socket_connect_timeout=2,
                )
                if url
                else None
            )
            self._url = url
        return self._redis

    def get_many(self, keys: list[str]) -> dict[str, str]:
        client = self._client()
        if client is None:
            return cache.get_many(keys)
        return {
            key: value
            for key, value in zip(keys, client.mget(keys), strict=True)
            if value is not None
        }

    def add(self, key: str, value: str) -> None:
        client = self._client()
        if client is None:
            cache.add(key, value, timeout=None)
        else:
            client.set(key, value, nx=True)

    def set_many(self, values: dict[str, str]) -> None:
        client = self._client()
        if client is None:
            cache.set_many(values, timeout=None)
        else:
            client.mset(values)

    def delete_many(self, keys: list[str]) -> None:
        client = self._client()
        if client is None:
            cache.delete_many(keys)
        else:
            client.delete(*keys)


def _cache_is_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("redis.RedisCache")


_versions = _Versions()


def current(*names: str) -> tuple[str, ...]:
    """The versions of `names` (a new version for any that has none yet), in one round trip;
    inside `read_once`, each name's version as first read there. Raises the cache's error
    when it cannot be reached."""
    keys = [_key(name) for name in names]
    memo = _read_once.get()
    if memo is None:
        found = _read(keys)
    else:
        unread = [key for key in keys if key not in memo]
        if unread:
            memo.update(_read(unread))
        found = memo
    return tuple(found.get(key, "") for key in keys)


def _read(keys: list[str]) -> dict[str, str]:
    found = _versions.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            _versions.add(key, secrets.token_hex(6))
        found.update(_versions.get_many(missing))
    return found


_read_once: ContextVar[dict[str, str] | None] = ContextVar("versions_read_once", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within the block (one page's request), a version is read from the cache the first time
    a build or a kept entry needs it, not again: a page put together from kept parts checks
    the catalogue's version once, not once a part. Safe for reads: an entry built in the block
    is kept under versions read before its data, never newer; a write committed meanwhile is
    seen by the next request. Not for a block that writes."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def bump(names: Iterable[str], *, using: str | None = None) -> None:
    """New versions for `names` once the current transaction commits (at once outside one);
    nothing for a transaction that rolls back."""
    unique = sorted(set(names))
    if unique:
        transaction.on_commit(partial(_bump, unique), using=using)


def _bump(names: list[str]) -> None:
    # After commit: the write stands whatever happens here, so a cache that cannot be reached
    # is logged loudly rather than raised at whoever made the write.
    try:
        _versions.set_many({_key(name): secrets.token_hex(6) for name in names})
    except Exception:
        logger.exception("Could not renew the cached pages' versions %s", names)
        # A Redis that is full and evicts nothing refuses the new versions but still takes
        # deletions: without them the pages kept under the old versions would be served on.
        # Missing, they are replaced by new ones (or pages are built without the cache).
        try:
            _versions.delete_many([_key(name) for name in names])
        except Exception:
            logger.exception("Could not forget the cached pages' versions %s", names)


class Depends:
    """What a build reads, declared before it reads it: `depends.on(CATALOG)`, then query."""

    def __init__(self, *, tracked: bool = True) -> None:
        self.tracked = tracked
        self.names: list[str] = []
        self.versions: list[str] = []

    def on(self, *names: str) -> None:
        if self.tracked and names:
            try:
                versions = current(*names)
            except Exception:
                # The cache failed mid-build (unreachable, or full and refusing a new
                # version): the build goes on from the database, and is not kept.
                logger.warning("Cache unreachable; building without it", exc_info=True)
                self.tracked = False
                return
            self.versions.extend(versions)
            self.names.extend(names)


@dataclass(frozen=True)
class _Entry:
    names: tuple[str, ...]
    versions: tuple[str, ...]
    value: Any


class _Recent:
    """The entries this process used last, so that a page served again costs one round trip
    to the shared cache (its versions) instead of two."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[str, _Entry] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> _Entry | None:
        return self.entries.get(key)

    def put(self, key: str, entry: _Entry) -> None:
        with self.lock:
            self.entries.pop(key, None)
            self.entries[key] = entry
            while len(self.entries) > self.size:
                del self.entries[next(iter(self.entries))]


_recent = _Recent(size=300)


def cached(key: str, build: Callable[[Depends], T], *, seconds: int = ENTRY_SECONDS) -> T:
    """`build(depends)`'s value, kept under `key` with the versions the build declared, and
    served again while those versions stand. When the cache cannot be reached the value is
    built from the database, as if nothing were cached."""
    try:
        for where, look_up in (("memory", _recent.get), ("cache", cache.get)):
            entry = look_up(key)
            if isinstance(entry, _Entry) and current(*entry.names) == entry.versions:
                _recent.put(key, entry)
                _counted(key, where)
                return entry.value
    except Exception:
        logger.warning("Cache unreachable; building without it", exc_info=True)
        _counted(key, "unreachable")
        return build(Depends(tracked=False))
    _counted(key, "built")
    depends = Depends()
    value = build(depends)
    if not depends.tracked:
        return value
    entry = _Entry(names=tuple(depends.names), versions=tuple(depends.versions), value=value)
    _recent.put(key, entry)
    try:
        cache.set(key, entry, timeout=seconds)
    except Exception:
        logger.warning("Cache unreachable; not keeping what was built", exc_info=True)
    return value


def cached_many(
    wanted: dict[str, tuple[str, ...]],
    build: Callable[[list[str]], dict[str, T]],
    *,
    seconds: int = ENTRY_SECONDS,
) -> dict[str, T]:
    """Several values, each kept under its own key with the versions it depends on
    (`wanted`: key → names): those whose versions stand are served, the others built together
    by one `build(keys)` and kept each under its own versions. One round trip for all the
    versions, one for the entries this process does not hold. When the cache cannot be
    reached every value is built from the database, as if nothing were cached."""
    names = sorted({name for depends_on in wanted.values() for name in depends_on})
    try:
        # Read before anything is built: a value is never kept under a version newer than
        # the data it was built from.
        versions = dict(zip(names, current(*names), strict=True))
        entries = {key: _recent.get(key) for key in wanted}
        absent = [key for key, entry in entries.items() if entry is None]
        entries.update(cache.get_many(absent) if absent else {})
    except Exception:
        logger.warning("Cache unreachable; building without it", exc_info=True)
        for key in wanted:
            _counted(key, "unreachable")
        return build(list(wanted))
    found: dict[str, T] = {}
    for key, depends_on in wanted.items():
        entry = entries.get(key)
        if (
            isinstance(entry, _Entry)
            and entry.names == depends_on
            and entry.versions == tuple(versions[n] for n in depends_on)
        ):
            _recent.put(key, entry)
            found[key] = entry.value
    missing = [key for key in wanted if key not in found]
    for key in wanted:
        _counted(key, "cache" if key in found else "built")
    if not missing:
        return found
    built = build(missing)
    kept = {
        key: _Entry(
            names=wanted[key], versions=tuple(versions[n] for n in wanted[key]), value=built[key]
        )
        for key in missing
    }
    for key, entry in kept.items():
        _recent.put(key, entry)
    try:
        cache.set_many(kept, timeout=seconds)
    except Exception:
        logger.warning("Cache unreachable; not keeping what was built", exc_info=True)
    return {**found, **built}


def _counted(key: str, result: str) -> None:
    """One look-up for the metrics, by the kind of value (the key's first part: "page")."""
    metrics.KEPT_PAGES.labels(kind=key.partition(":")[0], result=result).inc()


def bump_on_save(
    *senders: type[models.Model], names: Callable[[models.Model], Iterable[str]]
) -> None:
    """Bump `names(instance)` after commit whenever one of `senders` is saved or deleted."""

    def receiver(
        sender: type[models.Model], instance: models.Model, using: str = "default", **kwargs: object
    ) -> None:
        if not kwargs.get("raw"):  # fixtures being loaded
            bump(names(instance), using=using)

    for sender in senders:
        uid = f"versions:{sender._meta.label}"
        post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
