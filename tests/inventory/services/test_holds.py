import datetime
import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from inventory import services
from inventory.events import hold_ended
from inventory.models import Hold, StockLevel, StockMovement
from inventory.services import holds as hold_services
from tests.factories import StoreFactory, TransferFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = datetime.timedelta(hours=1)


def level(store, variant) -> tuple[int, int]:
    row = StockLevel.objects.get(store=store, variant=variant)
    return (row.on_hand, row.reserved)


def ledger_sum(store, variant) -> int:
    return (
        StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))["s"]
        or 0
    )


@pytest.fixture
def stocked(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2, reference="PO-1")
    return variant


@pytest.fixture
def endings():
    seen: list[tuple[int, str, bool]] = []

    def receiver(sender, hold, outcome, **kwargs):
        seen.append((hold.pk, outcome, connection.in_atomic_block))

    hold_ended.connect(receiver)
    yield seen
    hold_ended.disconnect(receiver)


def place(store, variant, **kwargs) -> Hold:
    """A hold for someone waiting for the size."""
    return services.hold_place(store=store, variant=variant, **kwargs)


def lapse(hold: Hold, hours_ago: int = 1) -> Hold:
    """Start the hold's clock far enough back that it has already run out."""
    started = timezone.now() - settings.HOLD_DURATION - hours_ago * HOUR
    return services.hold_start_clock(hold=hold, at=started)


def current_holds():
    """Holds still setting a pair aside: active and not run out (a hold whose clock has not
    started yet — its text is not sent — counts)."""
    return Hold.objects.filter(status=Hold.Status.ACTIVE).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def lapsed_holds():
    """Active holds whose time has run out (`hold_expire_due` ends them)."""
    return Hold.objects.filter(status=Hold.Status.ACTIVE, expires_at__lte=timezone.now())


def test_hold_place_reserves_one_pair(store, stocked):
    hold = place(store, stocked, customer_name="Noa", customer_phone="+972525551234", language="en")
    assert (hold.status, hold.purpose, hold.transfer, hold.language) == (
        Hold.Status.ACTIVE,
        Hold.Purpose.WAITLIST,
        None,
        "en",
    )
    assert hold.expires_at is None
    assert level(store, stocked) == (2, 1)


def test_hold_place_nothing_available_refused(store, stocked):
    services.stock_reserve(store=store, variant=stocked, quantity=2)
    with pytest.raises(services.InsufficientStock):
        place(store, stocked)
    assert not Hold.objects.exists()


def test_hold_place_twice_for_one_transfer_refused(store, stocked):
    transfer = TransferFactory(variant=stocked, to_store=store)
    services.hold_place(store=store, variant=stocked, transfer=transfer)
    with pytest.raises(services.HoldAlreadyActive) as info:
        services.hold_place(store=store, variant=stocked, transfer=transfer.pk)
    assert (info.value.purpose, info.value.transfer_id) == (Hold.Purpose.TRANSFER, transfer.pk)
    assert level(store, stocked) == (2, 1)


@pytest.mark.parametrize(
    ("purpose", "for_a_transfer", "phone"),
    [
        ("waitlist", True, "+972501234567"),
        ("transfer", False, "+972501234567"),
        ("request", True, "+972501234567"),
        ("request", False, ""),
    ],
)
def test_hold_fields_must_match_its_purpose(store, stocked, purpose, for_a_transfer, phone):
    transfer = TransferFactory(variant=stocked, to_store=store) if for_a_transfer else None
    with pytest.raises(IntegrityError), transaction.atomic():
        Hold.objects.create(
            store=store, variant=stocked, purpose=purpose, transfer=transfer, customer_phone=phone
        )


def test_hold_place_twice_inside_one_transaction_keeps_it_usable(store, stocked):
    transfer = TransferFactory(variant=stocked, to_store=store)
    with transaction.atomic():
        services.hold_place(store=store, variant=stocked, transfer=transfer)
        with pytest.raises(services.HoldAlreadyActive):
            services.hold_place(store=store, variant=stocked, transfer=transfer)
        place(store, stocked)
    assert level(store, stocked) == (2, 2)


def test_hold_place_again_after_the_entrys_hold_ended(store, stocked):
    first = place(store, stocked)
    services.hold_release(hold=first)
    second = place(store, stocked)
    assert second.pk != first.pk and level(store, stocked) == (2, 1)


def test_hold_start_clock_sets_expiry_from_when_told(store, stocked):
    hold = place(store, stocked)
    told = timezone.now() - 2 * HOUR
    hold = services.hold_start_clock(hold=hold, at=told)
    assert hold.notified_at == told
    assert hold.expires_at == told + settings.HOLD_DURATION
    assert Hold.objects.get(pk=hold.pk).expires_at == told + settings.HOLD_DURATION


