import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from core.phones import InvalidPhone
from inventory import services
from inventory.events import customer_hold_placed
from inventory.models import Hold, StockLevel, StockMovement, Transfer
from tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MOBILE = "052-555-1234"
MOBILE_E164 = "+972525551234"


def level(store, variant) -> tuple[int, int]:
    row = StockLevel.objects.filter(store=store, variant=variant).first()
    return (row.on_hand, row.reserved) if row else (0, 0)


def ledger_sum(store, variant) -> int:
    return (
        StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))["s"]
        or 0
    )


@pytest.fixture
def source(db):
    return StoreFactory(name_en="Dizengoff")


@pytest.fixture
def destination(db):
    return StoreFactory(name_en="Haifa")


@pytest.fixture
def clerk(db):
    return UserFactory(username="dana", is_staff=True)


@pytest.fixture
def stocked(source, variant):
    services.stock_receive(store=source, variant=variant, quantity=3, reference="PO-1")
    return variant


def request(variant, source, destination, user, **kwargs) -> Transfer:
    return services.transfer_request(
        variant=variant, from_store=source, to_store=destination, user=user, **kwargs
    )


def test_transfer_request_reserves_at_source_and_records_who(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk, quantity=2, note="window pair")
    assert transfer.status == Transfer.Status.REQUESTED
    assert transfer.requested_by == clerk and transfer.requested_at is not None
    assert level(source, stocked) == (3, 2)
    # Reserved pairs cannot be sold meanwhile.
    with pytest.raises(services.InsufficientStock):
        services.stock_sell(store=source, variant=stocked, quantity=2)


def test_transfer_request_same_store_refused(stocked, source, clerk):
    with pytest.raises(services.InvalidTransfer):
        request(stocked, source, source, clerk)
    assert level(source, stocked) == (3, 0)


def test_transfer_request_more_than_available_refused(stocked, source, destination, clerk):
    services.stock_reserve(store=source, variant=stocked, quantity=2)
    with pytest.raises(services.InsufficientStock) as info:
        request(stocked, source, destination, clerk, quantity=2)
    assert info.value.shortfalls[0].available == 1
    assert Transfer.objects.count() == 0
    assert level(source, stocked) == (3, 2)


def test_transfer_request_nothing_at_source_refused(variant, source, destination, clerk):
    with pytest.raises(services.InsufficientStock):
        request(variant, source, destination, clerk)
    assert Transfer.objects.count() == 0


def test_transfer_request_normalises_customer_mobile(stocked, source, destination, clerk):
    transfer = request(
        stocked,
        source,
        destination,
        clerk,
        customer_name="Noa",
        customer_phone=MOBILE,
        customer_language="en",
    )
    assert transfer.customer_phone == MOBILE_E164
    assert transfer.customer_language == "en"


@pytest.mark.parametrize("phone", ["12345", "not a number", "03-555-1234", "052-123"])
def test_transfer_request_invalid_or_landline_phone_refused(
    stocked, source, destination, clerk, phone
):
    with pytest.raises(InvalidPhone) as info:
        request(stocked, source, destination, clerk, customer_name="Noa", customer_phone=phone)
    assert phone in info.value.message
    assert Transfer.objects.count() == 0
    assert level(source, stocked) == (3, 0)


def test_transfer_request_customer_name_without_phone_refused(stocked, source, destination, clerk):
    with pytest.raises(services.InvalidTransfer):
        request(stocked, source, destination, clerk, customer_name="Noa")


def test_transfer_request_customer_with_quantity_above_one_refused(
    stocked, source, destination, clerk
):
    with pytest.raises(services.InvalidTransfer):
        request(stocked, source, destination, clerk, quantity=2, customer_phone=MOBILE)
    assert level(source, stocked) == (3, 0)


def test_transfer_request_to_closed_store_refused(stocked, source, clerk):
    closed = StoreFactory(is_active=False)
    with pytest.raises(services.InvalidTransfer):
        request(stocked, source, closed, clerk)


def test_transfer_request_zero_quantity_refused(stocked, source, destination, clerk):
    with pytest.raises(services.InvalidQuantity):
        request(stocked, source, destination, clerk, quantity=0)


