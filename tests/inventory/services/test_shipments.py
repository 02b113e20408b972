"""Inbound shipments: receive all or part, in the ledger, refusing what a warehouse would."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from inventory import services
from inventory.models import InboundShipment, InboundShipmentLine, StockLevel, StockMovement
from tests.factories import (
    InboundShipmentFactory,
    InboundShipmentLineFactory,
    StaffProfileFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    role_group,
)

Status = InboundShipment.Status


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the site's default language is Hebrew."""
    with translation.override("en"):
        yield


def on_hand(store, variant) -> int:
    level = StockLevel.objects.filter(store=store, variant=variant).first()
    return level.on_hand if level else 0


def ledger_sum(store, variant) -> int:
    total = StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))
    return total["s"] or 0


@pytest.fixture
def shipment():
    """An expected shipment of two sizes: 6 and 4 pairs."""
    shipment = InboundShipmentFactory(reference="PO-2024-001")
    InboundShipmentLineFactory(shipment=shipment, quantity=6)
    InboundShipmentLineFactory(shipment=shipment, quantity=4)
    return shipment


def lines_of(shipment) -> list[InboundShipmentLine]:
    return list(shipment.lines.order_by("pk"))


@pytest.mark.django_db
def test_shipment_create_records_the_lines(store):
    a, b = VariantFactory.create_batch(2)
    shipment = services.shipment_create(
        reference="PO-9",
        store=store,
        expected_date=date(2030, 1, 2),
        supplier="Acme",
        lines=[(a, 3), (b.pk, 2)],
    )
    assert shipment.status == Status.EXPECTED
    assert sorted(
        shipment.lines.values_list("variant_id", "quantity", "received_quantity")
    ) == sorted([(a.pk, 3, 0), (b.pk, 2, 0)])


@pytest.mark.django_db
def test_shipment_create_refuses_no_lines_a_size_twice_a_zero_and_a_used_reference(store):
    variant = VariantFactory()
    future = date(2030, 1, 2)
    with pytest.raises(services.InvalidQuantity):
        services.shipment_create(reference="PO-1", store=store, expected_date=future, lines=[])
    with pytest.raises(services.InvalidQuantity):
        services.shipment_create(
            reference="PO-1", store=store, expected_date=future, lines=[(variant, 1), (variant, 2)]
        )
    with pytest.raises(services.InvalidQuantity):
        services.shipment_create(
            reference="PO-1", store=store, expected_date=future, lines=[(variant, 0)]
        )
    services.shipment_create(
        reference="PO-1", store=store, expected_date=future, lines=[(variant, 1)]
    )
    with pytest.raises(services.StockError) as info:
        services.shipment_create(
            reference="PO-1", store=store, expected_date=future, lines=[(variant, 1)]
        )
    assert "PO-1" in info.value.message
    assert InboundShipment.objects.count() == 1


@pytest.mark.django_db
def test_shipment_receive_everything_adds_stock_and_marks_it_received(shipment):
    user = UserFactory()
    movements = services.shipment_receive(shipment=shipment, user=user)
    first, second = lines_of(shipment)
    assert shipment.status == Status.RECEIVED and shipment.received_at is not None
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.RECEIVED
    assert (on_hand(shipment.store, first.variant), on_hand(shipment.store, second.variant)) == (
        6,
        4,
    )
    assert {(m.reason, m.reference, m.user) for m in movements} == {
        (StockMovement.Reason.RECEIPT, "PO-2024-001", user)
    }
    assert (first.received_quantity, second.received_quantity) == (6, 4)
    assert ledger_sum(shipment.store, first.variant) == 6


