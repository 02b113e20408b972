"""What the browser tests share: screen sizes, logging in, the shop's stores and reviews, and
axe-core's findings."""

import os
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tests.factories import ReviewLinkFactory, StoreFactory

if TYPE_CHECKING:  # Playwright is imported by the `browser` fixture, which skips without it.
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# UserFactory's password, so staff_user() logins work too.
PASSWORD = "correct-horse-battery"
# What a customer types into the forms; it is +972502345678 once normalised.
CUSTOMER_PHONE = "050-234-5678"

PHONE: "ViewportSize" = {"width": 390, "height": 844}
# The narrowest screen the pages are made for.
SMALL_PHONE: "ViewportSize" = {"width": 360, "height": 740}
# A tablet at a store's counter.
TABLET: "ViewportSize" = {"width": 1024, "height": 768}
DESKTOP: "ViewportSize" = {"width": 1366, "height": 900}

TIMEOUT_MS = 15_000


def new_page(browser: "Browser", viewport: "ViewportSize", **options: Any) -> "Page":
    """A page in a fresh browser session (no cookies shared with the test's other pages)."""
    page = browser.new_page(viewport=viewport, **options)
    page.set_default_timeout(TIMEOUT_MS)
    return page


def customer_phone(browser: "Browser", viewport: "ViewportSize" = PHONE) -> "Page":
    """A customer's phone: mobile, touch."""
    return new_page(browser, viewport, is_mobile=True, has_touch=True)


def log_in(
    browser: "Browser",
    base_url: str,
    username: str,
    next_path: str,
    *,
    viewport: "ViewportSize" = TABLET,
    has_touch: bool = True,
) -> "Page":
    """A fresh browser session (by default a tablet at the counter), logged in through the
    admin login and landed on `next_path`."""
    page = new_page(browser, viewport, has_touch=has_touch)
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return page


def serious_violations(page: "Page") -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe  # optional: callers importorskip it

    results = Axe().run(page).response
    return [
        f"{page.url} {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def tel_aviv_and_haifa_shops():
    """Two branches with their names and phones in both languages."""
    tlv = StoreFactory(
        code="tlv",
        name_en="Dizengoff Center",
        name_he="דיזנגוף סנטר",
        city_en="Tel Aviv",
        city_he="תל אביב",
        phone="03-5123456",
    )
    haifa = StoreFactory(
        code="hfa",
        name_en="Grand Canyon",
        name_he="גרנד קניון",
        city_en="Haifa",
        city_he="חיפה",
        phone="04-8123456",
    )
    return tlv, haifa


def reviews_of(product) -> None:
    """A featured written review with a score, and a video."""
    ReviewLinkFactory(
        product=product,
        source__name="Runpanel",
        score=Decimal("9"),
        score_scale=Decimal("10"),
        is_featured=True,
        title="Pegasus 41 review: a daily trainer",
    )
    ReviewLinkFactory(
        product=product,
        kind="video",
        title="Pegasus 41 after 100 km",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
