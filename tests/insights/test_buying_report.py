"""Head office's buying report: each figure counted by hand, the formula, the CSV, the roles."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from insights.buying import buying_report, suggested_order
from inventory import services as inventory
from inventory.models import StockMovement
from reviews.models import SiteFeedback
from tests.factories import (
    HoldFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand():
    """One size: 3 waiting (the oldest 6 days), 1 hold lapsed, 4 sold and 1 returned this
    month (one sale before the weeks read), 2 available, 1 on order; its model: 2 "no" answers."""
    now = timezone.now()
    store, other = StoreFactory(), StoreFactory()
    size = VariantFactory()
    entries = WaitlistEntryFactory.create_batch(3, store=store, variant=size)
    type(entries[0]).objects.filter(pk=entries[0].pk).update(created_at=now - timedelta(days=6))
    HoldFactory(store=store, variant=size, status="expired")
    HoldFactory(store=store, variant=size, status="collected")
    put_stock(other, size, on_hand=6)
    for _ in range(4):
        inventory.stock_sell(store=other, variant=size)
    inventory.stock_return(store=other, variant=size)
    old = inventory.stock_sell(store=other, variant=size)
    StockMovement.objects.filter(pk=old.pk).update(created_at=now - timedelta(weeks=9))
    inventory.shipment_create(
        reference="PO-9",
        store=store,
        lines=[(size, 1)],
        expected_date=timezone.localdate() + timedelta(days=5),
    )
    SiteFeedback.objects.create(product=size.product, found=False, language="he")
    SiteFeedback.objects.create(product=size.product, found=False, language="en")
    SiteFeedback.objects.create(product=size.product, found=True, language="he")
    return size


def test_suggested_order_formula():
    # 8 sold in 4 weeks = 2 a week; 4 weeks ahead = 8, + 3 waiting − 2 available − 1 on order.
    assert (
        suggested_order(net_sales=8, weeks=4, cover_weeks=4, waiting=3, available=2, on_order=1)
        == 8
    )
    assert (
        suggested_order(net_sales=1, weeks=4, cover_weeks=2, waiting=0, available=0, on_order=0)
        == 1
    )  # half a pair rounds up
    assert (
        suggested_order(net_sales=0, weeks=4, cover_weeks=4, waiting=0, available=5, on_order=0)
        == 0
    )


def test_buying_report_counts_each_signal(demand, settings):
    settings.BUYING_REPORT_WEEKS, settings.BUYING_COVER_WEEKS = 4, 4
    [model] = buying_report().models
    [size] = model.sizes
    assert model.product == demand.product and model.not_found == 2
    assert (size.waiting, size.wait_days, size.lapsed) == (3, 6, 1)
    assert (size.net_sales, size.available, size.on_order) == (3, 2, 1)
    # ⌈3 ÷ 4 × 4⌉ + 3 − 2 − 1
    assert size.suggested == 3


def test_buying_report_query_count_does_not_grow_with_sizes(demand, django_assert_max_num_queries):
    for _ in range(5):
        WaitlistEntryFactory(variant=VariantFactory())
    with django_assert_max_num_queries(8):
        report = buying_report()
    assert len(report.models) == 6


def test_buying_report_page_states_the_formula_and_shows_the_figures(client, demand):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with translation.override("en"):
        page = client.get(reverse("insights:buying_report")).content.decode()
    assert "Suggested order = sales in the weeks read ÷ 4 × 4 weeks" in page
    assert demand.product.name in page and "6 days" in page
    assert "2 visitors did not find it on its page" in page


def test_buying_report_page_in_hebrew(client, demand):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("insights:buying_report")).content.decode()
    assert "דוח רכש" in page and "Suggested order" not in page


def test_buying_report_csv_export(client, demand):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("insights:buying_report"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "suggested_order"
    assert rows[1][3:] == [demand.size_label, demand.sku, "3", "6", "1", "2", "3", "2", "1", "3"]


def test_buying_report_is_head_office_only(client, demand):
    url = reverse("insights:buying_report")
    head_office = staff_user("Head office")
    client.force_login(head_office)
    assert client.get(url).status_code == 200
    for role in ("Store managers", "Salespeople", "Catalog editors"):
        client.force_login(staff_user(role))
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_dashboard_links_to_the_buying_report_for_head_office_only(client, demand):
    url = reverse("insights:buying_report")
    client.force_login(staff_user("Head office"))
    assert url in client.get(reverse("insights:dashboard")).content.decode()
    client.force_login(staff_user("Store managers"))
    assert url not in client.get(reverse("insights:dashboard")).content.decode()


def test_buying_report_page_shows_what_to_act_on_first_and_hides_the_rest(client, demand):
    """A size with nothing to order and nobody waiting is left out (the CSV keeps it); the
    sizes of a model come most to order first."""
    quiet = VariantFactory(product=demand.product, eu_size=demand.eu_size + 1)
    shop = StoreFactory()
    put_stock(shop, quiet, on_hand=20)
    inventory.stock_sell(store=shop, variant=quiet)  # one sale, twenty left: nothing to order
    busy = VariantFactory(product=demand.product, eu_size=demand.eu_size + 2)
    WaitlistEntryFactory.create_batch(5, store=shop, variant=busy)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with translation.override("en"):
        url = reverse("insights:buying_report")
    page = client.get(url).content.decode()
    assert f">{quiet.size_label}<" not in page
    assert "One size with nothing to order and nobody waiting is not shown." in page
    assert page.index(f">{busy.size_label}<") < page.index(f">{demand.size_label}<")
    everything = client.get(url, {"all": "1"}).content.decode()
    assert f">{quiet.size_label}<" in everything
    csv_rows = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert quiet.sku in csv_rows
