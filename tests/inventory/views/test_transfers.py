"""Transfer requests, the dispatch and incoming queues and their actions, each role's
permissions enforced on the server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory import services
from inventory.models import Hold, Transfer
from inventory.permissions import ROLE_SALESPEOPLE
from tests.factories import UserFactory
from tests.inventory.views.helpers import available, customer_transfer, staff

pytestmark = pytest.mark.django_db


def request_transfer(client, shop, follow=False, **fields):
    data = {
        "variant": shop.size_42.sku,
        "from_store": shop.haifa.pk,
        "to_store": shop.tel_aviv.pk,
        "quantity": 1,
        "customer_language": "he",
        "customer_name": "",
        "customer_phone": "",
        "note": "",
    }
    data.update(fields)
    return client.post(reverse("inventory:transfer_request"), data, follow=follow)


# --- transfer request -----------------------------------------------------------------------


def test_transfer_request_page_is_prefilled_from_the_finder(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(
        reverse("inventory:transfer_request"),
        {
            "variant": shop.size_42.pk,
            "from_store": shop.haifa.pk,
            "to_store": shop.tel_aviv.pk,
        },
    )
    form = response.context["form"]
    assert form.initial["variant"] == shop.size_42.sku
    assert form.initial["from_store"] == shop.haifa.pk
    assert form.initial["to_store"] == shop.tel_aviv.pk
    assert response.context["source_stock"]["available"] == 2


def test_transfer_request_for_a_customer_reserves_and_shows_the_transfer(client, salesperson, shop):
    client.force_login(salesperson)
    response = request_transfer(
        client,
        shop,
        customer_name="Noa Levi",
        customer_phone="050-234-5678",
        customer_language="en",
        note="Call after 5",
        follow=True,
    )
    transfer = Transfer.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "inventory:transfer_detail", args=[transfer.pk]
    )
    assert transfer.customer_phone == "+972502345678"
    assert transfer.requested_by == salesperson
    assert available(shop.haifa, shop.size_42) == 1
    html = response.content.decode()
    # The Hebrew page names it "העברה מס׳ <id>" (a bare "#<id>" would also match a colour).
    assert f"העברה מס׳ {transfer.pk}" in html and "Noa Levi" in html
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


@pytest.mark.parametrize(
    "fields, field, fragment",
    [
        ({"customer_name": "Noa", "customer_phone": "12345"}, "customer_phone", "not a valid"),
        (
            {"customer_name": "Noa", "customer_phone": "03-5551234"},
            "customer_phone",
            "not a mobile",
        ),
        ({"customer_name": "Noa"}, "customer_phone", "mobile number"),
        ({"to_store": "HAIFA"}, "to_store", "different"),
        ({"customer_phone": "0502345678", "quantity": 2}, "quantity", "one pair"),
        ({"variant": "NO-SUCH-SKU"}, "variant", "No size"),
    ],
)
def test_transfer_request_refusals_are_shown_on_the_form(
    client, salesperson, shop, fields, field, fragment
):
    if fields.get("to_store") == "HAIFA":
        fields["to_store"] = shop.haifa.pk
    client.force_login(salesperson)
    response = client.get("/en/")  # activate English for the messages below
    response = client.post(
        "/en/staff/transfers/new/",
        {
            "variant": shop.size_42.sku,
            "from_store": shop.haifa.pk,
            "to_store": shop.tel_aviv.pk,
            "quantity": 1,
            "customer_language": "he",
            **fields,
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert fragment in errors
    assert fragment in response.content.decode().replace("&#x27;", "'")
    assert not Transfer.objects.exists()
    assert available(shop.haifa, shop.size_42) == 2


def test_transfer_request_not_enough_stock_is_a_clear_error(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.post(
        "/en/staff/transfers/new/",
        {
            "variant": shop.size_42.sku,
            "from_store": shop.haifa.pk,
            "to_store": shop.tel_aviv.pk,
            "quantity": 3,
            "customer_language": "he",
        },
    )
    assert response.status_code == 200
    assert "Not enough stock" in " ".join(response.context["form"].non_field_errors())
    assert "Not enough stock" in response.content.decode()
    assert not Transfer.objects.exists()


def test_transfer_request_refused_to_a_role_without_it(client, shop, haifa_manager):
    client.force_login(UserFactory(is_staff=True))
    response = request_transfer(client, shop)
    assert response.status_code == 403
    assert not Transfer.objects.exists()


# --- queues and actions ---------------------------------------------------------------------


def test_queue_to_dispatch_lists_requests_from_the_managers_store(
    client, salesperson, haifa_manager, shop
):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    response = client.get(reverse("inventory:transfers"))
    rows = response.context["rows"]
    assert [r.transfer for r in rows] == [transfer]
    assert rows[0].can_dispatch and rows[0].can_cancel and not rows[0].can_receive
    assert reverse("inventory:transfer_dispatch", args=[transfer.pk]) in response.content.decode()


def test_salesperson_sees_no_dispatch_button_and_cannot_dispatch(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(salesperson)
    detail = client.get(reverse("inventory:transfer_detail", args=[transfer.pk]))
    assert reverse("inventory:transfer_dispatch", args=[transfer.pk]) not in detail.content.decode()
    response = client.post(reverse("inventory:transfer_dispatch", args=[transfer.pk]))
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_manager_of_another_store_cannot_dispatch(client, salesperson, tel_aviv_manager, shop):
    transfer = customer_transfer(shop, salesperson)  # from Haifa
    client.force_login(tel_aviv_manager)
    response = client.post(f"/en/staff/transfers/{transfer.pk}/dispatch/")
    assert response.status_code == 403
    assert "Only the staff of Haifa can dispatch" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_dispatch_then_receive_through_the_pages_holds_the_pair(
    client, salesperson, haifa_manager, tel_aviv_manager, shop
):
    transfer = customer_transfer(shop, salesperson)
    expected = timezone.localdate() + timedelta(days=3)

    client.force_login(haifa_manager)
    response = client.post(
        reverse("inventory:transfer_dispatch", args=[transfer.pk]),
        {"expected_date": expected.isoformat(), "next": reverse("inventory:transfers")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("inventory:transfers")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.expected_date) == (Transfer.Status.DISPATCHED, expected)
    assert transfer.dispatched_by == haifa_manager

    # Haifa's manager may not receive it in Tel Aviv.
    response = client.post(reverse("inventory:transfer_receive", args=[transfer.pk]))
    assert response.status_code == 403

    client.force_login(tel_aviv_manager)
    incoming = client.get(reverse("inventory:transfers_incoming"))
    rows = incoming.context["rows"]
    assert [r.transfer for r in rows] == [transfer] and rows[0].can_receive
    assert expected.strftime("%-d/%-m") in incoming.content.decode()

    response = client.post(reverse("inventory:transfer_receive", args=[transfer.pk]), follow=True)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED and transfer.received_by == tel_aviv_manager
    assert Hold.objects.get(transfer=transfer).status == Hold.Status.ACTIVE
    html = response.content.decode()
    assert "tlv_boss" in html and "haifa_boss" in html and "dana" in html  # the timeline

    history = client.get(reverse("inventory:transfers_history"))
    assert [r.transfer for r in history.context["rows"]] == [transfer]


def test_dispatch_with_a_past_date_is_refused_with_a_message(
    client, salesperson, haifa_manager, shop
):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/en/staff/transfers/{transfer.pk}/dispatch/",
        {"expected_date": yesterday.isoformat()},
        follow=True,
    )
    assert "cannot be in the past" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_receive_twice_is_a_clear_message_not_a_500(
    client, salesperson, haifa_manager, tel_aviv_manager, shop
):
    transfer = customer_transfer(shop, salesperson)
    services.transfer_dispatch(transfer=transfer, user=haifa_manager)
    services.transfer_receive(transfer=transfer, user=tel_aviv_manager)
    client.force_login(tel_aviv_manager)
    response = client.post(f"/en/staff/transfers/{transfer.pk}/receive/", follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_requester_can_cancel_and_the_pair_goes_back_on_sale(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    assert available(shop.haifa, shop.size_42) == 1
    client.force_login(salesperson)
    response = client.post(reverse("inventory:transfer_cancel", args=[transfer.pk]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED and transfer.cancelled_by == salesperson
    assert available(shop.haifa, shop.size_42) == 2


def test_someone_elses_salesperson_cannot_cancel(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    other = staff(ROLE_SALESPEOPLE, shop.jerusalem)
    client.force_login(other)
    assert client.post(reverse("inventory:transfer_cancel", args=[transfer.pk])).status_code == 403
    assert client.get(reverse("inventory:transfer_detail", args=[transfer.pk])).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_transfer_actions_need_post(client, salesperson, haifa_manager, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    response = client.get(reverse("inventory:transfer_dispatch", args=[transfer.pk]))
    assert response.status_code == 405


# --- the role matrix on the pages: who may act, and who to ask otherwise --------------------


def test_transfer_detail_salesperson_of_source_store_dispatches(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)  # Haifa -> Tel Aviv
    packer = staff(ROLE_SALESPEOPLE, shop.haifa, "yossi")
    client.force_login(packer)
    detail = client.get(f"/en/staff/transfers/{transfer.pk}/").content.decode()
    assert reverse("inventory:transfer_dispatch", args=[transfer.pk]) in detail
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.post(
        reverse("inventory:transfer_dispatch", args=[transfer.pk]), {"expected_date": tomorrow}
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.dispatched_by) == (Transfer.Status.DISPATCHED, packer)


def test_transfer_detail_salesperson_of_destination_store_receives(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    services.transfer_dispatch(transfer=transfer, user=None)
    client.force_login(salesperson)  # Tel Aviv, the destination
    detail = client.get(f"/en/staff/transfers/{transfer.pk}/").content.decode()
    assert reverse("inventory:transfer_receive", args=[transfer.pk]) in detail
    client.post(reverse("inventory:transfer_receive", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert (transfer.status, transfer.received_by) == (Transfer.Status.RECEIVED, salesperson)


def test_transfer_detail_without_the_button_says_who_dispatches(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(salesperson)  # Tel Aviv cannot dispatch from Haifa
    english = client.get(f"/en/staff/transfers/{transfer.pk}/").content.decode()
    assert "The staff of Haifa dispatch it." in english
    hebrew = client.get(f"/staff/transfers/{transfer.pk}/").content.decode()
    assert "שולח אותה" in hebrew


def test_transfer_queue_tells_a_colleague_who_may_cancel(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    colleague = staff(ROLE_SALESPEOPLE, shop.haifa, "yossi")
    client.force_login(colleague)
    page = client.get(f"/en/staff/transfers/{transfer.pk}/").content.decode()
    assert reverse("inventory:transfer_cancel", args=[transfer.pk]) not in page
    assert "Whoever requested it, or a manager of either store, can cancel it." in page


def test_transfer_status_badge_is_feminine_in_hebrew(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(salesperson)
    page = client.get(f"/staff/transfers/{transfer.pk}/").content.decode()
    assert "התבקשה" in page
    queue = client.get("/staff/transfers/history/").content.decode()
    assert "לפני 0" not in queue and "עכשיו" in queue


def test_transfer_queue_expected_day_reads_with_the_word_day_in_hebrew(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    services.transfer_dispatch(
        transfer=transfer, user=None, expected_date=timezone.localdate() + timedelta(days=2)
    )
    client.force_login(salesperson)
    page = client.get("/staff/transfers/incoming/").content.decode()
    assert "צפויה להגיע ביום " in page
    assert "ב־ראשון" not in page and "נשלחה" in page


def test_transfer_queue_names_the_customer_who_asked_on_the_website(client, haifa_manager, shop):
    """A customer's own request says who asked (their number masked), never "by —"."""
    transfer = services.transfer_request_for_customer(
        variant=shop.size_42, to_store=shop.tel_aviv, customer_phone="0502345679"
    )
    Transfer.objects.filter(pk=transfer.pk).update(status=Transfer.Status.REQUESTED)
    client.force_login(haifa_manager)
    page = client.get("/en/staff/transfers/").content.decode()
    assert "by —" not in page
    assert 'by the customer (<bdi dir="ltr">+97250•••••79</bdi>)' in page
    hebrew = client.get(f"/staff/transfers/{transfer.pk}/").content.decode()
    assert "על ידי הלקוח (" in hebrew and "+97250•••••79" in hebrew