def test_hold_start_clock_again_never_extends(store, stocked):
    hold = place(store, stocked)
    first = services.hold_start_clock(hold=hold).expires_at
    again = services.hold_start_clock(hold=hold, at=timezone.now() + HOUR)
    assert again.expires_at == first


def test_hold_start_clock_on_ended_hold_refused(store, stocked):
    hold = services.hold_release(hold=place(store, stocked))
    with pytest.raises(services.InvalidTransition):
        services.hold_start_clock(hold=hold)


def test_hold_collect_takes_the_pair_and_records_it(store, stocked, endings):
    clerk = UserFactory(username="dana")
    hold = services.hold_start_clock(hold=place(store, stocked))
    hold = services.hold_collect(hold=hold, user=clerk)
    assert (hold.status, hold.ended_by) == (Hold.Status.COLLECTED, clerk)
    assert hold.ended_at is not None
    assert level(store, stocked) == (1, 0)
    assert ledger_sum(store, stocked) == 1
    movement = StockMovement.objects.get(reason=StockMovement.Reason.HOLD_COLLECTED)
    assert (movement.delta, movement.reference, movement.user) == (-1, f"hold #{hold.pk}", clerk)
    assert endings == [(hold.pk, Hold.Status.COLLECTED, False)]


def test_hold_collect_before_clock_started(store, stocked):
    hold = services.hold_collect(hold=place(store, stocked))
    assert hold.status == Hold.Status.COLLECTED


def test_hold_collect_released_hold_refused(store, stocked):
    hold = services.hold_release(hold=place(store, stocked))
    with pytest.raises(services.InvalidTransition) as info:
        services.hold_collect(hold=hold)
    assert info.value.current == Hold.Status.RELEASED
    assert level(store, stocked) == (2, 0)


def test_hold_collect_expired_hold_refused(store, stocked):
    hold = lapse(place(store, stocked))
    services.hold_expire_due()
    with pytest.raises(services.InvalidTransition):
        services.hold_collect(hold=hold)
    assert level(store, stocked) == (2, 0)
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.HOLD_COLLECTED).exists()


def test_hold_collect_lapsed_hold_expires_it_instead(store, stocked, announced, endings):
    hold = lapse(place(store, stocked))
    with pytest.raises(services.HoldExpired):
        services.hold_collect(hold=hold)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.EXPIRED
    assert level(store, stocked) == (2, 0)
    assert announced == [(store.pk, stocked.pk, 2)]
    assert endings == [(hold.pk, Hold.Status.EXPIRED, False)]


def test_hold_release_returns_pair_and_announces_restock(store, stocked, announced, endings):
    hold = place(store, stocked)
    place(store, stocked)
    announced.clear()
    hold = services.hold_release(hold=hold)
    assert hold.status == Hold.Status.RELEASED
    assert level(store, stocked) == (2, 1)
    assert announced == [(store.pk, stocked.pk, 1)]
    assert endings == [(hold.pk, Hold.Status.RELEASED, False)]
    assert ledger_sum(store, stocked) == 2


def test_hold_release_twice_refused(store, stocked, endings):
    hold = place(store, stocked)
    services.hold_release(hold=hold)
    with pytest.raises(services.InvalidTransition):
        services.hold_release(hold=hold)
    assert level(store, stocked) == (2, 0)
    assert len(endings) == 1


def test_hold_ended_not_sent_when_rolled_back(store, stocked, endings):
    hold = place(store, stocked)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.hold_release(hold=hold)
        raise RuntimeError
    assert endings == []
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE


def test_hold_expire_due_expires_only_lapsed_holds(store, stocked, announced, endings):
    other = StoreFactory()
    services.stock_receive(store=other, variant=stocked, quantity=1)
    first = place(store, stocked)
    running = services.hold_start_clock(hold=place(store, stocked))
    lapsed = lapse(first)
    lapsed_elsewhere = lapse(place(other, stocked))
    announced.clear()

    expired = services.hold_expire_due()

    assert sorted(expired) == sorted([lapsed.pk, lapsed_elsewhere.pk])
    statuses = dict(Hold.objects.values_list("pk", "status"))
    assert statuses == {lapsed.pk: "expired", running.pk: "active", lapsed_elsewhere.pk: "expired"}
    assert level(store, stocked) == (2, 1)
    assert level(other, stocked) == (1, 0)
    assert sorted(announced) == sorted([(store.pk, stocked.pk, 1), (other.pk, stocked.pk, 1)])
    assert sorted(pk for pk, outcome, _ in endings if outcome == "expired") == sorted(expired)
    assert services.hold_expire_due() == []


def test_stock_changes_that_take_stock_expire_lapsed_holds_first(store, stocked, endings):
    lapsed = lapse(place(store, stocked))
    services.stock_count(store=store, variant=stocked, counted=0)
    lapsed.refresh_from_db()
    assert lapsed.status == Hold.Status.EXPIRED
    assert level(store, stocked) == (0, 0)


