from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from demand import services
from demand.models import TransferSuggestion, WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, StockLevel, Transfer
from notifications.models import OptOut
from tests.factories import (
    StoreFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stores():
    """Tel Aviv (customers wait), Ramat Gan (5 km), Haifa (80 km)."""
    return {
        "tlv": StoreFactory(code="tlv", latitude=Decimal("32.0853"), longitude=Decimal("34.7818")),
        "rg": StoreFactory(code="rg", latitude=Decimal("32.0684"), longitude=Decimal("34.8248")),
        "hfa": StoreFactory(code="hfa", latitude=Decimal("32.7940"), longitude=Decimal("34.9896")),
    }


@pytest.fixture
def size():
    return VariantFactory()


def waiting(store, variant, count, *, days_ago=0):
    entries = WaitlistEntryFactory.create_batch(count, store=store, variant=variant)
    if days_ago:
        WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return entries


def test_refresh_serves_the_waiting_customers_from_the_nearest_surplus(stores, size):
    put_stock(stores["rg"], size, on_hand=3)  # 3 - safety 1 = 2 spare
    put_stock(stores["hfa"], size, on_hand=5)  # 4 spare, but further away
    entries = waiting(stores["tlv"], size, 3)

    proposed = services.transfer_suggestions_refresh()

    routes = {(s.from_store.code, s.to_store.code): s for s in proposed}
    assert set(routes) == {("rg", "tlv"), ("hfa", "tlv")}
    assert set(routes[("rg", "tlv")].entries.values_list("pk", flat=True)) == {
        entries[0].pk,
        entries[1].pk,
    }
    assert list(routes[("hfa", "tlv")].entries.values_list("pk", flat=True)) == [entries[2].pk]
    assert routes[("rg", "tlv")].distance_km < 10 < routes[("hfa", "tlv")].distance_km


def test_refresh_longest_wait_gets_the_scarce_pair(stores, size):
    put_stock(stores["hfa"], size, on_hand=2)  # one spare pair
    recent = waiting(stores["tlv"], size, 1, days_ago=1)
    oldest = waiting(stores["rg"], size, 1, days_ago=9)

    [suggestion] = services.transfer_suggestions_refresh()

    assert suggestion.to_store == stores["rg"]
    assert list(suggestion.entries.all()) == oldest
    assert recent[0] not in suggestion.entries.all()


def test_refresh_keeps_the_sources_own_waiting_list_and_safety_stock(stores, size, settings):
    settings.TRANSFER_SAFETY_STOCK = 2
    put_stock(stores["rg"], size, on_hand=3)  # 3 - 1 waiting - 2 safety = 0
    waiting(stores["rg"], size, 1)
    stores["hfa"].safety_stock = 0
    stores["hfa"].save()
    put_stock(stores["hfa"], size, on_hand=1)  # its own setting: the one pair is spare
    waiting(stores["tlv"], size, 2)

    proposed = services.transfer_suggestions_refresh()

    assert [(s.from_store.code, s.entries.count()) for s in proposed] == [("hfa", 1)]


def test_refresh_leaves_customers_their_own_store_or_a_shipment_will_serve(stores, size):
    put_stock(stores["hfa"], size, on_hand=9)
    put_stock(stores["tlv"], size, on_hand=1)
    inventory.shipment_create(
        reference="PO-1",
        store=stores["tlv"],
        expected_date=timezone.localdate() + timedelta(days=3),
        lines=[(size, 1)],
    )
    entries = waiting(stores["tlv"], size, 3)

    [suggestion] = services.transfer_suggestions_refresh()

    assert list(suggestion.entries.all()) == [entries[2]]


def test_refresh_skips_opted_out_numbers_and_withdraws_what_is_no_longer_needed(stores, size):
    put_stock(stores["rg"], size, on_hand=5)
    [entry] = waiting(stores["tlv"], size, 1)
    [suggestion] = services.transfer_suggestions_refresh()

    OptOut.objects.create(phone=entry.phone, source=OptOut.Source.REPLY)
    assert services.transfer_suggestions_refresh() == []

    suggestion.refresh_from_db()
    assert suggestion.status == TransferSuggestion.Status.WITHDRAWN


def test_refresh_twice_keeps_one_suggestion_per_route(stores, size):
    put_stock(stores["rg"], size, on_hand=5)
    waiting(stores["tlv"], size, 1)
    first = services.transfer_suggestions_refresh()
    waiting(stores["tlv"], size, 1)
    second = services.transfer_suggestions_refresh()

    assert [s.pk for s in first] == [s.pk for s in second]
    assert second[0].entries.count() == 2
    assert TransferSuggestion.objects.count() == 1


def test_approve_requests_a_customer_transfer_per_entry_through_the_transfer_flow(stores, size):
    put_stock(stores["rg"], size, on_hand=5)
    entries = waiting(stores["tlv"], size, 2)
    [suggestion] = services.transfer_suggestions_refresh()
    manager = staff_user("Store managers", stores["tlv"])

    transfers = services.transfer_suggestion_approve(suggestion=suggestion, user=manager)

    assert sorted(t.customer_phone for t in transfers) == sorted(e.phone for e in entries)
    assert all(
        t.status == Transfer.Status.REQUESTED and t.requested_by == manager for t in transfers
    )
    level = StockLevel.objects.get(store=stores["rg"], variant=size)
    assert level.reserved == 2
    for entry in entries:
        entry.refresh_from_db()
        assert entry.status == WaitlistEntry.Status.TRANSFER
    suggestion.refresh_from_db()
    assert suggestion.status == TransferSuggestion.Status.APPROVED
    assert set(suggestion.transfers.all()) == set(transfers)

    # The rest is the usual flow: dispatched, received, held for the customer and texted.
    transfer = transfers[0]
    inventory.transfer_dispatch(transfer=transfer, user=manager)
    inventory.transfer_receive(transfer=transfer, user=manager)
    entry = WaitlistEntry.objects.get(transfer=transfer)
    assert entry.status == WaitlistEntry.Status.HELD
    assert entry.hold.purpose == Hold.Purpose.TRANSFER
    assert entry.hold.customer_phone == entry.phone
    assert entry.hold.messages.exists()

    # A refresh never proposes the served customers again.
    assert services.transfer_suggestions_refresh() == []


def test_approve_twice_is_a_clear_refusal(stores, size):
    put_stock(stores["rg"], size, on_hand=5)
    waiting(stores["tlv"], size, 1)
    [suggestion] = services.transfer_suggestions_refresh()
    services.transfer_suggestion_approve(suggestion=suggestion, user=None)

    with (
        translation.override("en"),
        pytest.raises(services.SuggestionUnavailable, match="already approved"),
    ):
        services.transfer_suggestion_approve(suggestion=suggestion, user=None)
    assert Transfer.objects.count() == 1


def test_approve_after_the_surplus_was_sold_withdraws_it_and_changes_nothing(stores, size):
    put_stock(stores["rg"], size, on_hand=2)
    [entry] = waiting(stores["tlv"], size, 1)
    [suggestion] = services.transfer_suggestions_refresh()
    inventory.stock_sell(store=stores["rg"], variant=size)  # one left: the safety stock

    with (
        translation.override("en"),
        pytest.raises(services.SuggestionUnavailable, match="no longer available"),
    ):
        services.transfer_suggestion_approve(suggestion=suggestion, user=None)

    assert not Transfer.objects.exists()
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.ACTIVE
    suggestion.refresh_from_db()
    assert suggestion.status == TransferSuggestion.Status.WITHDRAWN


def test_dismiss_keeps_the_route_away_for_the_snooze(stores, size, settings):
    settings.TRANSFER_SUGGESTION_SNOOZE_DAYS = 3
    put_stock(stores["rg"], size, on_hand=5)
    put_stock(stores["hfa"], size, on_hand=5)
    waiting(stores["tlv"], size, 1)
    [suggestion] = services.transfer_suggestions_refresh()
    assert suggestion.from_store == stores["rg"]

    services.transfer_suggestion_dismiss(suggestion=suggestion, user=None)

    # The next nearest store is suggested instead; after the snooze, the dismissed route again.
    [instead] = services.transfer_suggestions_refresh()
    assert instead.from_store == stores["hfa"]
    later = timezone.now() + timedelta(days=4)
    [again] = services.transfer_suggestions_refresh(now=later)
    assert again.from_store == stores["rg"]


def test_cancelled_suggested_transfer_puts_the_customer_back_in_line(
    stores, size, django_capture_on_commit_callbacks
):
    put_stock(stores["rg"], size, on_hand=5)
    [entry] = waiting(stores["tlv"], size, 1, days_ago=5)
    [suggestion] = services.transfer_suggestions_refresh()
    [transfer] = services.transfer_suggestion_approve(suggestion=suggestion, user=None)

    with django_capture_on_commit_callbacks(execute=True):
        inventory.transfer_cancel(transfer=transfer, user=None)

    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.ACTIVE
    assert entry.transfer is None
    assert entry.created_at < timezone.now() - timedelta(days=4)  # their place in the queue
    assert StockLevel.objects.get(store=stores["rg"], variant=size).reserved == 0


def test_hold_of_a_suggested_transfer_ends_on_the_entry(
    stores, size, django_capture_on_commit_callbacks
):
    put_stock(stores["rg"], size, on_hand=5)
    waiting(stores["tlv"], size, 1)
    [suggestion] = services.transfer_suggestions_refresh()
    [transfer] = services.transfer_suggestion_approve(suggestion=suggestion, user=None)
    inventory.transfer_dispatch(transfer=transfer, user=None)
    inventory.transfer_receive(transfer=transfer, user=None)
    entry = WaitlistEntry.objects.get(transfer=transfer)

    with django_capture_on_commit_callbacks(execute=True):
        inventory.hold_collect(hold=entry.hold, user=None)

    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.COLLECTED
