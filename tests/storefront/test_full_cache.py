"""A full cache never breaks a page, nor makes one stale: the cache's Redis is bounded
(maxmemory) and evicts the least recently used keys, as Compose runs it; full without eviction,
it refuses writes, and pages are then built from the database."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache

from inventory import services
from tests.factories import ProductFactory, StoreFactory, VariantFactory, put_stock
from tests.storefront.test_freshness import shop, store_row  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)
JUNK = b"x" * 10_000


def _small_redis(policy: str) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--maxmemory", "4mb", "--maxmemory-policy", policy],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _use_cache(settings, url: str) -> None:
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }


def _fill(url: str, megabytes: int) -> int:
    """Write `megabytes` of other keys, as anyone filling the cache would; returns how many
    the server took before it refused."""
    client = redis.Redis.from_url(url)
    written = 0
    for i in range(megabytes * 100):
        try:
            client.set(f"junk:{i}", JUNK)
        except redis.exceptions.ResponseError:  # OOM: full, and evicting nothing
            break
        written += 1
    return written


@pytest.fixture
def evicting_cache(settings) -> Iterator[str]:
    for url in _small_redis("allkeys-lru"):
        _use_cache(settings, url)
        yield url


@pytest.fixture
def full_cache(settings) -> Iterator[str]:
    for url in _small_redis("noeviction"):
        _use_cache(settings, url)
        yield url


def test_pages_stay_right_while_the_cache_evicts_to_make_room(shop, evicting_cache):  # noqa: F811
    product, variant, tlv, _jlm = shop
    assert "3 pairs" in store_row(product, variant, "Dizengoff")  # built and kept

    assert _fill(evicting_cache, 12) == 1200  # three times its memory: nothing refused
    services.stock_sell(store=tlv, variant=variant, quantity=1)
    _fill(evicting_cache, 12)  # the new versions may well be evicted too

    assert "2 pairs" in store_row(product, variant, "Dizengoff")
    assert cache.get("no-such-key") is None  # the cache still answers


def _fill_up(url: str) -> None:
    """Fill a Redis that evicts nothing until it refuses writes, and keep it there (well over
    its limit, not at its edge where a small write may still fit)."""
    assert _fill(url, 12) < 1200
    redis.Redis.from_url(url).config_set("maxmemory", "1mb")


@pytest.fixture
def new_product():
    """A product whose page this process has never built."""
    product = ProductFactory()
    variant = VariantFactory(product=product)
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, variant, on_hand=3)
    return product, variant, tlv


def test_a_page_is_built_from_the_database_when_the_cache_is_full(new_product, full_cache, caplog):
    product, variant, tlv = new_product  # its versions went to another cache: none in this one
    _fill_up(full_cache)

    assert "3 pairs" in store_row(product, variant, "Dizengoff")
    services.stock_sell(store=tlv, variant=variant, quantity=1)
    assert "2 pairs" in store_row(product, variant, "Dizengoff")
    assert "Cache unreachable; building without it" in caplog.text


def test_a_page_kept_before_the_cache_filled_up_is_not_served_after_a_sale(full_cache, caplog):
    product = ProductFactory()
    variant = VariantFactory(product=product)
    tlv = StoreFactory(name_en="Dizengoff")
    put_stock(tlv, variant, on_hand=3)
    assert "3 pairs" in store_row(product, variant, "Dizengoff")  # built and kept
    _fill_up(full_cache)

    services.stock_sell(store=tlv, variant=variant, quantity=1)  # its new version is refused

    assert "2 pairs" in store_row(product, variant, "Dizengoff")
    assert "Could not renew the cached pages' versions" in caplog.text