def test_hold_expire_due_leaves_holds_whose_text_is_not_sent(store, stocked):
    place(store, stocked)
    assert services.hold_expire_due(now=timezone.now() + 1000 * HOUR) == []


def test_hold_expire_due_at_a_given_time(store, stocked):
    hold = services.hold_start_clock(hold=place(store, stocked))
    assert services.hold_expire_due(now=hold.expires_at - HOUR) == []
    assert services.hold_expire_due(now=hold.expires_at) == [hold.pk]


def test_hold_expire_due_many_in_batches(store, stocked, monkeypatch):
    monkeypatch.setattr(hold_services, "HOLD_EXPIRY_BATCH", 1)
    services.stock_receive(store=store, variant=stocked, quantity=1)
    placed = [place(store, stocked) for n in range(3)]
    holds = [lapse(hold) for hold in placed]
    assert services.hold_expire_due() == [hold.pk for hold in holds]
    assert level(store, stocked) == (3, 0)


def test_stock_sell_succeeds_past_a_lapsed_unprocessed_hold(store, stocked, endings):
    first = place(store, stocked)
    place(store, stocked)
    lapsed = lapse(first)
    assert level(store, stocked) == (2, 2)

    services.stock_sell(store=store, variant=stocked)

    assert Hold.objects.get(pk=lapsed.pk).status == Hold.Status.EXPIRED
    assert level(store, stocked) == (1, 1)
    assert ledger_sum(store, stocked) == 1
    assert endings == [(lapsed.pk, Hold.Status.EXPIRED, False)]


def test_stock_sell_still_blocked_by_a_running_hold(store, stocked):
    services.hold_start_clock(hold=place(store, stocked))
    services.hold_start_clock(hold=place(store, stocked))
    with pytest.raises(services.InsufficientStock):
        services.stock_sell(store=store, variant=stocked)
    assert Hold.objects.filter(status=Hold.Status.ACTIVE).count() == 2


def test_hold_current_excludes_lapsed_and_ended_holds(store, stocked):
    services.stock_receive(store=store, variant=stocked, quantity=2)
    running = services.hold_start_clock(hold=place(store, stocked))
    waiting_for_text = place(store, stocked)
    services.hold_release(hold=place(store, stocked))
    lapse(place(store, stocked))  # the last hold taken: nothing expires it
    assert set(current_holds()) == {running, waiting_for_text}
    assert lapsed_holds().count() == 1


@pytest.mark.postgres
def test_hold_place_concurrent_for_one_transfer_holds_one_pair(store, stocked):
    if connection.vendor != "postgresql":
        pytest.skip("needs Postgres row locks")
    transfer = TransferFactory(variant=stocked, to_store=store)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            services.hold_place(store=store, variant=stocked, transfer=transfer)
            outcomes.append("held")
        except services.HoldAlreadyActive:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 3 + ["held"]
    assert level(store, stocked) == (2, 1)


@pytest.mark.postgres
def test_hold_collect_and_expire_due_race_ends_hold_once(store, stocked):
    if connection.vendor != "postgresql":
        pytest.skip("needs Postgres row locks")
    services.stock_receive(store=store, variant=stocked, quantity=8)
    holds = [lapse(place(store, stocked)) for n in range(10)]
    barrier = threading.Barrier(len(holds) + 1)
    outcomes: list[str] = []

    def collect(hold: Hold) -> None:
        try:
            barrier.wait()
            services.hold_collect(hold=hold)
            outcomes.append("collected")
        except services.InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    def sweep() -> None:
        try:
            barrier.wait()
            services.hold_expire_due()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=collect, args=(h,)) for h in holds]
    threads.append(threading.Thread(target=sweep))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["refused"] * 10
    assert set(Hold.objects.values_list("status", flat=True)) == {"expired"}
    assert level(store, stocked) == (10, 0)


def test_hold_ends_at_a_full_hold_of_its_own_kind_from_when_told(store, stocked, settings):
    """One rule for "held until" before the clock runs (the pick-up page, a text waiting for
    the morning): a waitlist hold lasts HOLD_DURATION, a customer's own request
    PAIR_HOLD_DURATION; once the clock runs, its expiry."""
    settings.HOLD_DURATION, settings.PAIR_HOLD_DURATION = (
        datetime.timedelta(hours=24),
        datetime.timedelta(hours=3),
    )
    told = timezone.now() + datetime.timedelta(hours=8)
    waiting = place(store, stocked)
    request = Hold(store=store, variant=stocked, purpose=Hold.Purpose.REQUEST)
    assert services.hold_ends_at(waiting, told_at=told) == told + datetime.timedelta(hours=24)
    assert services.hold_ends_at(request, told_at=told) == told + datetime.timedelta(hours=3)
    started = services.hold_start_clock(hold=waiting)
    assert services.hold_ends_at(started, told_at=told) == started.expires_at
