"""Customers racing for the last pair or the last transfer source, on real PostgreSQL
connections: one each, or a clear "no longer available" — never an oversell."""

from decimal import Decimal

import pytest
from django.db import connection

from demand import services
from inventory.models import Hold, StockLevel, Transfer
from tests.factories import ConfirmedNumberFactory, ProductFactory, VariantFactory
from tests.inventory.test_concurrency import run_together
from tests.inventory.views.helpers import stock, store_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")


def numbers(count: int) -> list[str]:
    phones = [f"+97250{3000000 + n:07d}" for n in range(count)]
    for phone in phones:
        ConfirmedNumberFactory(phone=phone)
    return phones


@pytest.fixture
def size():
    return VariantFactory(product=ProductFactory(), eu_size=Decimal("42"))


def test_pair_hold_eight_customers_for_the_last_two_pairs_two_get_one(size):
    haifa = store_in("haifa")
    stock(haifa, size, 2)
    phones = numbers(8)
    results = run_together(
        [
            lambda phone=phone: services.pair_hold_for_customer(
                phone=phone, variant=size.pk, store=haifa.pk, language="he"
            )
            for phone in phones
        ]
    )
    held = [r for r in results if isinstance(r, Hold)]
    refused = [r for r in results if isinstance(r, services.NoLongerAvailable)]
    assert (len(held), len(refused)) == (2, 6), results
    level = StockLevel.objects.get(store=haifa, variant=size)
    assert (level.on_hand, level.reserved) == (2, 2)
    assert len({h.customer_phone for h in held}) == 2


def test_pair_hold_one_number_asking_at_once_stays_within_its_limit(size, settings):
    settings.CUSTOMER_PAIRS_PER_NUMBER = 2
    shops = [store_in(slug) for slug in ("haifa", "jerusalem", "eilat", "ashdod")]
    for shop in shops:
        stock(shop, size, 1)
    (phone,) = numbers(1)
    results = run_together(
        [
            lambda shop=shop: services.pair_hold_for_customer(
                phone=phone, variant=size.pk, store=shop.pk, language="he"
            )
            for shop in shops
        ]
    )
    assert sum(isinstance(r, Hold) for r in results) == 2
    assert sum(isinstance(r, services.PairLimitReached) for r in results) == 2
    assert Hold.objects.filter(customer_phone=phone, status="active").count() == 2


def test_bring_to_store_six_customers_for_the_last_spare_pairs_of_two_sources(size, settings):
    settings.TRANSFER_SAFETY_STOCK = 1
    tel_aviv, haifa = store_in("tel-aviv"), store_in("haifa")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    stock(haifa, size, 2)  # one to spare
    stock(warehouse, size, 1)
    phones = numbers(6)
    results = run_together(
        [
            lambda phone=phone: services.bring_to_store(
                phone=phone, variant=size.pk, store=tel_aviv.pk, language="he"
            )
            for phone in phones
        ]
    )
    brought = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, services.NoLongerAvailable)]
    assert (len(brought), len(refused)) == (2, 4), results
    assert {t.from_store_id for t in brought} == {haifa.pk, warehouse.pk}
    assert StockLevel.objects.get(store=haifa, variant=size).reserved == 1
    assert StockLevel.objects.get(store=warehouse, variant=size).reserved == 1
