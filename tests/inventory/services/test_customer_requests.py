"""Customers' own requests in inventory: the lead time of a route, where a pair could come
from, a transfer awaiting approval (approved, declined) and a pair held on request."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from inventory import services
from inventory.events import customer_transfer_declined
from inventory.leadtime import transfer_arrival_date, transfer_lead_days, working_days_after
from inventory.models import Hold, StockMovement, Transfer
from inventory.selectors import product_bring_dates, transfer_sources
from tests.inventory.views.helpers import available, stock

pytestmark = pytest.mark.django_db

PHONE = "+972502345678"
SUNDAY = date(2026, 11, 29)


def test_transfer_lead_days_takes_the_route_either_way_else_the_default(settings):
    settings.TRANSFER_LEAD_DAYS = 2
    settings.TRANSFER_ROUTE_LEAD_DAYS = {"warehouse>eilat": 4, "eilat>warehouse": 5, "haifa>jlm": 1}
    assert transfer_lead_days("warehouse", "eilat") == 4
    assert transfer_lead_days("eilat", "warehouse") == 5
    assert transfer_lead_days("jlm", "haifa") == 1  # given one way: both ways
    assert transfer_lead_days("haifa", "eilat") == 2


def test_working_days_after_skip_friday_and_saturday():
    thursday = SUNDAY + timedelta(days=4)
    assert working_days_after(SUNDAY, 2) == SUNDAY + timedelta(days=2)
    assert working_days_after(thursday, 1) == SUNDAY + timedelta(days=7)  # the next Sunday
    assert transfer_arrival_date("a", "b", thursday) == SUNDAY + timedelta(days=8)


def test_transfer_sources_count_the_warehouse_and_leave_a_branch_its_last_pair(shop, settings):
    settings.TRANSFER_SAFETY_STOCK = 1
    stock(shop.warehouse, shop.size_42, 3)
    sources = transfer_sources(variant_id=shop.size_42.pk, destination=shop.tel_aviv)
    # Haifa has 2 (1 to spare), Jerusalem 1 (keeps it), the warehouse 3.
    assert {s.store for s in sources} == {shop.haifa, shop.warehouse}
    assert {s.store: s.spare for s in sources} == {shop.haifa: 1, shop.warehouse: 3}
    # Same lead time: the nearer first (the warehouse in Rishon is nearer Tel Aviv than Haifa).
    assert sources[0].store == shop.warehouse


def test_transfer_sources_respect_a_stores_own_safety_stock(shop, settings):
    settings.TRANSFER_SAFETY_STOCK = 0
    shop.haifa.safety_stock = 2
    shop.haifa.save()
    sources = transfer_sources(variant_id=shop.size_42.pk, destination=shop.tel_aviv)
    # Haifa keeps both its pairs; Jerusalem (the default, 0 here) can send its one.
    assert [(s.store, s.spare) for s in sources] == [(shop.jerusalem, 1)]


def test_transfer_sources_rank_by_arrival_before_distance(shop, settings):
    stock(shop.warehouse, shop.size_42, 3)
    settings.TRANSFER_ROUTE_LEAD_DAYS = {"warehouse>tel-aviv": 4, "haifa>tel-aviv": 1}
    sources = transfer_sources(variant_id=shop.size_42.pk, destination=shop.tel_aviv, today=SUNDAY)
    assert [s.store for s in sources] == [shop.haifa, shop.warehouse]
    assert sources[0].arrival == SUNDAY + timedelta(days=1)


def test_product_bring_dates_one_query_for_every_size_and_shop(
    shop, settings, django_assert_num_queries
):
    settings.TRANSFER_ROUTE_LEAD_DAYS = {"haifa>jerusalem": 1}
    shops = [shop.tel_aviv, shop.haifa, shop.jerusalem]
    with django_assert_num_queries(1):
        dates = product_bring_dates(product=shop.product, destinations=shops, today=SUNDAY)
    assert dates[(shop.tel_aviv.pk, shop.size_42.pk)] == SUNDAY + timedelta(days=2)
    assert dates[(shop.jerusalem.pk, shop.size_42.pk)] == SUNDAY + timedelta(days=1)
    # Haifa's own pair does not count for Haifa; nobody else has one to spare.
    assert (shop.haifa.pk, shop.size_42.pk) not in dates
    # Size 43 is only in the warehouse: it can reach every shop.
    assert {key for key in dates if key[1] == shop.size_43.pk} == {
        (s.pk, shop.size_43.pk) for s in shops
    }


def test_transfer_request_for_customer_reserves_at_the_best_source_and_awaits_approval(shop):
    transfer = services.transfer_request_for_customer(
        variant=shop.size_43,
        to_store=shop.tel_aviv,
        customer_phone="050-234-5678",
        customer_language="en",
    )
    assert transfer.status == Transfer.Status.AWAITING_APPROVAL
    assert transfer.origin == Transfer.Origin.CUSTOMER
    assert (transfer.from_store, transfer.customer_phone) == (shop.warehouse, PHONE)
    assert transfer.expected_date == transfer_arrival_date(shop.warehouse, shop.tel_aviv)
    assert available(shop.warehouse, shop.size_43) == 29
    with pytest.raises(services.InvalidTransition):
        services.transfer_dispatch(transfer=transfer, user=None)


def test_transfer_request_for_customer_refuses_when_nobody_has_one_to_spare(shop):
    services.stock_sell(store=shop.haifa, variant=shop.size_42)
    with pytest.raises(services.NoTransferSource):
        services.transfer_request_for_customer(
            variant=shop.size_42, to_store=shop.tel_aviv, customer_phone=PHONE
        )
    assert available(shop.jerusalem, shop.size_42) == 1  # its last pair stays
    with pytest.raises(services.InvalidTransfer):
        services.transfer_request_for_customer(
            variant=shop.size_43, to_store=shop.warehouse, customer_phone=PHONE
        )


def test_transfer_approve_then_the_existing_flow_holds_and_texts(shop):
    transfer = services.transfer_request_for_customer(
        variant=shop.size_43, to_store=shop.tel_aviv, customer_phone=PHONE
    )
    approved = services.transfer_approve(transfer=transfer, user=None)
    assert approved.status == Transfer.Status.REQUESTED and approved.approved_at is not None
    with pytest.raises(services.InvalidTransition):
        services.transfer_approve(transfer=transfer, user=None)
    services.transfer_dispatch(transfer=transfer, user=None)
    services.transfer_receive(transfer=transfer, user=None)
    hold = Hold.objects.get(transfer=transfer)
    assert (hold.store, hold.customer_phone, hold.status) == (shop.tel_aviv, PHONE, "active")
    assert transfer.messages.count() == 0  # the arrival text hangs on the hold
    assert hold.messages.get().purpose == "transfer_arrived"


def test_transfer_decline_releases_the_pair_and_announces_with_the_reason(shop):
    transfer = services.transfer_request_for_customer(
        variant=shop.size_43, to_store=shop.tel_aviv, customer_phone=PHONE
    )
    heard = []

    def listener(sender, transfer, **kwargs):
        heard.append((transfer.status, transfer.decline_reason))

    customer_transfer_declined.connect(listener)
    try:
        with pytest.raises(services.InvalidTransfer):
            services.transfer_decline(transfer=transfer, user=None, reason="  ")
        declined = services.transfer_decline(
            transfer=transfer, user=None, reason="The last pair is  damaged"
        )
    finally:
        customer_transfer_declined.disconnect(listener)
    assert declined.status == Transfer.Status.DECLINED
    assert heard == [("declined", "The last pair is damaged")]
    assert available(shop.warehouse, shop.size_43) == 30
    assert not StockMovement.objects.filter(reference=f"transfer #{transfer.pk}").exists()


def test_transfer_decline_is_undone_when_its_text_cannot_be_written(shop):
    transfer = services.transfer_request_for_customer(
        variant=shop.size_43, to_store=shop.tel_aviv, customer_phone=PHONE
    )

    def broken(sender, **kwargs):
        raise RuntimeError("outbox down")

    customer_transfer_declined.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.transfer_decline(transfer=transfer, user=None, reason="Damaged")
    finally:
        customer_transfer_declined.disconnect(broken)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.AWAITING_APPROVAL
    assert available(shop.warehouse, shop.size_43) == 29


def test_hold_for_customer_reserves_one_pair_and_lasts_the_pair_hold_time(shop, settings):
    settings.PAIR_HOLD_DURATION = timedelta(hours=6)
    hold = services.hold_for_customer(
        store=shop.haifa, variant=shop.size_42, customer_phone=PHONE, language="en"
    )
    assert (hold.purpose, hold.expires_at) == (Hold.Purpose.REQUEST, None)
    assert available(shop.haifa, shop.size_42) == 1
    told = timezone.now()
    started = services.hold_start_clock(hold=hold, at=told)
    assert started.expires_at == told + timedelta(hours=6)


def test_hold_for_customer_refuses_twice_the_warehouse_and_an_empty_shelf(shop):
    services.hold_for_customer(store=shop.haifa, variant=shop.size_42, customer_phone=PHONE)
    with pytest.raises(services.HoldAlreadyActive):
        services.hold_for_customer(store=shop.haifa, variant=shop.size_42, customer_phone=PHONE)
    assert available(shop.haifa, shop.size_42) == 1
    with pytest.raises(services.InvalidHold):
        services.hold_for_customer(store=shop.warehouse, variant=shop.size_43, customer_phone=PHONE)
    with pytest.raises(services.InsufficientStock):
        services.hold_for_customer(store=shop.tel_aviv, variant=shop.size_42, customer_phone=PHONE)


def test_transfer_dispatch_without_a_date_expects_the_route_lead_time(shop, settings):
    settings.TRANSFER_ROUTE_LEAD_DAYS = {"haifa>tel-aviv": 5}
    transfer = services.transfer_request(
        variant=shop.size_42, from_store=shop.haifa, to_store=shop.tel_aviv, user=None
    )
    services.transfer_dispatch(transfer=transfer, user=None)
    transfer.refresh_from_db()
    assert transfer.expected_date == working_days_after(timezone.localdate(), 5)
