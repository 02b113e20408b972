"""The customer gives the pair up from their text's page while the desk hands it over or the
hold runs out: one outcome, never both (real threads on separate PostgreSQL connections)."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from demand import services
from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, StockLevel
from notifications import services as messaging
from tests.factories import StoreFactory, VariantFactory
from tests.inventory.test_concurrency import run_together
from tests.pickup import held_pair

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")


def outcome(entry: WaitlistEntry, hold: Hold) -> tuple[str, str, int, int]:
    entry.refresh_from_db()
    hold.refresh_from_db()
    level = StockLevel.objects.get(store=hold.store_id, variant=hold.variant_id)
    return hold.status, entry.status, level.on_hand, level.reserved


def test_pickup_release_while_the_desk_marks_it_collected_is_one_or_the_other(outbox):
    seen = set()
    for _ in range(ROUNDS):
        entry, hold, _message = held_pair(StoreFactory(), VariantFactory())
        results = run_together(
            [
                partial(services.pickup_release, hold=hold, phone=entry.phone),
                partial(inventory.hold_collect, hold=hold),
            ]
        )
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 1, results
        assert isinstance(failures[0], messaging.AlertAlreadyEnded | inventory.InvalidTransition)
        state = outcome(entry, hold)
        assert state in {("released", "cancelled", 1, 0), ("collected", "collected", 0, 0)}
        seen.add(state[0])
    assert seen  # (which one wins each round is the scheduler's choice)


def test_pickup_release_while_the_hold_expires_is_one_or_the_other(outbox):
    for _ in range(ROUNDS):
        entry, hold, _message = held_pair(StoreFactory(), VariantFactory())
        Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        results = run_together(
            [
                partial(services.pickup_release, hold=hold, phone=entry.phone),
                inventory.hold_expire_due,
            ]
        )
        released = not isinstance(results[0], Exception)
        state = outcome(entry, hold)
        if released:
            assert state == ("released", "cancelled", 1, 0)
        else:
            assert isinstance(results[0], messaging.AlertAlreadyEnded)
            assert state == ("expired", "lapsed", 1, 0)
