# ruff: noqa: F811  (the fixtures of test_launches, taken by name)
"""A launch entrant's number forgotten — by her deletion ("My data") or by the retention purge:
open entries withdrawn through the launch services, entries never drawn deleted, drawn ones kept
in the published order without the number (so the order still recomputes)."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from core.phones import mask_phone
from demand import selectors, services
from demand.models import Launch, LaunchAllocation, LaunchEntry
from inventory import services as inventory
from inventory.models import Hold
from notifications import services as messaging
from tests.demand.services.test_launches import (  # noqa: F401
    enter,
    launch,
    product,
    run_draw,
    shops,
    sizes,
)

pytestmark = pytest.mark.django_db(transaction=True)


def published(launch):
    return list(selectors.launch_published_rows(Launch.objects.get(pk=launch.pk)))


def recomputes(launch, rows):
    seed = bytes.fromhex(Launch.objects.get(pk=launch.pk).seed)
    codes = [code for _s, _v, code, _p, _r, _h in rows]
    key = lambda code: hmac.new(seed, code.encode(), hashlib.sha256).hexdigest()  # noqa: E731
    return codes == sorted(codes, key=key)


def drawn_days_ago(launch, days):
    draw_at = timezone.now() - timedelta(days=days)
    Launch.objects.filter(pk=launch.pk).update(
        opens_at=draw_at - timedelta(hours=2), closes_at=draw_at, draw_at=draw_at
    )


def test_number_erase_before_the_draw_withdraws_and_deletes_the_entry(launch, shops, sizes):
    gone, kept = enter(launch, shops[0], sizes[0], 2)
    messaging.number_erase(phone=gone.phone)
    assert list(LaunchEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    run_draw(launch)
    assert [code for _s, _v, code, *_ in published(launch)] == [kept.public_id]


def test_number_erase_after_the_draw_keeps_the_drawn_place_without_the_number(
    launch, shops, sizes, outbox
):
    enter(launch, shops[0], sizes[0], 4)
    inventory.stock_sell(store=shops[0], variant=sizes[0])  # the one pair not in the launch
    run_draw(launch)
    before = published(launch)
    winner, second, third, fourth = LaunchEntry.objects.filter(store=shops[0]).order_by("rank")
    phones = {e.phone for e in (winner, fourth)}

    # Next in line asks to be forgotten first: out of the line, the place kept.
    audit = messaging.number_erase(phone=fourth.phone)
    assert audit.counts["launch_entries_anonymised"] == 1
    # The winner: the held pair goes back and on to the next drawn, never to her again.
    audit = messaging.number_erase(phone=winner.phone)
    assert audit.counts["requests_ended"] == 1
    assert Hold.objects.get(pk=winner.hold_id).status == Hold.Status.RELEASED
    assert LaunchEntry.objects.get(pk=third.pk).status == LaunchEntry.Status.WON

    after = published(launch)
    assert [row[2:5:2] for row in after] == [row[2:5:2] for row in before]  # codes, places
    assert recomputes(launch, after)
    for entry, status in ((winner, "lapsed"), (fourth, "withdrawn")):
        entry.refresh_from_db()
        assert entry.erased and entry.status == status and entry.client_key == ""
        assert entry.public_id in entry.phone
    assert not LaunchEntry.objects.filter(phone__in=phones).exists()
    allocation = LaunchAllocation.objects.get(launch=launch, store=shops[0], variant=sizes[0])
    public = selectors.launch_public(Launch.objects.get(pk=launch.pk), allocation_id=allocation.pk)
    shown = {row.public_id: row.masked_phone for group in public.groups for row in group.rows}
    assert shown[winner.public_id] == shown[fourth.public_id] == ""  # no number, the place kept
    assert shown[second.public_id] == mask_phone(second.phone)

    # A pair that comes free later skips the entrant who left the line.
    inventory.hold_release(hold=Hold.objects.get(pk=LaunchEntry.objects.get(pk=second.pk).hold_id))
    assert LaunchEntry.objects.get(pk=fourth.pk).status == LaunchEntry.Status.WITHDRAWN


def test_retention_purge_forgets_entrants_of_launches_finished_long_ago(
    launch, shops, sizes, settings
):
    settings.ALERT_RETENTION_DAYS = 30
    enter(launch, shops[0], sizes[0], 3)
    run_draw(launch)
    withdrawn = LaunchEntry.objects.create(
        launch=launch,
        public_id="never1drawn",
        phone="+972509999999",
        store=shops[0],
        variant=sizes[0],
        status=LaunchEntry.Status.WITHDRAWN,
    )
    Hold.objects.filter(status=Hold.Status.ACTIVE).update(
        status=Hold.Status.EXPIRED, ended_at=timezone.now()
    )
    # Finished 29 days ago (drawn 31 days ago, a 48-hour pick-up window): kept for now.
    drawn_days_ago(launch, 31)
    counts = services.retention_purge()
    assert counts["launch_entries_anonymised"] == 0
    assert LaunchEntry.objects.filter(pk=withdrawn.pk).exists()

    drawn_days_ago(launch, 33)
    counts = services.retention_purge()
    assert (counts["launch_entries_anonymised"], counts["launch_entries_deleted"]) == (3, 1)
    assert all(entry.erased for entry in LaunchEntry.objects.all())
    rows = published(launch)
    assert len(rows) == 3 and recomputes(launch, rows)


def test_pickup_release_by_a_launch_winner_passes_the_pair_to_the_next_drawn(launch, shops, sizes):
    enter(launch, shops[0], sizes[0], 3)
    inventory.stock_sell(store=shops[0], variant=sizes[0])
    run_draw(launch)
    winner, _second, third = LaunchEntry.objects.filter(store=shops[0]).order_by("rank")
    services.pickup_release(hold=winner.hold, phone=winner.phone)
    assert LaunchEntry.objects.get(pk=winner.pk).status == LaunchEntry.Status.LAPSED
    assert LaunchEntry.objects.get(pk=third.pk).status == LaunchEntry.Status.WON


def test_retention_purge_keeps_the_confirmed_number_of_an_entrant_still_in_a_draw(
    launch, shops, sizes
):
    from notifications.models import ConfirmedNumber
    from tests.factories import ConfirmedNumberFactory

    entry, _other = enter(launch, shops[0], sizes[0], 2)
    ConfirmedNumberFactory(phone="+972529999999")  # waits for nothing
    ConfirmedNumber.objects.update(last_used_at=timezone.now() - timedelta(days=400))
    services.retention_purge()
    numbers = set(ConfirmedNumber.objects.values_list("phone", flat=True))
    assert entry.phone in numbers  # her draw's result still has to reach her
    assert "+972529999999" not in numbers
