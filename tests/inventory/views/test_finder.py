"""Staff pages' access (anonymous, non-staff, no role, language) and the stock finder."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from inventory import services
from inventory.permissions import ROLE_SALESPEOPLE
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory
from tests.inventory.views.helpers import staff, stock

pytestmark = pytest.mark.django_db


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["finder", "transfers", "transfers_incoming",
                                  "transfers_history", "holds", "transfer_request"])
def test_staff_pages_anonymous_is_sent_to_login(client, name):
    url = reverse(f"inventory:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


def test_staff_pages_non_staff_is_sent_to_login(client, shop):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("inventory:finder"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_pages_staff_without_a_role_is_refused(client, shop):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/en/staff/")
    assert response.status_code == 403
    assert "stock finder" in response.content.decode()


def test_staff_pages_english_under_en_prefix(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "pegasus"})
    assert response.status_code == 200
    assert "Stock finder" in response.content.decode()
    hebrew = client.get("/staff/", {"q": "pegasus"})
    assert 'dir="rtl"' in hebrew.content.decode()


# --- finder ---------------------------------------------------------------------------------


def store_order(response) -> list[str]:
    grid = response.context["result"].products[0]
    return [row.store.store.code for row in grid.rows]


def test_finder_by_name_lists_home_store_first_then_nearest(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus"})
    assert response.status_code == 200
    with translation.override("he"):  # "81 ק״מ" once the catalog is compiled
        km = translation.gettext("%(km)s km") % {"km": 81}
    assert f'<span class="distance">{km}</span>' in response.content.decode()
    response = client.get("/en/staff/", {"q": "pegasus"})
    # Tel Aviv → warehouse (Rishon, 13 km) → Jerusalem (54 km) → Haifa (81 km)
    assert store_order(response) == ["tel-aviv", "warehouse", "jerusalem", "haifa"]
    assert response.context["destination"] == shop.tel_aviv
    html = response.content.decode()
    assert "Pegasus 41" in html
    assert '<span class="distance">81 km</span>' in html  # Haifa, from Tel Aviv


def test_finder_by_sku_and_barcode_marks_that_size(client, salesperson, shop):
    client.force_login(salesperson)
    for query in (shop.size_43.sku, shop.size_43.barcode):
        response = client.get("/en/staff/", {"q": query})
        result = response.context["result"]
        assert result.exact == shop.size_43
        assert f'id="size-{shop.size_43.pk}" class="is-match"' in response.content.decode()


def test_finder_from_a_customers_city_sends_to_the_nearest_store(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus", "city": "nahariya"})
    assert store_order(response) == ["haifa", "tel-aviv", "warehouse", "jerusalem"]
    assert response.context["destination"] == shop.haifa
    html = response.content.decode()
    # Haifa is now the destination: its own pairs are not offered as a transfer...
    assert f"from_store={shop.haifa.pk}&amp;to_store" not in html
    # ...Jerusalem's pair is, to Haifa, with the city kept for the way back.
    assert (f"?variant={shop.size_42.pk}&amp;from_store={shop.jerusalem.pk}"
            f"&amp;to_store={shop.haifa.pk}&amp;city=nahariya") in html


def test_finder_chosen_destination_wins(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus", "to": shop.jerusalem.pk})
    assert response.context["destination"] == shop.jerusalem


def test_finder_marks_the_warehouse_and_offers_its_pairs(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "pegasus"})
    html = response.content.decode()
    assert 'data-store="warehouse"' in html
    assert "badge--warehouse" in html and "Warehouse" in html
    assert (f"?variant={shop.size_43.pk}&amp;from_store={shop.warehouse.pk}"
            f"&amp;to_store={shop.tel_aviv.pk}") in html
    # The warehouse is never a destination for a customer.
    assert f'<option value="{shop.warehouse.pk}"' not in html


def test_finder_shows_available_not_on_hand(client, salesperson, shop):
    services.stock_reserve(store=shop.haifa, variant=shop.size_42, quantity=1)
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": shop.size_42.sku})
    haifa = next(r for r in response.context["result"].products[0].rows
                 if r.store.store == shop.haifa)
    assert (haifa.cells[0].available, haifa.cells[0].reserved) == (1, 1)


def test_finder_nothing_found_says_so(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "nonexistent-model"})
    assert "Nothing matches" in response.content.decode()


def _finder_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("inventory:finder"), {"q": "bound runner"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_stores(count: int, variants) -> None:
    for n in range(count):
        store = StoreFactory(latitude=Decimal("31") + Decimal(n) / 20)
        stock(store, variants[n % len(variants)], n + 1)


def test_finder_query_count_same_for_3_and_30_stores(client, db):
    user = staff(ROLE_SALESPEOPLE, StoreFactory())
    client.force_login(user)
    product = ProductFactory(name="Bound Runner")
    sizes = [VariantFactory(product=product, eu_size=Decimal(36 + n)) for n in range(2)]
    _add_stores(2, sizes)  # with the home store: 3
    few = _finder_queries(client)

    sizes += [VariantFactory(product=product, eu_size=Decimal(38 + n)) for n in range(10)]
    _add_stores(27, sizes)
    many = _finder_queries(client)

    assert few == many
    assert many <= 12
