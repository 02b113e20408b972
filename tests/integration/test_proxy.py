"""Per-address limits behind a real reverse proxy: Caddy on loopback in front of the app.

Behind the proxy every connection comes from the proxy's address; the app must count each
customer by the address Caddy forwards, and only believe that header from Caddy. Clients are
told apart by their loopback source address (127.0.0.2, 127.0.0.3, ...); Caddy connects to
the app from 127.0.0.1, the one trusted proxy.
"""

import http.client
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from reviews.models import SiteFeedback

CADDY = shutil.which("caddy") or ""
pytestmark = pytest.mark.skipif(not CADDY, reason="Caddy not installed (apt-get install caddy)")
LIMIT = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def caddy(live_server, tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    (tmp_path / "Caddyfile").write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f"http://127.0.0.1:{port} {{\n\treverse_proxy {upstream}\n}}\n"
    )
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [CADDY, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
            _out, errors = process.communicate(timeout=10)
            raise RuntimeError(f"Caddy did not start: {errors!r}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """One client at one loopback address, keeping its cookies."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source, self.cookies = port, source, SimpleCookie()

    def request(self, method: str, path: str, body: str = "",
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20,
                                                source_address=(self.source, 0))
        sent = {"Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
                **(headers or {})}
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
            "POST", "/feedback/", body="found=no&comment=missing+size",
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
