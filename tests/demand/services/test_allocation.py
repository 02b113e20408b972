"""Allocation on restock: who gets the pairs, their holds and their texts."""

from datetime import datetime, timedelta
from unittest.mock import Mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from demand import services
from demand.models import WaitlistEntry
from demand.services import allocation
from inventory import services as inventory
from inventory.models import Hold, StockLevel
from notifications import services as messaging
from notifications.models import Message, OptOut
from tests.demand.helpers import entry_held_by
from tests.factories import StoreFactory, TransferFactory, UserFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def waiting(store, variant):
    """Ten people waiting for the size at the store, oldest first."""
    base = timezone.now() - timedelta(days=1)
    entries = []
    for i in range(10):
        entry = WaitlistEntryFactory(store=store, variant=variant)
        WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=base + timedelta(minutes=i))
        entries.append(entry)
    return entries


def level(store, variant) -> StockLevel:
    return StockLevel.objects.get(store=store, variant=variant)


def test_restock_ten_waiting_three_pairs_three_holds_and_three_texts(
    store, variant, waiting, outbox
):
    inventory.stock_receive(store=store, variant=variant, quantity=3)
    held = [e.pk for e in waiting[:3]]
    assert set(WaitlistEntry.objects.exclude(hold=None).values_list("pk", flat=True)) == set(held)
    assert Hold.objects.count() == 3
    assert sorted(m.to for m in outbox) == sorted(e.phone for e in waiting[:3])
    assert WaitlistEntry.objects.filter(status="active").count() == 7
    assert (level(store, variant).on_hand, level(store, variant).reserved) == (3, 3)


def test_waitlist_allocate_twice_for_one_pair_is_one_hold_and_one_text(
    store, variant, waiting, outbox
):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    services.waitlist_allocate(store_id=store.pk, variant_id=variant.pk)
    services.waitlist_allocate(store_id=store.pk, variant_id=variant.pk)
    assert Hold.objects.count() == 1
    assert len(outbox) == 1
    assert Message.objects.count() == 1


def test_waitlist_allocate_hold_text_names_model_size_store_until_and_phone(
    store, variant, waiting, outbox
):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    hold = Hold.objects.get()
    body = outbox[0].body
    assert variant.product.name in body and variant.size_label in body
    assert store.name_he in body and store.phone in body
    # Written a moment before it went (and the clock started): the same minute, or the one
    # before when a minute turned in between.
    assert any(
        timezone.localtime(hold.expires_at - timedelta(seconds=s)).strftime("%d/%m %H:%M") in body
        for s in (0, 2)
    )
    assert "/a/" in body


def test_waitlist_allocate_clock_starts_when_the_text_is_first_claimed(store, variant, waiting):
    before = timezone.now()
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    hold = Hold.objects.get()
    message = Message.objects.get()
    assert message.status == "sent"
    # The clock starts when the text is first claimed for sending, so a repeat names the same
    # time; the claim is renewed just before the text goes, and the provider takes it moments
    # later.
    assert hold.notified_at <= message.claimed_at <= message.sent_at
    assert hold.notified_at >= before
    assert hold.expires_at == hold.notified_at + timedelta(hours=24)


def test_waitlist_allocate_in_quiet_hours_waits_for_the_morning(
    settings, store, variant, waiting, outbox
):
    settings.QUIET_HOURS = "22:00-08:00"
    night = datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("Asia/Jerusalem"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: night)
        inventory.stock_receive(store=store, variant=variant, quantity=1)
    message = Message.objects.get()
    assert outbox == []
    assert timezone.localtime(message.send_after).hour == 8
    hold = Hold.objects.get()
    assert hold.expires_at is None  # the clock has not started
    # The periodic task sends it once the morning comes.
    assert messaging.messages_dispatch_due(now=night + timedelta(hours=1)) == []
    messaging.messages_dispatch_due(now=message.send_after)
    assert len(outbox) == 1
    hold.refresh_from_db()
    assert hold.expires_at is not None


def test_hold_expiry_offers_the_pair_to_the_next_person(store, variant, waiting, outbox):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    first = Hold.objects.get()
    inventory.hold_expire_due(now=first.expires_at + timedelta(seconds=1))
    first.refresh_from_db()
    assert first.status == "expired"
    assert WaitlistEntry.objects.get(pk=waiting[0].pk).status == "lapsed"
    second = Hold.objects.get(status="active")
    assert entry_held_by(second) == waiting[1].pk
    hold_texts = Message.objects.filter(purpose="hold_ready", status="sent")
    assert sorted(m.recipient for m in hold_texts) == [waiting[0].phone, waiting[1].phone]


def test_hold_release_by_staff_offers_the_pair_to_the_next_person(store, variant, waiting, outbox):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    inventory.hold_release(hold=Hold.objects.get(), user=UserFactory(is_staff=True))
    assert entry_held_by(Hold.objects.get(status="active")) == waiting[1].pk
    assert len(outbox) == 2


def test_hold_collect_marks_the_alert_collected(store, variant, waiting):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    inventory.hold_collect(hold=Hold.objects.get())
    assert WaitlistEntry.objects.get(pk=waiting[0].pk).status == "collected"
    assert Hold.objects.filter(status="active").count() == 0


def test_waitlist_cancel_held_pair_goes_to_the_next_person(store, variant, waiting, outbox):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    services.waitlist_cancel(entry=waiting[0])
    assert WaitlistEntry.objects.get(pk=waiting[0].pk).status == "cancelled"
    assert entry_held_by(Hold.objects.get(status="active")) == waiting[1].pk


