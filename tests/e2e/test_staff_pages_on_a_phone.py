"""Every staff page works on a 360 px phone: nothing wider than the screen, no sideways
scrolling of the page (a wide size × store grid scrolls inside its own box), the header's staff
link clear of the brand; and every staff page is accessible (axe-core) on a phone and a desktop,
in Hebrew and English."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from demand.services import transfer_suggestions_refresh
from inventory import services
from inventory.models import Transfer
from inventory.permissions import ROLE_SALESPEOPLE, ROLE_STORE_MANAGERS
from tests.e2e.helpers import DESKTOP, PHONE, SMALL_PHONE, log_in, serious_violations
from tests.factories import ProductFactory, VariantFactory, WaitlistEntryFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("STAFF_SHOTS", "")  # a folder: keep a screenshot of each page

# Which element sticks out, for a readable failure.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
            || e.getBoundingClientRect().left < -1)
  .filter(e => !e.closest('.grid-scroll'))
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


def phone_page(browser, base_url: str, username: str, viewport=SMALL_PHONE):
    # Not `is_mobile`: a mobile browser zooms out to fit a too-wide page, which would hide
    # the overflow this test looks for (the layout viewport grows with the page).
    return log_in(browser, base_url, username, "/staff/", viewport=viewport)


def misfit(page, url: str) -> str:
    """What is wrong with this page on the phone ("" when nothing)."""
    page.goto(url)
    page.wait_for_load_state("load")
    if SHOTS:
        page.screenshot(
            path=f"{SHOTS}/{url.split('//', 1)[1].replace('/', '_')}.png", full_page=True
        )
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > inner or inner != SMALL_PHONE["width"]:
        return f"{url}: {width} px wide on a {inner} px screen: {page.evaluate(WIDEST)}"
    # The brand's painted text, which may run past its box when the header is squeezed.
    brand = page.evaluate("""() => { const b = document.querySelector('.brand');
        if (!b) return null; const r = document.createRange(); r.selectNodeContents(b);
        const box = r.getBoundingClientRect();
        return {x: box.x, y: box.y, width: box.width, height: box.height}; }""")
    pill = page.locator(".staff-link")
    if brand and pill.count() and pill.first.is_visible():
        box = pill.first.bounding_box()
        assert box is not None
        apart = (
            box["x"] >= brand["x"] + brand["width"]
            or box["x"] + box["width"] <= brand["x"]
            or box["y"] >= brand["y"] + brand["height"]
            or box["y"] + box["height"] <= brand["y"]
        )
        if not apart:
            return f"{url}: the staff link overlaps the brand"
    return ""


@pytest.fixture
def chain():
    tel_aviv, haifa = store_in("tel-aviv"), store_in("haifa")
    for slug in (
        "jerusalem",
        "beersheba",
        "rishon-lezion",
        "petah-tikva",
        "netanya",
        "ashdod",
        "eilat",
    ):
        store_in(slug)
    product = ProductFactory(name="Cloudsurfer Next Wide", style_code="BWHT-1127895")
    sizes = [
        VariantFactory(product=product, eu_size=Decimal(size), sku=f"BWHT-1127895-{size}")
        for size in ("36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46")
    ]
    for variant in sizes:
        services.stock_receive(store=haifa, variant=variant, quantity=2)
        services.stock_receive(store=tel_aviv, variant=variant, quantity=1)
    # A second model of the name: a search for "cloudsurfer" lists both, as summaries.
    trail = ProductFactory(name="Cloudsurfer Trail", style_code="3MD10260-1")
    for size in ("40", "41", "42"):
        services.stock_receive(
            store=haifa,
            quantity=3,
            variant=VariantFactory(product=trail, eu_size=Decimal(size), sku=f"3MD10260-1-{size}"),
        )
    transfer = services.transfer_request(
        variant=sizes[6],
        from_store=haifa,
        to_store=tel_aviv,
        customer_name="נועה לוי",
        customer_phone="0502345678",
        user=None,
    )
    services.hold_place(store=tel_aviv, variant=sizes[1])
    sent = services.transfer_request(
        variant=sizes[7], from_store=haifa, to_store=tel_aviv, user=None
    )
    services.transfer_dispatch(
        transfer=sent, user=None, expected_date=timezone.localdate() + timedelta(days=2)
    )
    # A customer waits in Tel Aviv for a size sold out there: Haifa's spare pair is suggested.
    services.stock_sell(store=tel_aviv, variant=sizes[5])
    WaitlistEntryFactory(store=tel_aviv, variant=sizes[5])
    transfer_suggestions_refresh()
    services.transfer_request_for_customer(
        variant=sizes[3], to_store=tel_aviv, customer_phone="0502345679"
    )
    staff_user(ROLE_SALESPEOPLE, tel_aviv, username="dana")
    staff_user(ROLE_STORE_MANAGERS, tel_aviv, username="tlv_boss")
    staff_user("Head office", tel_aviv, username="head_office")
    return transfer


@pytest.mark.parametrize("username", ["dana", "tlv_boss", "head_office"])
def test_staff_pages_fit_a_360px_phone(live_server, browser, chain, username):
    base = live_server.url
    page = phone_page(browser, base, username)
    pages = [
        "/staff/?q=cloudsurfer",
        "/en/staff/?q=cloudsurfer",
        "/staff/?q=cloudsurfer+next",
        "/en/staff/?q=cloudsurfer+next",
        "/staff/transfers/",
        "/staff/transfers/incoming/",
        "/staff/transfers/history/",
        "/staff/transfers/requests/",
        f"/staff/transfers/{chain.pk}/",
        f"/en/staff/transfers/{chain.pk}/",
        "/staff/transfers/new/",
        "/staff/holds/",
        "/staff/transfers/suggested/",
        "/en/staff/transfers/suggested/",
    ]
    if username == "tlv_boss":
        pages += ["/staff/cx/", "/en/staff/cx/"]
    if username != "head_office":
        # A customer's request, declined on its own page with the text's preview.
        asked = Transfer.objects.get(origin=Transfer.Origin.CUSTOMER)
        pages += [
            f"/staff/transfers/{asked.pk}/decline/",
            f"/en/staff/transfers/{asked.pk}/decline/",
        ]
    if username == "head_office":
        pages = [
            "/staff/cx/",
            "/staff/cx/buying/",
            "/en/staff/cx/buying/",
            "/staff/transfers/suggested/",
        ]
    misfits = [problem for path in pages if (problem := misfit(page, base + path))]
    assert misfits == []


@pytest.mark.parametrize("language", ["he", "en"])
def test_finder_opens_a_models_grid_in_place_on_a_phone(live_server, browser, chain, language):
    base, prefix = live_server.url, "" if language == "he" else "/en"
    page = phone_page(browser, base, "dana")
    try:
        page.goto(f"{base}{prefix}/staff/?q=cloudsurfer")
        assert page.locator(".size-summary").count() == 2
        assert page.locator(".stock-grid").count() == 0
        section = page.locator("section.finder-product", has_text="Cloudsurfer Next Wide")
        section.locator(".finder-product__open").click()
        # htmx puts the grid in place of the summary, without leaving the page.
        page.locator(".stock-grid [data-store=haifa]").wait_for()
        assert page.locator(".size-summary").count() == 1
        assert "open=" not in page.url
        link = page.locator(".stock-grid [data-store=haifa] a.cell--link").first
        assert "/staff/transfers/new/?variant=" in (link.get_attribute("href") or "")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SMALL_PHONE["width"], page.evaluate(WIDEST)
    finally:
        page.context.close()


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize) * scale); })"""


