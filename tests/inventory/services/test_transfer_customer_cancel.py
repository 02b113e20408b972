"""A customer calls off their own transfer from "My requests": only theirs, only before it
leaves the source; the reserved pair goes back on sale."""

import pytest

from inventory import services
from inventory.models import Transfer
from tests.inventory.views import conftest as shop_fixtures
from tests.inventory.views.helpers import available

# Stores in real cities, a warehouse and one shoe in two sizes.
shop = shop_fixtures.shop
pytestmark = pytest.mark.django_db
PHONE = "+972502345678"


@pytest.fixture
def request_for_customer(shop):
    return services.transfer_request_for_customer(
        variant=shop.size_43, to_store=shop.tel_aviv, customer_phone=PHONE
    )


def test_transfer_cancel_by_customer_awaiting_approval_releases_the_pair(
    shop, request_for_customer
):
    source = request_for_customer.from_store
    before = available(source, shop.size_43)
    cancelled = services.transfer_cancel_by_customer(transfer=request_for_customer, phone=PHONE)
    assert cancelled.status == Transfer.Status.CANCELLED and cancelled.cancelled_at is not None
    assert available(source, shop.size_43) == before + 1


def test_transfer_cancel_by_customer_approved_too(shop, request_for_customer):
    services.transfer_approve(transfer=request_for_customer, user=None)
    cancelled = services.transfer_cancel_by_customer(transfer=request_for_customer.pk, phone=PHONE)
    assert cancelled.status == Transfer.Status.CANCELLED


def test_transfer_cancel_by_customer_refuses_another_number(shop, request_for_customer):
    with pytest.raises(services.InvalidTransfer):
        services.transfer_cancel_by_customer(transfer=request_for_customer, phone="+972523456789")
    with pytest.raises(services.InvalidTransfer):
        services.transfer_cancel_by_customer(transfer=request_for_customer, phone="")
    with pytest.raises(services.InvalidTransfer):
        services.transfer_cancel_by_customer(transfer=10**9, phone=PHONE)
    request_for_customer.refresh_from_db()
    assert request_for_customer.status == Transfer.Status.AWAITING_APPROVAL


def test_transfer_cancel_by_customer_refuses_once_on_the_road(shop, request_for_customer):
    services.transfer_approve(transfer=request_for_customer, user=None)
    services.transfer_dispatch(transfer=request_for_customer, user=None)
    with pytest.raises(services.InvalidTransition):
        services.transfer_cancel_by_customer(transfer=request_for_customer, phone=PHONE)
    request_for_customer.refresh_from_db()
    assert request_for_customer.status == Transfer.Status.DISPATCHED