def test_waitlist_cancel_ended_alert_is_refused(store, variant, waiting):
    services.waitlist_cancel(entry=waiting[0])
    with pytest.raises(messaging.AlertAlreadyEnded):
        services.waitlist_cancel(entry=waiting[0])


def test_waitlist_allocate_skips_opted_out_and_pending_numbers(store, variant, waiting, outbox):
    OptOut.objects.create(phone=waiting[0].phone, source="reply")
    WaitlistEntry.objects.filter(pk=waiting[1].pk).update(status="pending")
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    assert entry_held_by(Hold.objects.get()) == waiting[2].pk


def test_waitlist_allocate_nobody_waiting_leaves_the_pair_on_sale(store, variant, outbox):
    inventory.stock_receive(store=store, variant=variant, quantity=2)
    assert not Hold.objects.exists()
    assert level(store, variant).available == 2


def test_waitlist_allocate_other_store_is_not_touched(store, variant, waiting, outbox):
    inventory.stock_receive(store=StoreFactory(), variant=variant, quantity=5)
    assert not Hold.objects.exists() and outbox == []


def test_waitlist_allocate_pending_recovers_a_lost_allocation(
    store, variant, waiting, outbox, monkeypatch
):
    monkeypatch.setattr(services, "waitlist_queue_allocation", lambda *args: None)
    inventory.stock_receive(store=store, variant=variant, quantity=2)
    assert not Hold.objects.exists()
    monkeypatch.undo()
    assert services.waitlist_allocate_pending() == [(store.pk, variant.pk)]
    assert Hold.objects.count() == 2 and len(outbox) == 2


def test_verification_confirm_with_stock_already_there_holds_a_pair_at_once(store, variant, outbox):
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    result = services.waitlist_signup(
        phone="050-234-5678", variant=variant, store=store, language="en", client_ip="10.0.0.1"
    )
    code = outbox[-1].body[:6]
    services.waitlist_confirm(
        verification_id=result.verification_id,
        code=code,
        client_ip="10.0.0.1",
        entry_ids=[result.entry.pk],
    )
    assert entry_held_by(Hold.objects.get()) == result.entry.pk
    assert "held for you" in outbox[-1].body


def test_transfer_received_for_a_customer_texts_them_and_starts_the_clock(variant, outbox):
    source, destination = StoreFactory(), StoreFactory()
    user = UserFactory(is_staff=True)
    inventory.stock_receive(store=source, variant=variant, quantity=1)
    transfer = inventory.transfer_request(
        variant=variant,
        from_store=source,
        to_store=destination,
        customer_name="Dana",
        customer_phone="052-345-6789",
        customer_language="he",
        user=user,
    )
    transfer = inventory.transfer_dispatch(transfer=transfer, user=user)
    inventory.transfer_receive(transfer=transfer, user=user)
    message = Message.objects.get(purpose="transfer_arrived")
    assert message.status == "sent" and message.recipient == "+972523456789"
    assert outbox[-1].body.startswith("הגיע!")
    hold = Hold.objects.get(transfer=transfer)
    # The clock started as the text was claimed, just before it went.
    assert hold.notified_at is not None
    assert hold.notified_at <= message.claimed_at <= message.sent_at
    assert hold.expires_at == hold.notified_at + timedelta(hours=24)


def test_hold_place_many_reserves_all_or_nothing(store, variant):
    inventory.stock_receive(store=store, variant=variant, quantity=4)
    transfer = TransferFactory(variant=variant, to_store=store)
    requests = [inventory.HoldRequest(), inventory.HoldRequest(transfer_id=transfer.pk)]
    holds = inventory.hold_place_many(store=store, variant=variant, requests=requests)
    assert [h.purpose for h in holds] == ["waitlist", "transfer"] and all(h.pk for h in holds)
    with pytest.raises(inventory.HoldAlreadyActive):
        inventory.hold_place_many(
            store=store,
            variant=variant,
            requests=[inventory.HoldRequest(), inventory.HoldRequest(transfer_id=transfer.pk)],
        )
    with pytest.raises(inventory.InsufficientStock):
        inventory.hold_place_many(
            store=store, variant=variant, requests=[inventory.HoldRequest() for _n in range(3)]
        )
    assert level(store, variant).reserved == 2  # the refused calls reserved nothing
    assert Hold.objects.count() == 2


def test_waitlist_allocate_places_holds_and_points_entries_at_them_together(
    store, variant, waiting, outbox
):
    """A hold and its entry's link to it are written in one transaction: if anything after the
    holds fails, no pair stays reserved for an entry that does not know it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "waitlist_queue_allocation", lambda *args: None)
        inventory.stock_receive(store=store, variant=variant, quantity=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(allocation, "_hold_texts_create", Mock(side_effect=RuntimeError("crash")))
        with pytest.raises(RuntimeError):
            services.waitlist_allocate(store_id=store.pk, variant_id=variant.pk)
    assert not Hold.objects.exists() and level(store, variant).reserved == 0
    assert not WaitlistEntry.objects.exclude(hold=None).exists()
    services.waitlist_allocate(store_id=store.pk, variant_id=variant.pk)
    assert [entry_held_by(hold) for hold in Hold.objects.order_by("pk")] == [
        waiting[0].pk,
        waiting[1].pk,
    ]
    assert sorted(m.to for m in outbox) == sorted(e.phone for e in waiting[:2])