@pytest.mark.django_db
def test_shipment_receive_part_keeps_it_open_until_the_rest_arrives(shipment):
    first, second = lines_of(shipment)
    services.shipment_receive(shipment=shipment, quantities={first.pk: 2})
    # Open for the rest, which is now on its way.
    assert shipment.status == Status.IN_TRANSIT
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.IN_TRANSIT
    assert on_hand(shipment.store, first.variant) == 2
    assert on_hand(shipment.store, second.variant) == 0

    services.shipment_receive(shipment=shipment, quantities={first.pk: 4, second.pk: 1})
    assert shipment.status == Status.IN_TRANSIT
    services.shipment_receive(shipment=shipment)  # the rest: 3 of the second size
    assert shipment.status == Status.RECEIVED
    assert (on_hand(shipment.store, first.variant), on_hand(shipment.store, second.variant)) == (
        6,
        4,
    )
    assert [line.received_quantity for line in lines_of(shipment)] == [6, 4]
    assert StockMovement.objects.filter(reference="PO-2024-001").count() == 4


@pytest.mark.django_db
def test_shipment_receive_more_than_expected_is_refused_naming_the_line(shipment):
    first, second = lines_of(shipment)
    services.shipment_receive(shipment=shipment, quantities={first.pk: 5})
    with pytest.raises(services.InvalidReceipt) as info:
        services.shipment_receive(shipment=shipment, quantities={first.pk: 2, second.pk: 1})
    assert set(info.value.errors) == {first.pk}
    message = info.value.errors[first.pk]
    assert first.variant.sku in message and "only 1 of 6" in message
    # Nothing from the refused receipt was booked, not even the valid line.
    assert on_hand(shipment.store, first.variant) == 5
    assert on_hand(shipment.store, second.variant) == 0
    assert [line.received_quantity for line in lines_of(shipment)] == [5, 0]


@pytest.mark.django_db
def test_shipment_receive_refuses_a_line_of_another_shipment_and_negative_quantities(shipment):
    first, _ = lines_of(shipment)
    stranger = InboundShipmentLineFactory()
    with pytest.raises(services.InvalidReceipt) as info:
        services.shipment_receive(shipment=shipment, quantities={stranger.pk: 1, first.pk: -1})
    assert set(info.value.errors) == {stranger.pk, first.pk}
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_shipment_receive_of_nothing_is_refused(shipment):
    first, second = lines_of(shipment)
    with pytest.raises(services.InvalidReceipt):
        services.shipment_receive(shipment=shipment, quantities={first.pk: 0, second.pk: 0})
    with pytest.raises(services.InvalidReceipt):
        services.shipment_receive(shipment=shipment, quantities={})
    assert shipment.status == Status.EXPECTED


@pytest.mark.django_db
def test_shipment_receive_of_a_received_or_cancelled_shipment_is_refused(shipment):
    services.shipment_receive(shipment=shipment)
    with pytest.raises(services.InvalidTransition):
        services.shipment_receive(shipment=shipment)
    cancelled = InboundShipmentLineFactory().shipment
    services.shipment_cancel(shipment=cancelled)
    with pytest.raises(services.InvalidTransition) as info:
        services.shipment_receive(shipment=cancelled)
    assert cancelled.reference in info.value.message
    assert StockMovement.objects.filter(reference=cancelled.reference).count() == 0


@pytest.mark.django_db
def test_shipment_receive_with_a_stale_copy_sees_the_current_status(shipment):
    stale = InboundShipment.objects.get(pk=shipment.pk)
    services.shipment_receive(shipment=shipment)
    with pytest.raises(services.InvalidTransition):
        services.shipment_receive(shipment=stale)
    assert on_hand(shipment.store, lines_of(shipment)[0].variant) == 6


@pytest.mark.django_db
def test_shipment_mark_in_transit_moves_expected_on_and_can_set_a_new_date(shipment):
    new_date = date.today() + timedelta(days=3)
    services.shipment_mark_in_transit(shipment=shipment, expected_date=new_date)
    stored = InboundShipment.objects.get(pk=shipment.pk)
    assert (stored.status, stored.expected_date) == (Status.IN_TRANSIT, new_date)
    with pytest.raises(services.InvalidTransition):
        services.shipment_mark_in_transit(shipment=shipment)
    services.shipment_receive(shipment=shipment)
    assert shipment.status == Status.RECEIVED


