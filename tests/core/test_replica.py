"""Reports may read a replica; customers' pages never do. The router is checked with and
without a replica configured, and the pages by which reads they make inside `reports()`."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from core import replica
from core.replica import ReplicaRouter, reports
from inventory.models import StockLevel
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory


def test_router_reads_reports_from_the_replica_when_there_is_one(monkeypatch):
    router = ReplicaRouter()
    # Only the alias's presence matters to the router; no connection is made to it.
    monkeypatch.setitem(settings.DATABASES, "replica", {})

    with reports():
        assert router.db_for_read(StockLevel) == "replica"
        assert router.db_for_write(StockLevel) == "default"
    assert router.db_for_read(StockLevel) is None  # the primary


def test_router_reads_everything_from_the_primary_without_a_replica():
    with reports():
        assert ReplicaRouter().db_for_read(StockLevel) is None


def test_router_never_migrates_the_replica():
    assert ReplicaRouter().allow_migrate("replica", "inventory") is False
    assert ReplicaRouter().allow_migrate("default", "inventory") is True


class ReadsRecorder:
    """Whether each query ran inside `reports()`."""

    def __init__(self) -> None:
        self.flags: list[bool] = []

    def __call__(self, execute, sql, params, many, context):
        self.flags.append(replica.reading_reports())
        return execute(sql, params, many, context)


def recorded(client, path: str) -> list[bool]:
    recorder = ReadsRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(path)
    assert response.status_code == 200
    return recorder.flags


@pytest.mark.django_db
def test_reports_read_inside_reports_and_customer_pages_never(client):
    store = StoreFactory()
    variant = VariantFactory(product=ProductFactory())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    dashboard = recorded(client, reverse("insights:dashboard"))
    buying = recorded(client, reverse("insights:buying_report"))
    client.logout()
    product = recorded(client, reverse("storefront:product", args=[variant.product.slug]))
    stores = recorded(client, reverse("storefront:stores"))

    assert dashboard.count(True) > 5 and buying.count(True) > 1
    assert True not in product and True not in stores
    assert store.pk
