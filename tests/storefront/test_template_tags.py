"""The storefront's template filters: when a number was confirmed, distances."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from inventory.geo import distance_label as kilometres
from storefront.shops import ShopRow
from storefront.templatetags.storefront import confirmed, shop_items


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


def test_shop_items_escapes_every_text_and_marks_shops_without_pairs():
    here = ShopRow(
        in_stock=True,
        name="Dizengoff <Center>",
        code="tlv",
        city="",
        distance="3 km",
        pairs="2 pairs",
        confirmed_iso="2026-12-07T09:10:00+02:00",
        confirmed="confirmed today at 09:10",
        eta="",
        eta_kind="",
        action_url="/hold/?variant=1&store=2",
        action="Hold a pair for me",
    )
    away = ShopRow(
        in_stock=False,
        name="Malha",
        code="jlm",
        city="Jerusalem",
        distance="",
        pairs="",
        confirmed_iso="",
        confirmed="",
        eta="Expected 14 Dec 2026",
        eta_kind="late",
        action_url="/signup/?variant=1&store=3",
        action="Text me when it arrives",
    )

    html = shop_items([here, away], "/stores/", "Not in stock here")

    assert html.count("<li") == 2
    assert '<li class="shop shop--in">' in html and '<li class="shop shop--out">' in html
    assert "Dizengoff &lt;Center&gt;" in html and "<Center>" not in html
    assert 'href="/hold/?variant=1&amp;store=2"' in html
    assert '<span class="shop__none">Not in stock here</span>' in html
    assert 'class="shop__eta shop__eta--late">Expected 14 Dec 2026<' in html
    assert '<span class="shop__city">Jerusalem</span>' in html
