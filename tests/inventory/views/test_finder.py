"""Staff pages' access (anonymous, non-staff, no role, language) and the stock finder."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog.search import lexicon
from inventory import services
from inventory.permissions import ROLE_SALESPEOPLE
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory
from tests.inventory.views.helpers import staff, stock

pytestmark = pytest.mark.django_db


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["finder", "transfers", "transfers_incoming", "transfers_history", "holds", "transfer_request"],
)
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
    assert (
        f"?variant={shop.size_42.pk}&amp;from_store={shop.jerusalem.pk}"
        f"&amp;to_store={shop.haifa.pk}&amp;city=nahariya"
    ) in html


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
    assert (
        f"?variant={shop.size_43.pk}&amp;from_store={shop.warehouse.pk}"
        f"&amp;to_store={shop.tel_aviv.pk}"
    ) in html
    # The warehouse is never a destination for a customer.
    assert f'<option value="{shop.warehouse.pk}"' not in html


def test_finder_shows_available_not_on_hand(client, salesperson, shop):
    services.stock_reserve(store=shop.haifa, variant=shop.size_42, quantity=1)
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": shop.size_42.sku})
    haifa = next(
        r for r in response.context["result"].products[0].rows if r.store.store == shop.haifa
    )
    assert (haifa.cells[0].available, haifa.cells[0].reserved) == (1, 1)


def test_finder_nothing_found_says_so(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "nonexistent-model"})
    assert "Nothing matches" in response.content.decode()


def _finder_queries(client) -> int:
    lexicon()  # the search's vocabulary, built once per catalogue version
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
    assert many <= 13  # one of them: the staff menu's count of customers waiting for an answer


def _cell(html: str, variant, store) -> str:
    """The markup of one cell of the grid: the row of `store`, the cell of `variant`."""
    row = html.split(f'data-store="{store.code}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-variant="{variant.pk}"', 1)[1].split("</td>", 1)[0]


def test_finder_grid_cells_say_held_on_the_way_and_empty(client, salesperson, shop):
    services.stock_reserve(store=shop.haifa, variant=shop.size_42, quantity=1)
    transfer = services.transfer_request(
        variant=shop.size_42, from_store=shop.jerusalem, to_store=shop.haifa, user=None
    )
    services.transfer_dispatch(transfer=transfer, user=None)
    client.force_login(salesperson)

    html = client.get("/en/staff/", {"q": shop.size_42.sku}).content.decode()
    haifa = _cell(html, shop.size_42, shop.haifa)
    assert haifa.startswith(
        f' href="/en/staff/transfers/new/?variant={shop.size_42.pk}'
        f'&amp;from_store={shop.haifa.pk}&amp;to_store={shop.tel_aviv.pk}">1'
    )
    assert '<span class="cell__meta">1 held</span>' in haifa
    assert '<span class="cell__meta">+1 on the way</span>' in haifa
    assert "request a transfer" in haifa
    # Jerusalem sent its only pair: nothing to offer, shown as a dash, not a link.
    jerusalem = html.split(f'data-store="{shop.jerusalem.code}"', 1)[1].split("</tr>", 1)[0]
    assert (
        f'<td class="is-match"><span class="cell cell--empty" data-variant="{shop.size_42.pk}">–'
    ) in jerusalem
    assert "cell--link" not in jerusalem

    with translation.override("he"):
        held = translation.gettext("%(n)s held") % {"n": 1}
        coming = translation.gettext("+%(n)s on the way") % {"n": 1}
    hebrew = client.get("/staff/", {"q": shop.size_42.sku}).content.decode()
    assert held != "1 held" and held in _cell(hebrew, shop.size_42, shop.haifa)
    assert coming in _cell(hebrew, shop.size_42, shop.haifa)


def test_finder_destination_row_shows_its_pairs_without_a_link(client, salesperson, shop):
    client.force_login(salesperson)
    html = client.get("/en/staff/", {"q": "pegasus", "to": shop.haifa.pk}).content.decode()
    haifa = _cell(html, shop.size_42, shop.haifa)
    assert haifa == ">2</span>" and "badge--destination" in html
    assert (
        f'href="/en/staff/transfers/new/?variant={shop.size_42.pk}'
        f'&amp;from_store={shop.jerusalem.pk}&amp;to_store={shop.haifa.pk}"'
    ) in html


def test_finder_several_products_are_summaries_with_a_way_to_open_each(client, salesperson, shop):
    trail = ProductFactory(name="Pegasus Trail 5", style_code="DV3864-001")
    VariantFactory(product=trail, eu_size=Decimal("42"))
    product = shop.size_42.product
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "pegasus", "city": "nahariya"})
    html = response.content.decode()

    assert 'class="stock-grid"' not in html and html.count('class="size-summary"') == 2
    # EU 42: 3 pairs at 2 stores, Haifa nearest to Nahariya; EU 43: 30 at the warehouse.
    row = html.split(f'<th scope="row">{shop.size_42.size_label}</th>', 1)[1].split("</tr>")[0]
    assert row.startswith("<td>3</td><td>2</td>") and shop.haifa.name in row
    row = html.split(f'<th scope="row">{shop.size_43.size_label}</th>', 1)[1].split("</tr>")[0]
    assert row.startswith("<td>30</td><td>1</td>") and "badge--warehouse" in row
    assert "None in stock" in html  # the trail shoe's only size
    # Opening a product: htmx fetches its grid; without JavaScript the link opens it in place.
    fragment = reverse("inventory:finder_product", kwargs={"pk": product.pk})
    assert f'hx-get="{fragment}?q=pegasus&amp;city=nahariya"' in html
    assert f'href="?q=pegasus&amp;city=nahariya&amp;open={product.pk}#product-{product.pk}"' in html

    opened = client.get("/en/staff/", {"q": "pegasus", "city": "nahariya", "open": product.pk})
    html = opened.content.decode()
    assert html.count('class="stock-grid"') == 1 and html.count('class="size-summary"') == 1
    for store in (shop.tel_aviv, shop.haifa, shop.jerusalem, shop.warehouse):
        assert html.count(f'data-store="{store.code}"') == 1
    assert (
        f"?variant={shop.size_42.pk}&amp;from_store={shop.jerusalem.pk}"
        f"&amp;to_store={shop.haifa.pk}&amp;city=nahariya"
    ) in html


def test_finder_summary_is_in_hebrew(client, salesperson, shop):
    VariantFactory(product=ProductFactory(name="Pegasus Trail 5", style_code="DV3864-001"))
    client.force_login(salesperson)
    html = client.get("/staff/", {"q": "pegasus"}).content.decode()
    assert 'class="size-summary"' in html
    for english in ("Nearest with it", "None in stock", "Every store, size by size", "Stores"):
        assert english not in html
    with translation.override("he"):
        assert translation.gettext("Every store, size by size") in html


def test_finder_product_fragment_for_htmx_is_the_grid_alone(client, salesperson, shop):
    client.force_login(salesperson)
    url = reverse("inventory:finder_product", kwargs={"pk": shop.size_42.product_id})
    response = client.get(url, {"q": "pegasus", "to": shop.haifa.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="finder-product"') and "<html" not in html
    assert html.count('class="stock-grid"') == 1 and "badge--destination" in html
    assert (
        f'href="/en/staff/transfers/new/?variant={shop.size_42.pk}'
        f'&amp;from_store={shop.jerusalem.pk}&amp;to_store={shop.haifa.pk}"'
    ) not in html
    assert (
        f'href="/staff/transfers/new/?variant={shop.size_42.pk}'
        f'&amp;from_store={shop.jerusalem.pk}&amp;to_store={shop.haifa.pk}"'
    ) in html
    missing = reverse("inventory:finder_product", kwargs={"pk": shop.size_42.product_id + 99})
    assert client.get(missing, HTTP_HX_REQUEST="true").status_code == 404


def test_finder_product_fragment_without_htmx_opens_it_on_the_finder(client, salesperson, shop):
    client.force_login(salesperson)
    pk = shop.size_42.product_id
    url = reverse("inventory:finder_product", kwargs={"pk": pk})
    response = client.get(url, {"q": "pegasus", "city": "haifa", "page": 2})
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('inventory:finder')}?q=pegasus&city=haifa&page=2&open={pk}#product-{pk}"
    )
    # Without a search, the product's own style code finds it.
    response = client.get(url)
    assert response["Location"] == (
        f"{reverse('inventory:finder')}?q=FD2722-002&open={pk}#product-{pk}"
    )
    assert (
        client.get(reverse("inventory:finder_product", kwargs={"pk": pk + 99})).status_code == 404
    )


def test_finder_product_fragment_needs_the_finder_role(client, shop):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("inventory:finder_product", kwargs={"pk": shop.size_42.product_id})
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 403
    client.logout()
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 302


def _name_search_queries(client) -> tuple[int, int]:
    lexicon()  # the search's vocabulary, built once per catalogue version
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("inventory:finder"), {"q": "many"})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["result"].products)


def test_finder_query_count_same_for_two_and_ten_products_on_a_page(client, db):
    home = StoreFactory()
    client.force_login(staff(ROLE_SALESPEOPLE, home))
    for n in range(10):
        product = ProductFactory(name=f"Many {n}")
        for size in range(3):
            stock(home, VariantFactory(product=product, eu_size=Decimal(38 + size)), n + 1)
        if n == 1:
            two = _name_search_queries(client)
    ten = _name_search_queries(client)
    assert (two[1], ten[1]) == (2, 10)
    assert two[0] == ten[0]


def _fragment_queries(client, product) -> int:
    url = reverse("inventory:finder_product", kwargs={"pk": product.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"q": "bound"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_finder_product_fragment_query_count_same_for_3_and_30_stores(client, db):
    client.force_login(staff(ROLE_SALESPEOPLE, StoreFactory()))
    product = ProductFactory(name="Bound Runner")
    sizes = [VariantFactory(product=product, eu_size=Decimal(36 + n)) for n in range(2)]
    _add_stores(2, sizes)
    few = _fragment_queries(client, product)

    sizes += [VariantFactory(product=product, eu_size=Decimal(38 + n)) for n in range(10)]
    _add_stores(27, sizes)
    assert _fragment_queries(client, product) == few
