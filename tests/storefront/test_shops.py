"""A size's stores written out (`storefront.shops`): escaped once, the same rows for every city,
and with a city each group nearest first with its distance."""

from datetime import date

import pytest
from django.utils import translation

from inventory.geo import CITIES
from storefront.shops import PairsAt, ShopRow, nearest, rows_html, shop_list

HAIFA = next(city for city in CITIES if city.slug == "haifa")
TEL_AVIV = next(city for city in CITIES if city.slug == "tel-aviv")
IN_STOCK = (False, False, date.max)


def _row(name: str, point, *, in_stock: bool = True, **texts) -> ShopRow:
    fields = {
        "code": name.lower()[:3],
        "city": "",
        "pairs": "2 pairs" if in_stock else "",
        "confirmed_iso": "",
        "confirmed": "",
        "eta": "",
        "eta_kind": "",
        "action_url": "/hold/?variant=1&store=2",
        "action": "Hold a pair for me",
        **texts,
    }
    order = IN_STOCK if in_stock else (True, True, date.max)
    return ShopRow(in_stock=in_stock, name=name, point=point, order=order, **fields)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_rows_html_escapes_every_text_and_marks_shops_without_pairs(english):
    here = _row(
        "Dizengoff <Center>",
        TEL_AVIV.point,
        confirmed_iso="2026-12-07T09:10:00+02:00",
        confirmed="confirmed today at 09:10",
    )
    away = _row(
        "Malha",
        (31.75, 35.19),
        in_stock=False,
        city="Jerusalem",
        eta="Expected 14 Dec 2026",
        eta_kind="late",
        action_url="/signup/?variant=1&store=3",
        action="Text me when it arrives",
    )

    html = shop_list(rows_html([here, away]), None)

    assert html.count("<li") == 2
    assert '<li class="shop shop--in">' in html and '<li class="shop shop--out">' in html
    assert "Dizengoff &lt;Center&gt;" in html and "<Center>" not in html
    assert 'href="/hold/?variant=1&amp;store=2"' in html
    assert '<span class="shop__none">Not in stock here</span>' in html
    assert 'class="shop__eta shop__eta--late">Expected 14 Dec 2026<' in html
    assert '<span class="shop__city">Jerusalem</span>' in html
    assert "shop__distance" not in html  # no city chosen: no distances


def test_shop_list_for_a_city_orders_each_group_nearest_first_with_distances(english):
    rows = rows_html(
        [
            _row("Ayalon", TEL_AVIV.point),
            _row("Grand Canyon", HAIFA.point),
            _row("Carmel", HAIFA.point, in_stock=False),
            _row("Dizengoff", TEL_AVIV.point, in_stock=False),
        ]
    )

    names = lambda html: [n for n in ("Ayalon", "Grand Canyon", "Carmel", "Dizengoff") if n in html]  # noqa: E731
    in_haifa = shop_list(rows, HAIFA)
    items = in_haifa.split("<li")[1:]

    # In stock first, out of stock after; within each, Haifa's shops before Tel Aviv's.
    assert [names(item) for item in items] == [
        ["Grand Canyon"],
        ["Ayalon"],
        ["Carmel"],
        ["Dizengoff"],
    ]
    assert '<span class="shop__distance">under 1 km</span>' in items[0]
    assert '<span class="shop__distance">' in items[1] and "km</span>" in items[1]
    # The rows are kept once: the same rows give Tel Aviv its own order.
    in_tel_aviv = shop_list(rows, TEL_AVIV).split("<li")[1:]
    assert [names(item) for item in in_tel_aviv] == [
        ["Ayalon"],
        ["Grand Canyon"],
        ["Dizengoff"],
        ["Carmel"],
    ]


def test_shop_list_without_shops_says_they_will_be_listed(english):
    assert "Our stores will be listed here soon." in shop_list((), HAIFA)


def test_nearest_names_the_nearest_shop_with_pairs_and_nothing_without_a_city(english):
    shops = (PairsAt("Dizengoff", TEL_AVIV.point), PairsAt("Grand <Canyon>", HAIFA.point))

    assert nearest(shops, HAIFA) == (
        '<span class="size__nearest">Nearest: Grand &lt;Canyon&gt;, under 1 km</span>'
    )
    assert nearest(shops, TEL_AVIV).startswith('<span class="size__nearest">Nearest: Dizengoff,')
    assert nearest(shops, None) == ""
    assert nearest((), HAIFA) == ""
