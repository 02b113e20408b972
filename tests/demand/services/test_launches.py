"""Launch draws: creating a launch from stock, entering, the caps, the provably fair draw,
resuming it, and the next in line when a winner's pair comes free."""

import hashlib
import hmac
from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.utils import timezone

from core.phones import mask_phone
from core.ratelimit import RateLimited
from demand import selectors, services
from demand.models import Launch, LaunchAllocation, LaunchEntry
from demand.services import draw
from inventory import services as inventory
from inventory.models import Hold, StockLevel, Transfer
from notifications import services as messaging
from notifications.models import Message
from tests.factories import (
    ConfirmedNumberFactory,
    ProductFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def product(db):
    return ProductFactory(name="Jordan 4 Bred")


@pytest.fixture
def sizes(product):
    return [VariantFactory(product=product, eu_size=Decimal(42 + i)) for i in range(2)]


@pytest.fixture
def shops(db):
    return [StoreFactory(), StoreFactory()]


@pytest.fixture
def launch(product, sizes, shops):
    for shop in shops:
        for size in sizes:
            put_stock(shop, size, on_hand=3)
    now = timezone.now()
    return services.launch_create(
        product=product,
        times=services.LaunchTimes(
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=1),
            draw_at=now + timedelta(hours=2),
        ),
        pairs={(shops[0].pk, sizes[0].pk): 2, (shops[1].pk, sizes[0].pk): 1},
    )


def level(store, variant) -> StockLevel:
    return StockLevel.objects.get(store=store, variant=variant)


def enter(launch, store, variant, n: int, *, ip: str | None = None, result_text=True):
    """`n` confirmed numbers enter, each from its own address unless `ip` is given."""
    entries = []
    for i in range(n):
        phone = str(ConfirmedNumberFactory().phone)
        entries.append(
            services.launch_enter(
                launch=launch,
                store=store,
                variant=variant,
                phone=phone,
                client_ip=ip or f"10.1.{i // 250}.{i % 250 + 1}",
                result_text=result_text,
            )
        )
    return entries


def run_draw(launch):
    now = timezone.now()
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=now - timedelta(seconds=2), draw_at=now - timedelta(seconds=1)
    )
    return services.launch_draw(launch=launch.pk)


def test_launch_create_reserves_the_pairs_at_each_store_and_size(launch, shops, sizes):
    assert level(shops[0], sizes[0]).reserved == 2
    assert level(shops[1], sizes[0]).reserved == 1
    assert level(shops[0], sizes[1]).reserved == 0
    assert launch.commitment == hashlib.sha256(bytes.fromhex(launch.seed)).hexdigest()


def test_launch_create_cannot_promise_more_pairs_than_are_available(product, sizes, shops):
    put_stock(shops[0], sizes[0], on_hand=2, reserved=1)
    now = timezone.now()
    with pytest.raises(inventory.InsufficientStock) as refused:
        services.launch_create(
            product=product,
            times=services.LaunchTimes(now, now + timedelta(hours=1), now + timedelta(hours=2)),
            pairs={(shops[0].pk, sizes[0].pk): 2},
        )
    assert refused.value.shortfalls[0].available == 1
    assert not Launch.objects.exists()
    assert level(shops[0], sizes[0]).reserved == 1


def test_launch_create_refuses_the_warehouse(product, sizes):
    warehouse = StoreFactory(is_warehouse=True)
    put_stock(warehouse, sizes[0], on_hand=5)
    now = timezone.now()
    with pytest.raises(services.LaunchError):
        services.launch_create(
            product=product,
            times=services.LaunchTimes(now, now + timedelta(hours=1), now + timedelta(hours=2)),
            pairs={(warehouse.pk, sizes[0].pk): 2},
        )
    assert level(warehouse, sizes[0]).reserved == 0


def test_launch_set_pairs_gives_back_what_is_taken_out(launch, shops, sizes):
    services.launch_set_pairs(launch=launch, pairs={(shops[0].pk, sizes[0].pk): 0})
    assert level(shops[0], sizes[0]).reserved == 0


