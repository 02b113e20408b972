"""Hebrew first, right-to-left, at the root; English, left-to-right, under /en/; a switch
between them that keeps the page."""

import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import CategoryFactory, ProductFactory, StoreFactory, VariantFactory

pytestmark = pytest.mark.django_db

# The catalogs this storefront keeps: every entry must have its Hebrew.
STOREFRONT_CATALOGS = [
    Path(settings.BASE_DIR) / "locale/he/LC_MESSAGES/django.po",
    Path(settings.BASE_DIR) / "catalog/locale/he/LC_MESSAGES/django.po",
    Path(settings.BASE_DIR) / "storefront/locale/he/LC_MESSAGES/django.po",
]


def html_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match, "no <html> tag"
    return match.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


@pytest.fixture
def product():
    category = CategoryFactory(slug="running", name_he="ריצה", name_en="Running")
    product = ProductFactory(
        slug="pegasus",
        category=category,
        colourway_he="שחור/לבן",
        colourway_en="Black/White",
        description_he="נעל ריצה קלה",
        description_en="A light running shoe",
    )
    VariantFactory(product=product, eu_size=Decimal("42"))
    StoreFactory(name_he="סול דיזנגוף", name_en="Sole Dizengoff")
    return product


def test_root_is_hebrew_right_to_left(client, product):
    html = client.get("/").content.decode()

    assert html_tag(html) == '<html lang="he" dir="rtl">'
    assert "נעלי ספורט" in html  # the menu
    assert "ריצה" in html  # category names in Hebrew


def test_root_stays_hebrew_whatever_the_browser_asks(client, product):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert html_tag(html) == '<html lang="he" dir="rtl">'


def test_english_under_en_is_left_to_right(client, product):
    html = client.get("/en/").content.decode()

    assert html_tag(html) == '<html lang="en" dir="ltr">'
    assert "Sneakers" in html and "Running" in html
    assert "נעלי ספורט" not in html


def test_product_page_in_both_languages(client, product):
    # With its size open, as the size's "every store" link opens it.
    hebrew = client.get("/sneakers/pegasus/?size=42").content.decode()
    english = client.get("/en/sneakers/pegasus/?size=42").content.decode()

    assert "שחור/לבן" in hebrew and "נעל ריצה קלה" in hebrew and "סול דיזנגוף" in hebrew
    assert "זמינות בסניפים" in hebrew
    assert "Black/White" in english and "A light running shoe" in english
    assert "Sole Dizengoff" in english and "Availability at our stores" in english


@pytest.mark.parametrize(
    ("page", "english", "hebrew"),
    [
        ("/", "/en/", "/"),
        (
            "/sneakers/?brand=nike&page=2",
            "/en/sneakers/?brand=nike&amp;page=2",
            "/sneakers/?brand=nike&amp;page=2",
        ),
        ("/sneakers/pegasus/", "/en/sneakers/pegasus/", "/sneakers/pegasus/"),
        ("/stores/", "/en/stores/", "/stores/"),
    ],
)
def test_language_switch_keeps_the_page(client, product, page, english, hebrew):
    in_hebrew = client.get(page).content.decode()
    assert f'href="{english}" hreflang="en" lang="en">English</a>' in in_hebrew

    in_english = client.get(english.replace("&amp;", "&")).content.decode()
    assert html_tag(in_english) == '<html lang="en" dir="ltr">'
    assert f'href="{hebrew}" hreflang="he" lang="he">עברית</a>' in in_english


def test_language_choice_persists_while_browsing(client, product):
    html = client.get("/en/sneakers/").content.decode()

    own_pages = [
        url
        for url in links(html)
        if url.startswith("/") and not url.startswith(("/static/", "/media/"))
    ]
    switch_back = [url for url in own_pages if not url.startswith("/en/")]
    # Every link stays in English except the one back to Hebrew (and its <link rel=alternate>).
    assert own_pages and set(switch_back) == {"/sneakers/"}


def test_set_language_view_switches_both_ways(client, product):
    with translation.override("he"):
        setlang = reverse("set_language")  # as a Hebrew page's form would post it
    assert setlang == "/i18n/setlang/"
    to_english = client.post(setlang, {"language": "en", "next": "/sneakers/pegasus/"})
    assert to_english.status_code == 302
    assert to_english["Location"] == "/en/sneakers/pegasus/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    with translation.override("en"):
        setlang = reverse("set_language")  # as an English page's form would post it
    assert setlang == "/en/i18n/setlang/"
    back = client.post(setlang, {"language": "he", "next": "/en/sneakers/pegasus/"})
    assert back["Location"] == "/sneakers/pegasus/"
    assert html_tag(client.get(back["Location"]).content.decode()) == '<html lang="he" dir="rtl">'


@pytest.mark.parametrize("path", STOREFRONT_CATALOGS, ids=lambda p: str(p.parent.parent.parent))
def test_every_storefront_string_has_hebrew(path):
    catalog = polib.pofile(str(path))

    untranslated = [
        entry.msgid
        for entry in catalog
        if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert untranslated == []