def test_transfer_dispatch_takes_pairs_off_source_and_sets_eta(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk, quantity=2)
    manager = UserFactory(username="avi")
    transfer = services.transfer_dispatch(transfer=transfer, user=manager)
    assert transfer.status == Transfer.Status.DISPATCHED
    assert transfer.dispatched_by == manager and transfer.dispatched_at is not None
    assert transfer.expected_date == services.transfer_default_expected_date()
    assert level(source, stocked) == (1, 0)
    assert ledger_sum(source, stocked) == 1
    out = StockMovement.objects.get(reason=StockMovement.Reason.TRANSFER_OUT)
    assert (out.delta, out.reference, out.user) == (-2, f"transfer #{transfer.pk}", manager)


def test_transfer_dispatch_keeps_a_given_expected_date(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    eta = timezone.localdate() + datetime.timedelta(days=5)
    transfer = services.transfer_dispatch(transfer=transfer, user=clerk, expected_date=eta)
    assert Transfer.objects.get(pk=transfer.pk).expected_date == eta


def test_transfer_dispatch_expected_date_in_past_refused(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    with pytest.raises(services.InvalidTransfer):
        services.transfer_dispatch(
            transfer=transfer,
            user=clerk,
            expected_date=timezone.localdate() - datetime.timedelta(1),
        )
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.REQUESTED


def test_transfer_dispatch_twice_refused(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    services.transfer_dispatch(transfer=transfer, user=clerk)
    with pytest.raises(services.InvalidTransition) as info:
        services.transfer_dispatch(transfer=transfer, user=clerk)
    assert info.value.current == Transfer.Status.DISPATCHED
    assert level(source, stocked) == (2, 0)


def test_transfer_default_expected_date_skips_friday_and_saturday():
    thursday = datetime.date(2025, 1, 2)
    assert thursday.weekday() == 3
    # Thursday + 2 working days: Sunday, Monday.
    assert services.transfer_default_expected_date(thursday) == datetime.date(2025, 1, 6)
    sunday = datetime.date(2025, 1, 5)
    assert services.transfer_default_expected_date(sunday) == datetime.date(2025, 1, 7)


def test_transfer_receive_adds_to_destination_and_announces(
    stocked, source, destination, clerk, announced
):
    transfer = request(stocked, source, destination, clerk, quantity=2)
    services.transfer_dispatch(transfer=transfer, user=clerk)
    announced.clear()
    transfer = services.transfer_receive(transfer=transfer, user=clerk)
    assert transfer.status == Transfer.Status.RECEIVED
    assert transfer.received_by == clerk and transfer.received_at is not None
    assert level(destination, stocked) == (2, 0)
    assert ledger_sum(destination, stocked) == 2
    assert ledger_sum(source, stocked) == 1
    assert announced == [(destination.pk, stocked.pk, 2)]
    assert not Hold.objects.exists()


def test_transfer_receive_before_dispatch_refused(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    with pytest.raises(services.InvalidTransition):
        services.transfer_receive(transfer=transfer, user=clerk)
    assert level(destination, stocked) == (0, 0)


def test_transfer_receive_twice_refused(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    services.transfer_dispatch(transfer=transfer, user=clerk)
    services.transfer_receive(transfer=transfer, user=clerk)
    with pytest.raises(services.InvalidTransition):
        services.transfer_receive(transfer=transfer, user=clerk)
    assert level(destination, stocked) == (1, 0)


def test_transfer_receive_for_customer_holds_the_pair_and_tells_listener(
    stocked,
    source,
    destination,
    clerk,
    announced,
    django_capture_on_commit_callbacks,
):
    transfer = request(
        stocked,
        source,
        destination,
        clerk,
        customer_name="Noa",
        customer_phone=MOBILE,
        customer_language="en",
    )
    services.transfer_dispatch(transfer=transfer, user=clerk)
    announced.clear()
    seen = []

    def listener(sender, hold, transfer, **kwargs):
        # Inside the transaction: the hold exists and its pair is reserved already.
        from django.db import connection

        seen.append((connection.in_atomic_block, hold.pk, transfer.pk, level(destination, stocked)))

    customer_hold_placed.connect(listener)
    try:
        services.transfer_receive(transfer=transfer, user=clerk)
    finally:
        customer_hold_placed.disconnect(listener)
    hold = Hold.objects.get()
    assert seen == [(True, hold.pk, transfer.pk, (1, 1))]
    assert (
        hold.purpose,
        hold.transfer,
        hold.store,
        hold.customer_name,
        hold.customer_phone,
        hold.language,
    ) == (Hold.Purpose.TRANSFER, transfer, destination, "Noa", MOBILE_E164, "en")
    assert hold.status == Hold.Status.ACTIVE
    assert level(destination, stocked) == (1, 1)
    # The held pair is nobody else's: no restock is announced for it.
    assert announced == []
    with pytest.raises(services.InsufficientStock):
        services.stock_sell(store=destination, variant=stocked)


def test_transfer_receive_listener_failure_rolls_back_receipt(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk, customer_phone=MOBILE)
    services.transfer_dispatch(transfer=transfer, user=clerk)

    def broken(sender, **kwargs):
        raise RuntimeError("outbox down")

    customer_hold_placed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.transfer_receive(transfer=transfer, user=clerk)
    finally:
        customer_hold_placed.disconnect(broken)
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.DISPATCHED
    assert level(destination, stocked) == (0, 0)
    assert not Hold.objects.exists()


def test_transfer_cancel_requested_releases_source(stocked, source, destination, clerk, announced):
    transfer = request(stocked, source, destination, clerk, quantity=3)
    announced.clear()
    transfer = services.transfer_cancel(transfer=transfer, user=clerk)
    assert transfer.status == Transfer.Status.CANCELLED
    assert transfer.cancelled_by == clerk and transfer.cancelled_at is not None
    assert level(source, stocked) == (3, 0)
    assert announced == [(source.pk, stocked.pk, 3)]


def test_transfer_cancel_dispatched_refused_with_advice(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    services.transfer_dispatch(transfer=transfer, user=clerk)
    with pytest.raises(services.InvalidTransition) as info:
        services.transfer_cancel(transfer=transfer, user=clerk)
    assert str(destination) in info.value.message
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.DISPATCHED


def test_transfer_cancel_twice_refused(stocked, source, destination, clerk):
    transfer = request(stocked, source, destination, clerk)
    services.transfer_cancel(transfer=transfer, user=clerk)
    with pytest.raises(services.InvalidTransition):
        services.transfer_cancel(transfer=transfer, user=clerk)
    with pytest.raises(services.InvalidTransition):
        services.transfer_dispatch(transfer=transfer, user=clerk)
    assert level(source, stocked) == (3, 0)


def test_transfer_whole_flow_keeps_ledgers_equal_to_on_hand(stocked, source, destination, clerk):
    for _ in range(2):
        transfer = request(stocked, source, destination, clerk)
        services.transfer_dispatch(transfer=transfer, user=clerk)
        services.transfer_receive(transfer=transfer, user=clerk)
    for store in (source, destination):
        on_hand, _reserved = level(store, stocked)
        assert ledger_sum(store, stocked) == on_hand
    assert level(source, stocked) == (1, 0)
    assert level(destination, stocked) == (2, 0)


def _race(workers) -> list[str]:
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []

    def run(work) -> None:
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except services.StockError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgres
def test_transfer_request_concurrent_for_last_pairs_never_overbooks(stocked, source, clerk):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs Postgres row locks")
    stores = [StoreFactory() for _ in range(6)]
    outcomes = _race(
        [lambda store=store: request(stocked, source, store, clerk) for store in stores]
    )
    assert outcomes == ["InsufficientStock"] * 3 + ["ok"] * 3
    assert level(source, stocked) == (3, 3)


@pytest.mark.postgres
def test_transfer_dispatch_and_cancel_race_ends_in_one_state(stocked, source, destination, clerk):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs Postgres row locks")
    transfer = request(stocked, source, destination, clerk)
    outcomes = _race(
        [
            lambda: services.transfer_dispatch(transfer=transfer, user=clerk),
            lambda: services.transfer_cancel(transfer=transfer, user=clerk),
            lambda: services.transfer_dispatch(transfer=transfer, user=clerk),
        ]
    )
    assert outcomes.count("ok") == 1
    status = Transfer.objects.get(pk=transfer.pk).status
    expected = {Transfer.Status.DISPATCHED: (2, 0), Transfer.Status.CANCELLED: (3, 0)}
    assert level(source, stocked) == expected[status]
    assert ledger_sum(source, stocked) == level(source, stocked)[0]