def test_launch_enter_one_entry_per_number_changing_size_replaces_it(launch, shops, sizes):
    phone = ConfirmedNumberFactory().phone
    first = services.launch_enter(
        launch=launch,
        store=shops[0],
        variant=sizes[0],
        phone=phone,
        client_ip="10.0.0.1",
        result_text=True,
    )
    again = services.launch_enter(
        launch=launch,
        store=shops[1],
        variant=sizes[0],
        phone=phone,
        client_ip="10.0.0.1",
        result_text=False,
    )
    assert LaunchEntry.objects.filter(launch=launch).count() == 1
    assert again.public_id == first.public_id
    assert (again.store_id, again.result_text) == (shops[1].pk, False)


def test_launch_enter_refuses_a_number_not_confirmed(launch, shops, sizes):
    with pytest.raises(services.LaunchError):
        services.launch_enter(
            launch=launch,
            store=shops[0],
            variant=sizes[0],
            phone="+972501234567",
            client_ip="10.0.0.1",
            result_text=True,
        )


def test_launch_enter_refuses_a_size_the_store_does_not_draw(launch, shops, sizes):
    phone = ConfirmedNumberFactory().phone
    with pytest.raises(services.LaunchError):
        services.launch_enter(
            launch=launch,
            store=shops[1],
            variant=sizes[1],
            phone=phone,
            client_ip="10.0.0.1",
            result_text=True,
        )


def test_launch_enter_refuses_after_entries_close(launch, shops, sizes):
    Launch.objects.filter(pk=launch.pk).update(closes_at=timezone.now())
    launch.refresh_from_db()
    with pytest.raises(services.LaunchError):
        enter(launch, shops[0], sizes[0], 1)


def test_launch_enter_caps_entries_per_address_and_per_ipv6_64(launch, shops, sizes, settings):
    settings.LAUNCH_ENTRIES_PER_CLIENT = 2
    enter(launch, shops[0], sizes[0], 2, ip="2001:db8:1:2::10")
    with pytest.raises(services.EntryCapReached):
        # Another address of the same /64 is the same client.
        enter(launch, shops[0], sizes[0], 1, ip="2001:db8:1:2:ffff::99")
    enter(launch, shops[0], sizes[0], 1, ip="2001:db8:1:3::10")
    assert LaunchEntry.objects.count() == 3


def test_launch_enter_rate_limited_per_address(launch, shops, sizes, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "launch_enter_per_ip": (2, 3600)}
    phone = ConfirmedNumberFactory().phone
    for _ in range(2):
        services.launch_enter(
            launch=launch,
            store=shops[0],
            variant=sizes[0],
            phone=phone,
            client_ip="10.9.9.9",
            result_text=True,
        )
    with pytest.raises(RateLimited):
        services.launch_enter(
            launch=launch,
            store=shops[0],
            variant=sizes[0],
            phone=phone,
            client_ip="10.9.9.9",
            result_text=True,
        )


def test_launch_duplicates_groups_an_address_and_a_run_of_numbers(launch, shops, sizes):
    shared = enter(launch, shops[0], sizes[0], 2, ip="10.7.7.7")
    for suffix in ("01", "02", "03"):
        ConfirmedNumberFactory(phone=f"+9725433331{suffix}")
        services.launch_enter(
            launch=launch,
            store=shops[0],
            variant=sizes[0],
            phone=f"+9725433331{suffix}",
            client_ip=f"10.8.0.{suffix}",
            result_text=False,
        )
    groups = selectors.launch_duplicates(launch)
    as_sets = [{e.pk for e in group.entries} for group in groups]
    assert {e.pk for e in shared} in as_sets
    assert any(len(s) == 3 for s in as_sets)


def test_launch_entry_disqualify_takes_it_out_of_the_draw(launch, shops, sizes):
    entry = enter(launch, shops[1], sizes[0], 1)[0]
    services.launch_entry_disqualify(entry=entry, note="reseller", user=UserFactory())
    result = run_draw(launch)
    assert result.winners == 0
    assert LaunchEntry.objects.get(pk=entry.pk).status == LaunchEntry.Status.DISQUALIFIED


def test_launch_draw_winners_held_and_texted_losers_told_if_they_asked(
    launch, shops, sizes, outbox
):
    entries = enter(launch, shops[0], sizes[0], 5)
    LaunchEntry.objects.filter(pk=entries[0].pk).update(result_text=False)
    result = run_draw(launch)
    assert (result.winners, result.in_line) == (2, 3)
    assert len(outbox) == 2  # the winners' texts first; the rest wait for the due sweep
    messaging.messages_dispatch_due()
    won = LaunchEntry.objects.filter(status=LaunchEntry.Status.WON)
    assert won.count() == 2
    assert all(e.hold.customer_phone == e.phone for e in won)
    assert level(shops[0], sizes[0]).reserved == 2  # the launch's pairs are now the holds
    texts = {m.to: m.body for m in outbox}
    for entry in won:
        assert "Jordan 4 Bred" in texts[entry.phone]
    losers = LaunchEntry.objects.filter(status=LaunchEntry.Status.IN_LINE)
    told = [e for e in losers if e.result_text]
    assert {e.phone for e in told} <= set(texts)
    assert all(e.phone not in texts for e in losers if not e.result_text)
    assert len(outbox) == 2 + len(told)


