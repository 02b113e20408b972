"""Latin and numeric runs keep their order on Hebrew pages at 390 px: opening hours read
"10:00–23:00" (not "23:00–10:00") and a SKU such as "HM6803-002" stays one left-to-right run
on the staff pages that show it."""

from decimal import Decimal

import pytest

from inventory import services
from inventory.permissions import ROLE_SALESPEOPLE
from tests.e2e.helpers import PHONE, customer_phone, log_in
from tests.factories import ProductFactory, VariantFactory, staff_user
from tests.inventory.views.helpers import store_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Where each character of an element's text is painted, left to right on the screen.
PAINTED_ORDER = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width) chars.push([box.top, box.left, node.data[i]]);
    }
  }
  const line = Math.min(...chars.map(c => c[0]));
  return chars.filter(c => Math.abs(c[0] - line) < 4)
    .sort((a, b) => a[1] - b[1]).map(c => c[2]).join('');
}"""


def test_store_list_hebrew_opening_hours_read_left_to_right(live_server, browser):
    store = store_in("tel-aviv")
    store.opening_hours_he = "א׳–ה׳ 10:00–23:00\nו׳ 09:00–14:00"
    store.save()
    page = customer_phone(browser, PHONE)
    page.goto(f"{live_server.url}/stores/")
    hours = page.locator(".store-card__hours").first
    runs = hours.locator('bdi[dir="ltr"]')
    assert runs.all_text_contents() == ["10:00–23:00", "09:00–14:00"]
    assert "10:00–23:00" in runs.first.evaluate(PAINTED_ORDER)


def test_staff_pages_hebrew_sku_is_one_left_to_right_run(live_server, browser):
    tel_aviv, haifa = store_in("tel-aviv"), store_in("haifa")
    product = ProductFactory(name="Vomero 18", style_code="HM6803")
    variant = VariantFactory(product=product, eu_size=Decimal("42.5"), sku="HM6803-002")
    services.stock_receive(store=haifa, variant=variant, quantity=2)
    services.stock_receive(store=tel_aviv, variant=variant, quantity=1)
    services.hold_place(store=tel_aviv, variant=variant)
    services.transfer_request_for_customer(
        variant=variant, to_store=tel_aviv, customer_phone="0502345679"
    )
    staff_user(ROLE_SALESPEOPLE, tel_aviv, username="dana")
    page = log_in(browser, live_server.url, "dana", "/staff/holds/", viewport=PHONE)
    for path in (
        "/staff/holds/",
        "/staff/transfers/requests/",
        f"/staff/transfers/new/?variant={variant.pk}&from_store={haifa.pk}",
    ):
        page.goto(f"{live_server.url}{path}")
        sku = page.locator('bdi[dir="ltr"]', has_text="HM6803-002").first
        assert sku.text_content() == "HM6803-002", path
        assert sku.evaluate(PAINTED_ORDER) == "HM6803-002", path
        size = page.locator('bdi[dir="ltr"]', has_text="42.5").first
        assert size.evaluate(PAINTED_ORDER) in ("EU 42.5", "42.5"), path
