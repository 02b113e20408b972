import pytest
from django.test import RequestFactory

from core.clientip import client_ip, client_key


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.9.0.0/24", "127.0.0.1"]


def test_client_ip_is_the_connection_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_client_ip_from_a_trusted_proxy_is_the_forwarded_client(behind_proxy):
    assert client_ip(request("10.9.0.3", "198.51.100.1")) == "198.51.100.1"
    assert client_ip(request("127.0.0.1", "198.51.100.2")) == "198.51.100.2"


def test_client_ip_takes_the_entry_the_proxy_appended_not_what_the_client_claimed(behind_proxy):
    assert client_ip(request("10.9.0.3", "6.6.6.6, 198.51.100.1")) == "198.51.100.1"


def test_client_ip_ignores_a_forged_header_from_anyone_else(behind_proxy):
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "garbage", "\x00"])
def test_client_ip_from_a_proxy_with_an_unreadable_header_is_the_proxy(behind_proxy, forwarded):
    assert client_ip(request("10.9.0.3", forwarded)) == "10.9.0.3"


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
    ],
)
def test_client_key_counts_an_ipv6_client_by_its_64(address, key):
    assert client_key(address) == key