def test_launch_draw_publishes_the_seed_and_the_order_recomputes(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 6)
    public = selectors.launch_public(Launch.objects.get(pk=launch.pk))
    assert public.seed is None  # secret until the draw
    assert public.commitment == launch.commitment
    run_draw(launch)
    allocation = LaunchAllocation.objects.get(launch=launch, store=shops[0], variant=sizes[0])
    public = selectors.launch_public(Launch.objects.get(pk=launch.pk), allocation_id=allocation.pk)
    assert hashlib.sha256(bytes.fromhex(public.seed)).hexdigest() == public.commitment
    (group,) = [g for g in public.groups if g.store_id == shops[0].pk]
    assert group.entries == 6
    codes = [row.public_id for row in group.rows]
    recomputed = sorted(
        codes,
        key=lambda code: hmac.new(
            bytes.fromhex(public.seed), code.encode(), hashlib.sha256
        ).hexdigest(),
    )
    assert codes == recomputed
    assert [row.won for row in group.rows] == [True, True, False, False, False, False]
    phones = {e.public_id: e.phone for e in LaunchEntry.objects.all()}
    assert all(row.masked_phone == mask_phone(phones[row.public_id]) for row in group.rows)
    assert all(phones[row.public_id] != row.masked_phone for row in group.rows)


def test_launch_draw_twice_changes_nothing(launch, shops, sizes, outbox):
    enter(launch, shops[0], sizes[0], 4)
    run_draw(launch)
    before = list(LaunchEntry.objects.order_by("pk").values_list("pk", "status", "rank", "hold_id"))
    texts = len(outbox)
    services.launch_draw(launch=launch.pk)
    after = list(LaunchEntry.objects.order_by("pk").values_list("pk", "status", "rank", "hold_id"))
    assert after == before
    assert len(outbox) == texts
    assert Hold.objects.count() == 2


def test_launch_draw_resumes_after_a_crash_mid_draw(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 3)
    enter(launch, shops[1], sizes[0], 3)
    real = draw._draw_allocation
    calls = []

    def crash_on_second(allocation_id, *args, **kwargs):
        calls.append(allocation_id)
        if len(calls) == 2:
            raise ConnectionError("worker lost")
        return real(allocation_id, *args, **kwargs)

    with patch.object(draw, "_draw_allocation", crash_on_second), pytest.raises(ConnectionError):
        run_draw(launch)
    assert Launch.objects.get(pk=launch.pk).status == Launch.Status.DRAWING
    assert LaunchAllocation.objects.filter(drawn_at__isnull=False).count() == 1
    first = list(LaunchEntry.objects.exclude(rank=None).values_list("pk", "rank"))
    result = services.launch_draw(launch=launch.pk)
    assert result.sizes_drawn == 1
    assert Launch.objects.get(pk=launch.pk).status == Launch.Status.DRAWN
    assert set(first) <= set(LaunchEntry.objects.values_list("pk", "rank"))
    assert LaunchEntry.objects.filter(status=LaunchEntry.Status.WON).count() == 3


def test_launch_draw_fewer_entrants_than_pairs_gives_the_rest_back(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 1)
    run_draw(launch)
    assert level(shops[0], sizes[0]).reserved == 1  # the winner's hold only
    assert level(shops[1], sizes[0]).reserved == 0  # nobody entered there


def test_launch_draw_refuses_before_the_draw_time(launch):
    with pytest.raises(services.LaunchError):
        services.launch_draw(launch=launch.pk)


