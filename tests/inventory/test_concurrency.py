"""Real threads on separate Postgres connections: no oversell, no lost update, no deadlock."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Sum

from inventory import services
from inventory.models import InboundShipment, StockLevel, StockMovement
from inventory.services import StockChange
from tests.factories import InboundShipmentLineFactory, StoreFactory, VariantFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Reason = StockMovement.Reason


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at once, each in its own thread and connection; results or errors."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            start.wait()
            return call()
        except Exception as error:  # collected: the test decides which errors are expected
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def level_of(store, variant) -> tuple[int, int]:
    level = StockLevel.objects.get(store=store, variant=variant)
    return level.on_hand, level.reserved


def ledger_sum(store, variant) -> int:
    total = StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))
    return total["s"] or 0


def test_stock_sell_40_buyers_for_the_last_5_pairs_exactly_5_succeed(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=5)
    results = run_together(
        [lambda: services.stock_sell(store=store.pk, variant=variant.pk) for _ in range(40)]
    )
    sold = [r for r in results if isinstance(r, StockMovement)]
    refused = [r for r in results if isinstance(r, services.InsufficientStock)]
    assert (len(sold), len(refused)) == (5, 35)
    assert level_of(store, variant) == (0, 0)
    assert ledger_sum(store, variant) == 0
    assert sorted(m.on_hand_after for m in sold) == [0, 1, 2, 3, 4]


def test_stock_receive_sell_and_reserve_on_one_row_lose_no_update(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=20)
    calls: list[Callable[[], Any]] = []
    for _ in range(8):
        calls.append(lambda: services.stock_receive(store=store.pk, variant=variant.pk, quantity=2))
        calls.append(lambda: services.stock_sell(store=store.pk, variant=variant.pk))
        calls.append(lambda: services.stock_reserve(store=store.pk, variant=variant.pk))
    results = run_together(calls)
    assert [r for r in results if isinstance(r, Exception)] == []
    # 20 + 8×2 received − 8 sold; 8 reserved.
    assert level_of(store, variant) == (28, 8)
    assert ledger_sum(store, variant) == 28


def test_stock_receive_concurrently_creates_one_level_and_keeps_every_pair(store, variant):
    results = run_together(
        [
            lambda: services.stock_receive(store=store.pk, variant=variant.pk, quantity=1)
            for _ in range(12)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert StockLevel.objects.filter(store=store, variant=variant).count() == 1
    assert level_of(store, variant) == (12, 0)
    assert ledger_sum(store, variant) == 12


def test_stock_apply_batches_in_opposite_orders_do_not_deadlock(variant):
    here, there = StoreFactory(), StoreFactory()
    other = VariantFactory()
    levels = [(here.pk, variant.pk), (there.pk, other.pk)]
    for store_id, variant_id in levels:
        services.stock_receive(store=store_id, variant=variant_id, quantity=100)

    def batch(order: list[tuple[int, int]]) -> Callable[[], Any]:
        def run() -> None:
            for _ in range(10):
                services.stock_apply(
                    changes=[
                        StockChange(store_id, variant_id, reason=Reason.SALE, delta=-1)
                        for store_id, variant_id in order
                    ]
                    + [
                        StockChange(store_id, variant_id, reason=Reason.RETURN, delta=1)
                        for store_id, variant_id in reversed(order)
                    ]
                )

        return run

    results = run_together([batch(levels), batch(levels[::-1])] * 6)
    assert [r for r in results if isinstance(r, Exception)] == []
    for store_id, variant_id in levels:
        assert level_of(store_id, variant_id) == (100, 0)
        assert ledger_sum(store_id, variant_id) == 100
        assert StockMovement.objects.filter(store_id=store_id, variant_id=variant_id).count() == (
            1 + 12 * 10 * 2
        )


def test_shipment_receive_by_two_people_at_once_books_the_pairs_once():
    line = InboundShipmentLineFactory(quantity=6)
    shipment = line.shipment
    results = run_together(
        [
            lambda: services.shipment_receive(shipment=InboundShipment.objects.get(pk=shipment.pk))
            for _ in range(4)
        ]
    )
    assert sum(isinstance(r, list) for r in results) == 1
    assert sum(isinstance(r, services.InvalidTransition) for r in results) == 3
    assert level_of(shipment.store, line.variant) == (6, 0)
    assert ledger_sum(shipment.store, line.variant) == 6


def test_size_stock_write_writers_at_many_shops_of_one_size_all_land_in_its_summary(variant):
    """Sales of one size at ten shops at once: each shop's entry in the size's summary is
    what its level says (no writer's entry is lost to another's), with no deadlock; a
    receipt of two sizes in either order alongside them too."""
    from inventory.models import SizeStock

    other = VariantFactory()
    shops = [StoreFactory() for _ in range(10)]
    for shop in shops:
        services.stock_receive(store=shop, variant=variant, quantity=3)
    sales = [
        (lambda shop=shop: services.stock_sell(store=shop.pk, variant=variant.pk)) for shop in shops
    ]
    receipts = [
        lambda: services.stock_apply(
            changes=[
                StockChange(shops[0].pk, variant.pk, reason=Reason.RECEIPT, delta=1),
                StockChange(shops[0].pk, other.pk, reason=Reason.RECEIPT, delta=1),
            ]
        ),
        lambda: services.stock_apply(
            changes=[
                StockChange(shops[1].pk, other.pk, reason=Reason.RECEIPT, delta=1),
                StockChange(shops[1].pk, variant.pk, reason=Reason.RECEIPT, delta=1),
            ]
        ),
    ]
    results = run_together(sales + receipts)
    assert not [r for r in results if isinstance(r, Exception)]
    summary = {
        int(store): pairs
        for store, (pairs, _) in SizeStock.objects.get(variant=variant).shops.items()
    }
    assert summary == {shop.pk: level_of(shop, variant)[0] for shop in shops}
    assert summary[shops[0].pk] == 3 and summary[shops[2].pk] == 2
    other_summary = SizeStock.objects.get(variant=other).shops
    assert {int(store) for store in other_summary} == {shops[0].pk, shops[1].pk}
