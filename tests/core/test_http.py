from datetime import date

import pytest
from django.test import RequestFactory

from core.http import parse_count, parse_date, parse_id, safe_next


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


def test_parse_count_falls_back_for_anything_out_of_range():
    assert parse_count("40", maximum=100) == 40
    assert parse_count("9223372036854775808", maximum=10_000, default=0) == 0
    assert parse_count("²", maximum=100, default=3) == 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-02", date(2026, 12, 2)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("2026-12-0²", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_takes_only_iso_dates_in_range(value, expected):
    assert parse_date(value) == expected


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