@pytest.mark.django_db
def test_shipment_cancel_closes_an_open_shipment_and_keeps_what_arrived(shipment):
    first, _ = lines_of(shipment)
    services.shipment_mark_in_transit(shipment=shipment)
    services.shipment_receive(shipment=shipment, quantities={first.pk: 2})
    services.shipment_cancel(shipment=shipment)
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.CANCELLED
    assert on_hand(shipment.store, first.variant) == 2
    with pytest.raises(services.InvalidTransition):
        services.shipment_cancel(shipment=shipment)
    with pytest.raises(services.InvalidTransition):
        services.shipment_mark_in_transit(shipment=shipment)


@pytest.mark.django_db
def test_shipment_receive_and_cancel_record_who_did_it(shipment):
    clerk, manager = UserFactory(is_staff=True), UserFactory(is_staff=True)
    first, _ = lines_of(shipment)
    services.shipment_receive(shipment=shipment, quantities={first.pk: 6}, user=clerk)
    assert shipment.received_by_id is None  # still open: the rest is on its way
    services.shipment_receive(shipment=shipment, user=clerk)
    stored = InboundShipment.objects.get(pk=shipment.pk)
    assert (stored.received_by, shipment.received_by_id) == (clerk, clerk.pk)

    other = InboundShipmentFactory()
    services.shipment_cancel(shipment=other, user=manager)
    stored = InboundShipment.objects.get(pk=other.pk)
    assert stored.cancelled_by == manager and stored.cancelled_at is not None


@pytest.mark.django_db
def test_shipment_cancel_of_a_received_shipment_is_refused(shipment):
    services.shipment_receive(shipment=shipment)
    with pytest.raises(services.InvalidTransition):
        services.shipment_cancel(shipment=shipment)
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.RECEIVED


# --- Admin: actions and the receive page ----------------------------------------------------


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:inventory_inboundshipment_{name}", args=args)


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def manager_of(client):
    """Log in a manager whose home store is the given one."""

    def make(store):
        user = UserFactory(is_staff=True)
        user.groups.add(role_group("Store managers"))
        StaffProfileFactory(user=user, home_store=store)
        client.force_login(user)
        return user

    return make


