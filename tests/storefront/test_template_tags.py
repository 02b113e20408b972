"""The storefront's template filters: when a number was confirmed, distances."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from inventory.geo import distance_label as kilometres
from storefront.templatetags.storefront import confirmed


@pytest.fixture
def english():
    with translation.override("en"), timezone.override("Asia/Jerusalem"):
        yield


def test_confirmed_reads_the_time_in_israel(english):
    local = timezone.localtime().replace(hour=11, minute=5, second=0, microsecond=0)
    moment = local.astimezone(UTC)  # 09:05 or 08:05 UTC

    assert confirmed(moment) == f"confirmed today at {date_format(local, 'TIME_FORMAT')}"
    assert "11" in confirmed(moment) and "05" in confirmed(moment)


def test_confirmed_yesterday_and_before(english):
    now = timezone.localtime()
    yesterday = now - timedelta(days=1)
    older = now - timedelta(days=9)

    assert confirmed(yesterday).startswith("confirmed yesterday at ")
    assert confirmed(older).startswith("confirmed on ")
    assert confirmed(None) == ""


def test_kilometres(english):
    assert kilometres(0.4) == "under 1 km"
    assert kilometres(12.4) == "12 km"
    assert kilometres(None) == ""
