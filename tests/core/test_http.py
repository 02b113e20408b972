import pytest
from django.test import RequestFactory

from core.http import parse_id, safe_next


@pytest.mark.parametrize(
    "value, expected",
    [
        ("7", 7),
        ("9223372036854775807", 2**63 - 1),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1\x00", None),
        ("", None),
        (" 7", None),
        ("9223372036854775808", None),
        ("1" * 30, None),
        (None, None),
        ("7.0", None),
    ],
)
def test_parse_id_takes_only_plain_positive_ids(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/staff/transfers/", "/staff/transfers/"),
        ("abc", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("/a\x00b", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_safe_next_takes_only_paths_on_this_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/fallback/") == expected
