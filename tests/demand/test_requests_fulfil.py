"""Carrying out a confirmed number's requests: one typed outcome each, never an exception."""

import pytest
from django.core.cache import cache

from demand import services
from demand.services import PairWanted
from inventory.models import Hold, Transfer
from tests.factories import ConfirmedNumberFactory
from tests.inventory.views import conftest as shop_fixtures

# Stores in real cities, a warehouse and one shoe in two sizes.
shop = shop_fixtures.shop
pytestmark = pytest.mark.django_db
PHONE = "+972502345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_requests_fulfil_holds_brings_and_says_why_not(shop):
    ConfirmedNumberFactory(phone=PHONE)
    outcomes = services.requests_fulfil(
        phone=PHONE,
        wanted=[
            PairWanted("hold", shop.size_42.pk, shop.haifa.pk, "he"),
            PairWanted("bring", shop.size_43.pk, shop.tel_aviv.pk, "en"),
            PairWanted("hold", shop.size_42.pk, shop.warehouse.pk, "he"),  # not a shop
            PairWanted("hold", shop.size_42.pk, shop.jerusalem.pk, "he"),
            PairWanted("hold", shop.size_42.pk, shop.jerusalem.pk, "he"),  # the fourth pair
        ],
    )
    held, brought, not_offered, third, over = outcomes
    assert Hold.objects.get(pk=held.hold_id).customer_phone == PHONE
    assert Transfer.objects.get(pk=brought.transfer_id).customer_language == "en"
    assert not_offered.error and not not_offered.limit_reached
    assert third.hold_id is not None
    assert over.limit_reached and "3" in over.error and over.hold_id is None