@pytest.mark.django_db
def test_admin_receive_action_receives_everything_outstanding(client, superuser, shipment):
    first, second = lines_of(shipment)
    services.shipment_receive(shipment=shipment, quantities={first.pk: 1})
    response = client.post(
        admin_url("changelist"),
        {"action": "receive_shipments", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.RECEIVED
    assert (on_hand(shipment.store, first.variant), on_hand(shipment.store, second.variant)) == (
        6,
        4,
    )
    assert StockMovement.objects.filter(reference=shipment.reference).first().user == superuser
    assert "1 shipment received into stock." in shown_messages(response)


@pytest.mark.django_db
def test_admin_receive_action_reports_a_shipment_it_cannot_receive(client, superuser, shipment):
    services.shipment_cancel(shipment=shipment)
    response = client.post(
        admin_url("changelist"),
        {"action": "receive_shipments", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    [message] = shown_messages(response)
    assert shipment.reference in message and "cannot be received" in message
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_admin_mark_in_transit_and_cancel_actions(client, superuser, shipment):
    other = InboundShipmentLineFactory().shipment
    client.post(
        admin_url("changelist"),
        {"action": "mark_shipments_in_transit", "_selected_action": [shipment.pk, other.pk]},
    )
    assert set(InboundShipment.objects.values_list("status", flat=True)) == {Status.IN_TRANSIT}
    response = client.post(
        admin_url("changelist"),
        {"action": "cancel_shipments", "_selected_action": [other.pk]},
        follow=True,
    )
    assert InboundShipment.objects.get(pk=other.pk).status == Status.CANCELLED
    assert "1 shipment cancelled." in shown_messages(response)


@pytest.mark.django_db
def test_admin_receive_action_refuses_a_manager_of_another_store(client, manager_of, shipment):
    manager_of(StoreFactory())
    response = client.post(
        admin_url("changelist"),
        {"action": "receive_shipments", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.EXPECTED
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_admin_change_page_links_to_the_receive_page_while_open(client, superuser, shipment):
    response = client.get(admin_url("change", shipment.pk))
    assert admin_url("receive", shipment.pk) in response.content.decode()
    services.shipment_receive(shipment=shipment)
    response = client.get(admin_url("change", shipment.pk))
    assert admin_url("receive", shipment.pk) not in response.content.decode()


@pytest.mark.django_db
def test_admin_receive_page_books_the_quantities_entered(client, manager_of, shipment):
    user = manager_of(shipment.store)
    first, second = lines_of(shipment)
    page = client.get(admin_url("receive", shipment.pk))
    assert page.status_code == 200
    assert first.variant.sku in page.content.decode()
    response = client.post(
        admin_url("receive", shipment.pk),
        {f"line_{first.pk}": "6", f"line_{second.pk}": "0"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == admin_url("change", shipment.pk)
    assert "6 pairs received; the rest of PO-2024-001 is still expected." in shown_messages(
        response
    )
    assert on_hand(shipment.store, first.variant) == 6
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.IN_TRANSIT
    assert StockMovement.objects.get(variant=first.variant).user == user

    response = client.post(
        admin_url("receive", shipment.pk), {f"line_{second.pk}": "4"}, follow=True
    )
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.RECEIVED
    assert "4 pairs received; shipment PO-2024-001 is complete." in shown_messages(response)


@pytest.mark.django_db
def test_admin_receive_page_shows_errors_for_bad_quantities(client, superuser, shipment):
    first, second = lines_of(shipment)
    for data in (
        {f"line_{first.pk}": "7", f"line_{second.pk}": "0"},  # more than expected
        {f"line_{first.pk}": "-1"},
        {f"line_{first.pk}": "two"},
        {f"line_{first.pk}": "0", f"line_{second.pk}": ""},  # nothing at all
    ):
        response = client.post(admin_url("receive", shipment.pk), data)
        assert response.status_code == 200
        assert 'class="errornote"' in response.content.decode()
    assert (
        "Only 6 pairs of this size are still expected."
        in client.post(
            admin_url("receive", shipment.pk), {f"line_{first.pk}": "7"}
        ).content.decode()
    )
    assert not StockMovement.objects.exists()
    assert InboundShipment.objects.get(pk=shipment.pk).status == Status.EXPECTED


@pytest.mark.django_db
def test_admin_receive_page_for_a_closed_shipment_goes_back_with_a_message(
    client, superuser, shipment
):
    services.shipment_receive(shipment=shipment)
    response = client.post(
        admin_url("receive", shipment.pk), {f"line_{lines_of(shipment)[0].pk}": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == admin_url("change", shipment.pk)
    assert any("nothing to receive" in m for m in shown_messages(response))
    assert on_hand(shipment.store, lines_of(shipment)[0].variant) == 6


@pytest.mark.django_db
def test_admin_receive_page_is_refused_to_other_stores_and_unknown_ids(
    client, manager_of, shipment
):
    manager_of(StoreFactory())
    assert client.get(admin_url("receive", shipment.pk)).status_code == 403
    assert (
        client.post(
            admin_url("receive", shipment.pk), {f"line_{lines_of(shipment)[0].pk}": "1"}
        ).status_code
        == 403
    )
    assert client.get(admin_url("receive", 999999)).status_code == 404
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_admin_receive_page_speaks_hebrew_by_default(client, superuser, shipment):
    first, _ = lines_of(shipment)
    with translation.override("he"):
        url = reverse("admin:inventory_inboundshipment_receive", args=[shipment.pk])
    response = client.post(url, {f"line_{first.pk}": "9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "קליטה למלאי" in page
    assert "מהמידה הזאת צפויים להגיע רק עוד 6 זוגות." in page
