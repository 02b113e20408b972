"""The restock signal: fires after commit when available rose, once per size, never on rollback."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inventory import services
from inventory.events import announce_available, hold_ended, stock_became_available
from inventory.models import Hold, StockMovement
from inventory.services import StockChange
from tests.factories import InboundShipmentLineFactory, StoreFactory, VariantFactory

# on_commit callbacks only run on a real commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stocked(store, variant):
    """Three pairs on the shelf, announced before the test looks."""
    services.stock_receive(store=store, variant=variant, quantity=3)
    return store, variant


def test_stock_receive_announces_once_after_commit(store, variant, announced):
    with transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=1)
        services.stock_receive(store=store, variant=variant, quantity=2)
        assert announced == []
    assert announced == [(store.pk, variant.pk, 3)]


def test_stock_receive_rolled_back_announces_nothing(store, variant, announced):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=1)
        raise RuntimeError
    assert announced == []
    services.stock_receive(store=store, variant=variant, quantity=1)
    assert announced == [(store.pk, variant.pk, 1)]


def test_stock_return_announces(stocked, announced):
    store, variant = stocked
    services.stock_sell(store=store, variant=variant, quantity=3)
    services.stock_return(store=store, variant=variant)
    assert announced == [(store.pk, variant.pk, 1)]


def test_stock_count_higher_announces_and_lower_does_not(stocked, announced):
    store, variant = stocked
    services.stock_count(store=store, variant=variant, counted=1)
    services.stock_count(store=store, variant=variant, counted=1)
    assert announced == []
    services.stock_count(store=store, variant=variant, counted=4)
    assert announced == [(store.pk, variant.pk, 4)]


def test_stock_release_announces_the_pair_back_on_sale(stocked, announced):
    store, variant = stocked
    services.stock_reserve(store=store, variant=variant, quantity=2)
    assert announced == []
    services.stock_release(store=store, variant=variant)
    assert announced == [(store.pk, variant.pk, 2)]


def test_stock_sell_reserve_and_adjust_down_announce_nothing(stocked, announced):
    store, variant = stocked
    services.stock_sell(store=store, variant=variant)
    services.stock_reserve(store=store, variant=variant)
    services.stock_adjust(store=store, variant=variant, delta=-1)
    assert announced == []


def test_stock_refused_sale_announces_nothing(stocked, announced):
    store, variant = stocked
    with pytest.raises(services.InsufficientStock):
        services.stock_apply(
            changes=[
                StockChange(store.pk, variant.pk, reason=StockMovement.Reason.RETURN, delta=1),
                StockChange(store.pk, variant.pk, reason=StockMovement.Reason.SALE, delta=-9),
            ]
        )
    assert announced == []


def test_stock_apply_announces_each_size_once_with_its_own_quantity(store, announced):
    a, b = VariantFactory.create_batch(2)
    services.stock_apply(
        changes=[
            StockChange(store.pk, a.pk, reason=StockMovement.Reason.RECEIPT, delta=2),
            StockChange(store.pk, b.pk, reason=StockMovement.Reason.RECEIPT, delta=5),
            StockChange(store.pk, a.pk, reason=StockMovement.Reason.RECEIPT, delta=1),
        ]
    )
    assert sorted(announced) == sorted([(store.pk, a.pk, 3), (store.pk, b.pk, 5)])


def test_stock_receive_at_two_stores_announces_each_store(variant, announced):
    here, there = StoreFactory(), StoreFactory()
    with transaction.atomic():
        services.stock_receive(store=here, variant=variant, quantity=1)
        services.stock_receive(store=there, variant=variant, quantity=2)
    assert sorted(announced) == sorted([(here.pk, variant.pk, 1), (there.pk, variant.pk, 2)])


def test_announcement_carries_what_is_available_at_commit(store, variant, announced):
    with transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=3)
        services.stock_reserve(store=store, variant=variant, quantity=1)
    assert announced == [(store.pk, variant.pk, 2)]


def test_stock_received_and_sold_out_in_one_transaction_announces_nothing(
    store, variant, announced
):
    with transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=2)
        services.stock_sell(store=store, variant=variant, quantity=2)
    assert announced == []


def test_rise_only_in_a_rolled_back_savepoint_announces_nothing(store, variant, announced):
    with transaction.atomic(), pytest.raises(RuntimeError), transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=2)
        raise RuntimeError
    assert announced == []


def test_rolled_back_savepoint_does_not_announce_a_size_already_on_the_shelf(stocked, announced):
    store, variant = stocked
    other = VariantFactory()
    with transaction.atomic():
        services.stock_receive(store=store, variant=other, quantity=1)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.stock_receive(store=store, variant=variant, quantity=2)
            raise RuntimeError
    # Three pairs of `variant` are on sale, but no more than before: no announcement.
    assert announced == [(store.pk, other.pk, 1)]


def test_rolled_back_savepoint_keeps_the_outer_rise(store, variant, announced):
    with transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=1)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.stock_receive(store=store, variant=variant, quantity=5)
            raise RuntimeError
    assert announced == [(store.pk, variant.pk, 1)]


def test_rise_first_seen_in_a_rolled_back_savepoint_then_again_outside_is_announced(
    store, variant, announced
):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            services.stock_receive(store=store, variant=variant, quantity=5)
            raise RuntimeError
        services.stock_receive(store=store, variant=variant, quantity=1)
    assert announced == [(store.pk, variant.pk, 1)]


def test_rises_in_a_released_savepoint_and_outside_it_announce_once(store, variant, announced):
    with transaction.atomic():
        with transaction.atomic():
            services.stock_receive(store=store, variant=variant, quantity=1)
        services.stock_receive(store=store, variant=variant, quantity=1)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.stock_receive(store=store, variant=variant, quantity=1)
            raise RuntimeError
    assert announced == [(store.pk, variant.pk, 2)]


def test_announce_available_outside_a_transaction_announces_at_once(stocked, announced):
    store, variant = stocked
    announce_available(store.pk, variant.pk)
    assert announced == [(store.pk, variant.pk, 3)]


def test_failing_listener_neither_undoes_nor_breaks_the_sale(store, variant, announced):
    def broken(**kwargs):
        raise RuntimeError("listener down")

    stock_became_available.connect(broken)
    try:
        services.stock_receive(store=store, variant=variant, quantity=2)
    finally:
        stock_became_available.disconnect(broken)
    assert announced == [(store.pk, variant.pk, 2)]
    assert StockMovement.objects.filter(reason=StockMovement.Reason.RECEIPT).count() == 1


def test_failing_hold_ended_listener_stops_neither_the_others_nor_the_restock(
    store, variant, announced, caplog
):
    services.stock_receive(store=store, variant=variant, quantity=1)
    hold = services.hold_place(store=store, variant=variant)
    announced.clear()
    endings = []

    def broken(**kwargs):
        raise RuntimeError("listener down")

    def recorder(sender, hold, outcome, **kwargs):
        endings.append((hold.pk, outcome))

    hold_ended.connect(broken)
    hold_ended.connect(recorder)
    try:
        services.hold_release(hold=hold)
    finally:
        hold_ended.disconnect(broken)
        hold_ended.disconnect(recorder)
    assert endings == [(hold.pk, Hold.Status.RELEASED)]
    assert announced == [(store.pk, variant.pk, 1)]
    assert "listener down" in caplog.text and "failed for Hold" in caplog.text


def test_shipment_receive_announces_each_size_once(announced):
    line_a = InboundShipmentLineFactory(quantity=2)
    line_b = InboundShipmentLineFactory(shipment=line_a.shipment, quantity=3)
    shipment = line_a.shipment
    services.shipment_receive(shipment=shipment)
    assert sorted(announced) == sorted(
        [(shipment.store_id, line_a.variant_id, 2), (shipment.store_id, line_b.variant_id, 3)]
    )


def test_shipment_receive_of_nothing_new_announces_nothing(announced):
    line = InboundShipmentLineFactory(quantity=2)
    with pytest.raises(services.InvalidReceipt):
        services.shipment_receive(shipment=line.shipment, quantities={line.pk: 0})
    assert announced == []


def test_announcements_of_one_transaction_read_the_stock_in_one_query(store, announced):
    variants = VariantFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        services.stock_apply(
            changes=[
                StockChange(store.pk, v.pk, reason=StockMovement.Reason.RECEIPT, delta=2)
                for v in variants
            ]
        )
        services.stock_receive(store=store, variant=variants[0], quantity=1)
        before_commit = len(queries.captured_queries)
    after_commit = queries.captured_queries[before_commit:]
    assert len(announced) == 5
    assert sum("inventory_stocklevel" in q["sql"] for q in after_commit) == 1