def test_winner_lapse_passes_the_pair_to_the_next_drawn(launch, shops, sizes, outbox):
    enter(launch, shops[0], sizes[0], 4)
    inventory.stock_sell(store=shops[0], variant=sizes[0])  # the one pair not in the launch
    run_draw(launch)
    order = list(LaunchEntry.objects.filter(store=shops[0]).order_by("rank"))
    first = order[0]
    inventory.hold_release(hold=first.hold)
    assert LaunchEntry.objects.get(pk=first.pk).status == LaunchEntry.Status.LAPSED
    third = LaunchEntry.objects.get(pk=order[2].pk)
    assert third.status == LaunchEntry.Status.WON
    assert third.hold.status == Hold.Status.ACTIVE
    assert LaunchEntry.objects.get(pk=order[3].pk).status == LaunchEntry.Status.IN_LINE
    assert Message.objects.filter(hold=third.hold, purpose=Message.Purpose.HOLD_READY).exists()


def test_winner_expired_hold_passes_the_pair_on(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 3)
    run_draw(launch)
    order = list(LaunchEntry.objects.filter(store=shops[0]).order_by("rank"))
    Hold.objects.filter(pk=order[0].hold_id).update(expires_at=timezone.now() - timedelta(1))
    inventory.hold_expire_due()
    assert LaunchEntry.objects.get(pk=order[2].pk).status == LaunchEntry.Status.WON


def test_launch_move_pairs_before_the_draw_through_a_transfer(launch, shops, sizes):
    user = UserFactory(is_staff=True)
    transfer = services.launch_move_pairs(
        launch=launch,
        variant=sizes[0],
        from_store=shops[0],
        to_store=shops[1],
        quantity=1,
        user=user,
    )
    assert transfer.status == Transfer.Status.REQUESTED
    assert level(shops[0], sizes[0]).reserved == 2  # one for the launch, one for the transfer
    target = LaunchAllocation.objects.get(launch=launch, store=shops[1], variant=sizes[0])
    assert (target.pairs, target.reserved) == (2, 1)
    inventory.transfer_dispatch(transfer=transfer, user=user)
    inventory.transfer_receive(transfer=transfer, user=user)
    target.refresh_from_db()
    assert target.reserved == 2  # set aside for the launch when it arrived
    assert level(shops[1], sizes[0]).reserved == 2


def test_launch_move_pairs_refuses_more_than_the_store_has(launch, shops, sizes):
    with pytest.raises(services.LaunchError):
        services.launch_move_pairs(
            launch=launch,
            variant=sizes[0],
            from_store=shops[1],
            to_store=shops[0],
            quantity=2,
            user=UserFactory(is_staff=True),
        )


def test_launch_draws_due_draws_a_launch_whose_time_has_come(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 3)
    assert services.launch_draws_due() == []  # not yet
    now = timezone.now()
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=now - timedelta(seconds=2), draw_at=now - timedelta(seconds=1)
    )
    assert services.launch_draws_due() == [launch.pk]  # queued; tasks run eagerly in tests
    assert Launch.objects.get(pk=launch.pk).status == Launch.Status.DRAWN
    assert services.launch_draws_due() == []


def test_launch_cancel_gives_every_pair_back(launch, shops, sizes):
    services.launch_cancel(launch=launch)
    assert level(shops[0], sizes[0]).reserved == 0
    assert level(shops[1], sizes[0]).reserved == 0
    with pytest.raises(services.LaunchError):
        services.launch_draw(launch=launch.pk)


def test_launch_enter_again_after_withdrawing(launch, shops, sizes):
    entry = enter(launch, shops[0], sizes[0], 1)[0]
    services.launch_entry_withdraw(entry=entry, phone=entry.phone)
    again = services.launch_enter(
        launch=launch,
        store=shops[1],
        variant=sizes[0],
        phone=entry.phone,
        client_ip="10.0.0.9",
        result_text=True,
    )
    assert again.pk == entry.pk and again.status == LaunchEntry.Status.ENTERED


def test_allocate_pending_reaches_the_next_in_line_when_the_task_was_lost(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 3)
    inventory.stock_sell(store=shops[0], variant=sizes[0])  # the one pair not in the launch
    run_draw(launch)
    first, second, third = LaunchEntry.objects.filter(store=shops[0]).order_by("rank")
    with patch("demand.services.allocation.queue_after_commit"):  # the restock's task is lost
        inventory.hold_release(hold=first.hold)
    assert LaunchEntry.objects.get(pk=third.pk).status == LaunchEntry.Status.IN_LINE
    assert (shops[0].pk, sizes[0].pk) in services.waitlist_allocate_pending()
    assert LaunchEntry.objects.get(pk=third.pk).status == LaunchEntry.Status.WON
