"""Holds' claims become typed fields: existing rows are converted, and the way back rebuilds
the claims."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demand.models import WaitlistEntry
from inventory.models import Hold
from tests.factories import HoldFactory, TransferFactory, WaitlistEntryFactory

BEFORE = [("inventory", "0005_dashboard_indexes")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_hold_claims_become_purpose_fields_and_a_claim_that_cannot_be_read_stops_it(store, variant):
    """One trip back (going back and forth past these migrations takes most of a minute)."""
    transfer = TransferFactory(variant=variant, to_store=store)
    waiting = HoldFactory(store=store, variant=variant, status="active")
    entry = WaitlistEntryFactory(store=store, variant=variant, status="held", hold=waiting)
    arrived = HoldFactory(store=store, variant=variant, transfer=transfer)
    try:
        old = migrate(BEFORE).get_model("inventory", "Hold")
        assert dict(old.objects.values_list("pk", "claim")) == {
            waiting.pk: f"waitlist:{entry.pk}",
            arrived.pk: f"transfer:{transfer.pk}",
        }
        later = old.objects.create(store_id=store.pk, variant_id=variant.pk, claim="waitlist:12")
        odd = old.objects.create(store_id=store.pk, variant_id=variant.pk, claim="demo:3")

        # A claim the migration cannot read stops it, naming the hold, and changes nothing.
        with pytest.raises(RuntimeError, match=rf"Holds \[{odd.pk}\]"):
            migrate(latest())
        assert old.objects.get(pk=odd.pk).claim == "demo:3"

        old.objects.filter(pk=odd.pk).update(claim="waitlist:3")
        migrate(latest())
        rows = {hold.pk: (hold.purpose, hold.transfer_id) for hold in Hold.objects.all()}
        assert rows == {
            waiting.pk: (Hold.Purpose.WAITLIST, None),
            arrived.pk: (Hold.Purpose.TRANSFER, transfer.pk),
            later.pk: (Hold.Purpose.WAITLIST, None),
            odd.pk: (Hold.Purpose.WAITLIST, None),
        }
        # The entry keeps pointing at its hold (the link lives on the demand side now).
        assert WaitlistEntry.objects.get(pk=entry.pk).hold_id == waiting.pk
    finally:
        migrate(latest())
