"""The translation catalogues are complete, and Hebrew pages carry no English sentences.

Plural forms: each catalogue's header declares how many forms its language has (Hebrew: 4 —
one, two, round tens, other; English: 2). An entry with fewer falls back to English for the
counts it lacks, so every plural entry must carry every form (translated, in Hebrew).

English on Hebrew pages, by a simple heuristic: in the visible text of each page (scripts,
styles and attributes left out), no run of three or more consecutive English words. Text the
page marks as not Hebrew is left out, as a reader would expect it: <bdi>, <code>, <kbd>,
<samp>, and elements with dir="ltr" or a lang other than Hebrew (product names, style codes,
SKUs, phone numbers and addresses are marked so). So are the names the shop sells under —
brands, models, colourways, review titles — wherever they stand. The check is only as good
as the pages it visits: it crawls the customer pages with data from tests/factories.py.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demand.models import WaitlistEntry
from inventory.models import Hold
from notifications.links import make_token
from notifications.models import Message
from notifications.texts import manage_path
from reviews.services import RATING_TOKEN_PURPOSE
from tests.factories import (
    BrandFactory,
    HoldFactory,
    ProductFactory,
    StoreFactory,
    VariantFactory,
    put_stock,
)

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def declared_forms(catalog: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    assert match, "the header declares no Plural-Forms"
    return int(match.group(1))


def test_catalogues_are_found():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"he", "en"} <= languages and len(CATALOGUES) >= 10


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_plural_entries_have_every_declared_form(path):
    catalog = polib.pofile(str(path))
    forms = declared_forms(catalog)
    language = path.parts[-3]
    assert forms == {"he": 4, "en": 2}.get(language, forms)
    missing = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid_plural:
            continue
        present = set(entry.msgstr_plural)
        if present != set(range(forms)):
            missing.append((entry.msgid, sorted(set(range(forms)) - present)))
        elif language == "he" and not all(entry.msgstr_plural.values()):
            missing.append((entry.msgid, [k for k, v in entry.msgstr_plural.items() if not v]))
    assert missing == []


# --- No English sentences on the Hebrew pages ---------------------------------------------

SKIP_TAGS = {"script", "style", "template", "noscript", "svg", "bdi", "code", "kbd", "samp"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Three or more English words in a row (separated by spaces and light punctuation).
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z']+(?:[\s,:;/·–-]+[A-Za-z][a-z']+){2,}\b")


class HebrewText(HTMLParser):
    """The text of a page that is meant to read as Hebrew."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # True where the element's text is not Hebrew
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        values = dict(attrs)
        lang = (values.get("lang") or "").lower()
        foreign = (
            tag in SKIP_TAGS
            or values.get("dir") == "ltr"
            or bool(lang and not lang.startswith("he"))
        )
        self.stack.append(foreign or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.chunks.append(data)


def english_runs(html: str, names: list[str]) -> list[str]:
    parser = HebrewText()
    parser.feed(html)
    runs = []
    for chunk in parser.chunks:
        for name in sorted(names, key=len, reverse=True):
            chunk = chunk.replace(name, " ")
        runs += ENGLISH_RUN.findall(chunk)
    return runs


def test_english_runs_finds_a_sentence_and_spares_marked_text():
    html = (
        "<p>כשהמידה תגיע נשמור לך זוג.</p><p>When your size reaches the store</p>"
        '<bdi>Fresh Foam X Hierro</bdi><span lang="en">Read the full review</span>'
        "<p>קוד <code>Air Zoom Pegasus</code> · Cloud 5</p>"
    )
    assert english_runs(html, []) == ["When your size reaches the store"]


@pytest.fixture
def shop(db):
    brand = BrandFactory(name="New Balance", slug="new-balance")
    product = ProductFactory(
        brand=brand,
        name="Fresh Foam X Hierro v8",
        slug="hierro",
        colourway_en="Black/Phantom",
        style_code="MTHIERK8",
    )
    store = StoreFactory(name_he="סול גרנד קניון באר שבע", name_en="Sole Grand Kenyon")
    variant = VariantFactory(product=product, eu_size=42)
    put_stock(store, variant, on_hand=2)
    waiting = VariantFactory(product=product, eu_size=46)
    return {
        "product": product,
        "store": store,
        "variant": variant,
        "waiting": waiting,
        "names": [brand.name, product.name, product.colourway_en, product.style_code],
    }


def hebrew_pages(client, shop):
    product, store = shop["product"], shop["store"]
    pages = {}

    def visit(name, path):
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        pages[name] = response.content.decode()

    visit("home", reverse("storefront:home"))
    visit("list", reverse("storefront:product_list"))
    visit("product", product.get_absolute_url())
    visit("stores", reverse("storefront:stores"))
    signup = reverse("demand:signup")
    visit("signup", f"{signup}?variant={shop['waiting'].pk}&store={store.pk}")
    visit("find", reverse("demand:find"))
    for variant in (shop["waiting"], shop["variant"]):  # one waits, one is held at once
        client.post(
            f"{signup}?variant={variant.pk}&store={store.pk}",
            {"variant": variant.pk, "store": store.pk, "phone": "050-234-5678", "language": "he"},
        )
        code = re.search(
            r"\b(\d{6})\b",
            Message.objects.filter(purpose=Message.Purpose.VERIFICATION).latest("id").body,
        )
        if code:
            client.post(reverse("demand:confirm"), {"code": code.group(1)})
        visit(f"done {variant.eu_size}", reverse("demand:done"))
    assert WaitlistEntry.objects.filter(status="held").exists()
    latest = Message.objects.latest("id")
    visit("manage", manage_path(latest.pk, "he"))
    for status in (Hold.Status.COLLECTED, Hold.Status.EXPIRED):
        hold = HoldFactory(status=status, ended_at=timezone.now() - timedelta(hours=1))
        token = make_token(RATING_TOKEN_PURPOSE, hold.pk)
        visit(f"rate {status}", reverse("reviews:rate", kwargs={"token": token}))
        shop["names"] += [hold.variant.product.name, hold.variant.product.brand.name]
    return pages


@pytest.mark.django_db(transaction=True)
def test_hebrew_customer_pages_have_no_english_sentences(shop, settings):
    settings.DEBUG = True
    client = Client()
    pages = hebrew_pages(client, shop)
    response = client.get(reverse("notifications:dev_inbox"))
    pages["debug inbox"] = response.content.decode()
    found = {
        name: runs for name, html in pages.items() if (runs := english_runs(html, shop["names"]))
    }
    assert found == {}
