"""The app behind a real reverse proxy: Compose's Caddy, config/Caddyfile itself, on loopback.

Per-address limits: behind the proxy every connection comes from the proxy's address; the app
must count each customer by the address Caddy forwards, and only believe that header from
Caddy. Clients are told apart by their loopback source address (127.0.0.2, 127.0.0.3, ...);
Caddy connects to the app from 127.0.0.1, the one trusted proxy.

Compression and caching: in front of gunicorn under production settings (static files
collected, as in the image), pages come back compressed and hashed static files carry
whitenoise's long, immutable cache lifetime through the proxy.
"""

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis
import zstandard
from django.conf import settings

from reviews.models import SiteFeedback
from tests.integration.conftest import free_port

CADDY = shutil.which("caddy") or ""
pytestmark = pytest.mark.skipif(not CADDY, reason="Caddy not installed (apt-get install caddy)")
LIMIT = 2
BASE_DIR = Path(__file__).resolve().parents[2]
# The file Compose mounts into its Caddy container.
COMPOSE_CADDYFILE = BASE_DIR / "config" / "Caddyfile"
ONE_YEAR = 365 * 24 * 60 * 60


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    _out, errors = process.communicate(timeout=10)
    raise RuntimeError(f"{what} did not start: {errors!r}")


@contextmanager
def caddy_in_front(upstream: str, tmp_path: Path) -> Iterator[int]:
    """Compose's Caddyfile, imported unchanged, serving http://127.0.0.1:<port> in front of
    `upstream` (host:port); only the admin endpoint and automatic HTTPS are off."""
    port = free_port()
    config = tmp_path / "Caddyfile"
    config.write_text(f"{{\n\tadmin off\n\tauto_https off\n}}\nimport {COMPOSE_CADDYFILE}\n")
    env = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "APP_UPSTREAM_HOST": upstream.rpartition(":")[0],
        "APP_UPSTREAM_PORT": upstream.rpartition(":")[2],
    }
    process = subprocess.Popen(
        [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process, "Caddy")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def caddy(live_server, tmp_path: Path) -> Iterator[int]:
    with caddy_in_front(live_server.url.removeprefix("http://"), tmp_path) as port:
        yield port


class Browser:
    """One client at one loopback address (IPv4, or IPv6 reaching the proxy at ::1), keeping
    its cookies."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source, self.cookies = port, source, SimpleCookie()

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        host = "::1" if ":" in self.source else "127.0.0.1"
        connection = http.client.HTTPConnection(
            host, self.port, timeout=20, source_address=(self.source, 0)
        )
        sent = {
            # The site's address, whichever loopback the client came in on.
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        text = response.read().decode()
        connection.close()
        return response.status, text

    def answer_feedback(self, extra_headers: dict[str, str] | None = None) -> None:
        status, page = self.request("GET", "/admin/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        csrf = token.group(1) if token else self.cookies["csrftoken"].value
        status, _page = self.request(
            "POST",
            "/feedback/",
            body="found=no&comment=missing+size",
            headers={"X-CSRFToken": csrf, "HX-Request": "true", **(extra_headers or {})},
        )
        assert status == 200


@pytest.fixture
def limits(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "site_feedback_per_ip": (LIMIT, 3600)}
    from django.core.cache import cache

    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_two_customers_behind_the_proxy_are_limited_separately(caddy, limits):
    first, second = Browser(caddy, "127.0.0.2"), Browser(caddy, "127.0.0.3")

    for _ in range(LIMIT + 2):
        first.answer_feedback()
    for _ in range(LIMIT):
        second.answer_feedback()

    assert SiteFeedback.objects.count() == 2 * LIMIT


@pytest.mark.django_db(transaction=True)
def test_a_client_forging_the_header_gains_nothing(caddy, live_server, limits):
    port = int(live_server.url.rsplit(":", 1)[1])
    direct = Browser(port, "127.0.0.4")
    through_proxy = Browser(caddy, "127.0.0.5")

    for n in range(LIMIT + 3):
        direct.answer_feedback({"X-Forwarded-For": f"198.51.100.{n}"})
        through_proxy.answer_feedback({"X-Forwarded-For": f"203.0.113.{n}"})

    # Each forger is counted at its own address: LIMIT answers kept for each, no more.
    assert SiteFeedback.objects.count() == 2 * LIMIT


@pytest.mark.django_db(transaction=True)
def test_the_metrics_are_not_served_through_the_proxy(caddy, live_server, settings):
    settings.METRICS_TOKEN = "proxy-metrics-token-0123456789"
    token = {"Authorization": f"Bearer {settings.METRICS_TOKEN}"}
    port = int(live_server.url.rsplit(":", 1)[1])

    through_proxy, _page = Browser(caddy, "127.0.0.2").request("GET", "/metrics", headers=token)
    inside, _text = Browser(port, "127.0.0.2").request("GET", "/metrics", headers=token)

    assert through_proxy == 404
    assert inside == 200


# Two customers on one home network (one IPv6 /64, each device its own address) and a third
# elsewhere. Documentation prefix (RFC 3849), added to the loopback for the test and removed.
SAME_NETWORK = ("2001:db8:64::a", "2001:db8:64::b")
ELSEWHERE = "2001:db8:65::c"


@pytest.fixture
def ipv6_clients() -> Iterator[None]:
    ip = shutil.which("ip")
    if ip is None or os.geteuid() != 0:
        pytest.skip("adding IPv6 addresses to the loopback needs `ip` and root")
    added: list[str] = []
    try:
        for address in (*SAME_NETWORK, ELSEWHERE):
            subprocess.run(
                [ip, "-6", "addr", "add", f"{address}/128", "dev", "lo", "nodad"],
                check=True,
                capture_output=True,
            )
            added.append(address)
        yield
    finally:
        for address in added:
            subprocess.run([ip, "-6", "addr", "del", f"{address}/128", "dev", "lo"], check=False)


@pytest.mark.django_db(transaction=True)
def test_clients_of_one_ipv6_network_share_one_limit_behind_the_proxy(caddy, limits, ipv6_clients):
    first, second = (Browser(caddy, address) for address in SAME_NETWORK)
    elsewhere = Browser(caddy, ELSEWHERE)

    # Rotating addresses inside the /64 buys nothing: LIMIT answers for the whole network.
    for _ in range(LIMIT):
        first.answer_feedback()
        second.answer_feedback()
    from_the_network = SiteFeedback.objects.count()
    for _ in range(LIMIT):
        elsewhere.answer_feedback()

    assert from_the_network == LIMIT
    assert SiteFeedback.objects.count() == 2 * LIMIT


# --- Compression and cache lifetimes, in front of the production app ---------------------------


@pytest.fixture(scope="module")
def production_app(
    integration_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, Path]]:
    """gunicorn serving config.settings.production on loopback, with static files collected
    into a folder of its own; yields its port and that folder."""
    static_root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_READ_DOT_ENV_FILE": "False",
        "SECRET_KEY": "proxy-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://shop.example.com",
        "SMS_ENABLED": "False",
        "DATABASE_URL": integration_db,
        "REDIS_URL": settings.REDIS_URL,
        # Production wants the broker on a Redis server apart from the cache; these pages queue
        # no task, so nothing needs to listen there.
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        # Caddy here listens on plain HTTP: nothing to redirect to.
        "SECURE_SSL_REDIRECT": "False",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process, "gunicorn")
        yield port, static_root
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def proxied_production(
    production_app: tuple[int, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    app_port, _static_root = production_app
    with caddy_in_front(f"127.0.0.1:{app_port}", tmp_path_factory.mktemp("caddy")) as port:
        yield port


def fetch(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def _without_csrf_tokens(html: bytes) -> bytes:
    # Each render masks the CSRF token differently; everything else is the same page.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def _caddy_encoders() -> set[str]:
    modules = subprocess.run(
        [CADDY, "list-modules"], capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        name.removeprefix("http.encoders.") for name in modules if name.startswith("http.encoders.")
    }


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_pages_through_the_proxy_come_back_compressed(proxied_production, production_app, encoding):
    if encoding not in _caddy_encoders():
        pytest.skip(f"this Caddy has no {encoding} encoder")
    app_port, _static_root = production_app
    # Straight from gunicorn, with the Host Caddy passes on (the page has absolute links).
    _direct, plain = fetch(app_port, "/", Host=f"127.0.0.1:{proxied_production}")

    response, body = fetch(proxied_production, "/", **{"Accept-Encoding": encoding})

    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert response.getheader("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.getheader("Vary", "")
    decompress = (
        gzip.decompress
        if encoding == "gzip"
        else (lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data))
    )
    html = decompress(body)
    assert len(body) < len(html) / 2
    assert b'<html lang="he" dir="rtl">' in html
    assert _without_csrf_tokens(html) == _without_csrf_tokens(plain)


def test_a_page_asked_for_without_compression_comes_back_as_it_is(proxied_production):
    response, body = fetch(proxied_production, "/")

    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert b"</html>" in body


def _linked_stylesheet(port: int) -> str:
    _response, html = fetch(port, "/")
    match = re.search(rb'<link[^>]+href="(/static/[^"]+\.css)"', html)
    assert match, "the home page links no stylesheet"
    return match.group(1).decode()


def test_hashed_static_files_are_cached_for_a_year_or_more_and_immutable(
    proxied_production, production_app
):
    _app_port, static_root = production_app
    path = _linked_stylesheet(proxied_production)
    assert re.search(r"\.[0-9a-f]{12}\.css$", path), f"{path} has no content hash"

    response, body = fetch(proxied_production, path, **{"Accept-Encoding": "gzip"})

    assert response.status == 200
    cache_control = response.headers.get_all("Cache-Control") or []
    assert len(cache_control) == 1, cache_control  # one header, not two that disagree
    directives = {part.strip() for part in cache_control[0].split(",")}
    assert {"public", "immutable"} <= directives
    max_age = next(int(d.split("=")[1]) for d in directives if d.startswith("max-age="))
    assert max_age >= ONE_YEAR
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == (static_root / path.removeprefix("/static/")).read_bytes()


def test_static_files_without_a_hash_are_cached_briefly(proxied_production):
    hashed = _linked_stylesheet(proxied_production)
    unhashed = re.sub(r"\.[0-9a-f]{12}(\.css)$", r"\1", hashed)
    missing = re.sub(r"\.[0-9a-f]{12}(\.css)$", r".000000000000\1", hashed)

    response, _body = fetch(proxied_production, unhashed)
    gone, _body = fetch(proxied_production, missing)

    # A name that can change content, or a file not (yet) there, must not be kept for a year.
    assert response.status == 200
    assert "immutable" not in response.getheader("Cache-Control", "")
    assert gone.status == 404
    assert "immutable" not in gone.getheader("Cache-Control", "")


def _kept_pages() -> int:
    """How many pages the production app keeps in its Redis (the cache's "page:" entries)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return sum(1 for _key in client.scan_iter(match="*page:*", count=1000))


def test_unknown_query_parameters_through_the_proxy_keep_no_new_pages(proxied_production):
    response, _body = fetch(proxied_production, "/en/sneakers/")
    assert response.status == 200
    kept = _kept_pages()
    assert kept >= 1  # the catalogue page itself is kept

    for n in range(1, 31):
        response, _body = fetch(proxied_production, f"/en/sneakers/?utm_x={n}&page=1")
        # One redirect to the address the page reads; nothing new kept for a day.
        assert response.status in (301, 302), response.status
        assert "utm_x" not in response.getheader("Location", "")

    assert _kept_pages() == kept
