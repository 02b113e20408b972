"""The search box on a phone, in Hebrew: typing a brand and the start of a model suggests the
model, the arrow keys and Enter open it, and without picking a suggestion the box is a plain
search."""

import pytest
from django.urls import reverse

from tests.e2e.helpers import customer_phone
from tests.factories import BrandFactory, ProductFactory, ProductLineFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nike():
    nike = BrandFactory(name="Nike", slug="nike", spellings="נייקי")
    pegasus = ProductLineFactory(brand=nike, name="Pegasus", spellings="פגסוס")
    ProductFactory(brand=nike, line=pegasus, name="Pegasus 41", slug="nike-pegasus-41")
    ProductFactory(brand=nike, name="Vomero 18", slug="nike-vomero-18")
    return nike


def test_search_box_suggests_a_model_and_the_keyboard_opens_it(browser, live_server, nike):
    from playwright.sync_api import expect

    page = customer_phone(browser)
    page.goto(live_server.url + reverse("storefront:home"))
    box = page.get_by_role("combobox")

    box.click()
    box.press_sequentially("נייקי פג", delay=40)
    # Each letter asks again; the last answer lists the Pegasus alone (the Vomero is no Pegasus).
    expect(page.get_by_role("option")).to_have_count(1)
    option = page.get_by_role("option", name="Pegasus 41")
    assert box.get_attribute("aria-expanded") == "true"

    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")

    page.wait_for_url("**/sneakers/nike-pegasus-41/")
    assert "Pegasus 41" in page.locator("h1").inner_text()
    page.close()


def test_search_box_without_a_choice_is_a_plain_search(browser, live_server, nike):
    page = customer_phone(browser)
    page.goto(live_server.url + reverse("storefront:home"))
    box = page.get_by_role("combobox")
    box.fill("פגסוס")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url("**/sneakers/?q=*")
    assert page.get_by_role("link", name="Pegasus 41").count() >= 1
    page.close()