def test_dashboard_charts_readable_on_a_phone(live_server, browser, chain):
    page = phone_page(browser, live_server.url, "tlv_boss")
    page.goto(f"{live_server.url}/staff/cx/")
    sizes = page.evaluate(CHART_TEXT)
    assert sizes and min(sizes) >= 12
    # The period is typed day first, whatever the browser's locale.
    assert page.get_attribute("#id_start", "placeholder") == "יי/חח/שששש"
    assert page.get_attribute("#id_start", "type") == "text"


def staff_pages(transfer, language: str, username: str) -> list[str]:
    """The pages each role works in: the finder with results, the three queue tabs, a
    transfer, the request form, the holds desk and the suggested transfers; for a manager, the
    CX dashboard; for head office, the buying report."""
    prefix = "" if language == "he" else "/en"
    asked = Transfer.objects.get(origin=Transfer.Origin.CUSTOMER)
    pages = [
        "/staff/?q=cloudsurfer",
        "/staff/?q=cloudsurfer+next",
        "/staff/transfers/",
        "/staff/transfers/incoming/",
        "/staff/transfers/history/",
        "/staff/transfers/requests/",
        f"/staff/transfers/{transfer.pk}/",
        "/staff/transfers/new/",
        "/staff/holds/",
        "/staff/transfers/suggested/",
        f"/staff/transfers/{asked.pk}/decline/",
    ]
    if username == "tlv_boss":
        pages = [f"/staff/transfers/{transfer.pk}/", "/staff/cx/", "/staff/transfers/suggested/"]
    if username == "head_office":
        pages = ["/staff/cx/buying/"]
    return [prefix + path for path in pages]


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_staff_pages_have_no_serious_accessibility_violations(
    live_server, browser, chain, language, viewport
):
    pytest.importorskip("axe_playwright_python")
    found = []
    for username in ("dana", "tlv_boss", "head_office"):
        page = phone_page(browser, live_server.url, username, viewport)
        try:
            for path in staff_pages(chain, language, username):
                page.goto(live_server.url + path)
                found += serious_violations(page)
        finally:
            page.context.close()
    assert found == []


def test_buying_report_model_names_stay_in_view_on_a_phone(live_server, browser, chain):
    """The report's table scrolls sideways at 390 px; each model's name stays readable at the
    start of the screen however far the table is scrolled."""
    WaitlistEntryFactory.create_batch(3, variant=chain.variant, store=chain.to_store)
    page = phone_page(browser, live_server.url, "head_office")
    try:
        page.goto(f"{live_server.url}/staff/cx/buying/")
        names = page.locator(".cx__model")
        assert names.count() >= 1
        for scroll in (0, -2000, 2000):  # RTL scrolls to negative offsets
            page.evaluate(f"document.querySelector('.table-scroll').scrollLeft = {scroll}")
            for box in (names.nth(n).bounding_box() for n in range(names.count())):
                assert box is not None
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    finally:
        page.context.close()
