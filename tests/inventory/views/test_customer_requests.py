"""Customers' requests in the transfer queue: who may approve or decline them, and what each
does."""

import pytest
from django.urls import reverse

from inventory import services
from inventory.models import Transfer
from inventory.permissions import ROLE_SALESPEOPLE
from tests.factories import ConfirmedNumberFactory
from tests.inventory.views.helpers import staff

pytestmark = pytest.mark.django_db
PHONE = "+972502345678"


@pytest.fixture
def request_for_tel_aviv(shop):
    ConfirmedNumberFactory(phone=PHONE)
    return services.transfer_request_for_customer(
        variant=shop.size_43, to_store=shop.tel_aviv, customer_phone=PHONE
    )


def test_queue_lists_customer_requests_with_their_buttons(
    client, salesperson, shop, request_for_tel_aviv
):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:transfers_requests"))
    page = response.content.decode()
    assert response.context["count_approve"] == 1
    assert f"#{request_for_tel_aviv.pk}" in page and "התבקשה באתר" in page
    assert reverse("inventory:transfer_approve", args=[request_for_tel_aviv.pk]) in page
    # Declining opens its own page, which shows the customer's text before it goes.
    assert reverse("declines:decline", args=[request_for_tel_aviv.pk]) in page


def test_approve_makes_it_an_ordinary_request(client, salesperson, shop, request_for_tel_aviv):
    client.force_login(salesperson)
    response = client.post(
        reverse("inventory:transfer_approve", args=[request_for_tel_aviv.pk]), follow=True
    )
    request_for_tel_aviv.refresh_from_db()
    assert request_for_tel_aviv.status == Transfer.Status.REQUESTED
    assert request_for_tel_aviv.approved_by == salesperson
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_staff_of_other_stores_may_not_decide(client, shop, request_for_tel_aviv):
    outsider = staff(ROLE_SALESPEOPLE, shop.jerusalem, "yael")
    client.force_login(outsider)
    for name in ("inventory:transfer_approve", "declines:decline"):
        response = client.post(
            reverse(name, args=[request_for_tel_aviv.pk]), {"reason": "x", "action": "send"}
        )
        assert response.status_code == 403
    request_for_tel_aviv.refresh_from_db()
    assert request_for_tel_aviv.status == Transfer.Status.AWAITING_APPROVAL


def test_approving_twice_says_why_not(client, salesperson, shop, request_for_tel_aviv):
    client.force_login(salesperson)
    url = reverse("inventory:transfer_approve", args=[request_for_tel_aviv.pk])
    client.post(url)
    response = client.post(url, follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "error"]  # the first approval's, then the refusal
