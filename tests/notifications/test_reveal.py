"""Least privilege: staff see customers' numbers masked; seeing one in full is a permission,
asked for with a reason, and every reveal is recorded with who and why."""

import pytest
from django.urls import reverse

from notifications.models import PhoneReveal
from tests.factories import HoldFactory, UserFactory, WaitlistEntryFactory, staff_user

pytestmark = pytest.mark.django_db
PHONE = "+972502345678"


def reveal_url(kind, pk):
    return reverse("notifications:phone_reveal", kwargs={"kind": kind, "pk": pk})


def allowed():
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_phone_numbers"))
    return user


def test_phone_reveal_asks_why_then_shows_the_number_and_records_it(client):
    entry = WaitlistEntryFactory(phone=PHONE)
    user = allowed()
    client.force_login(user)
    page = client.get(reveal_url("entry", entry.pk)).content.decode()
    assert PHONE not in page and "+97250•••••78" in page and 'name="reason"' in page
    assert not PhoneReveal.objects.exists()  # asking is not seeing
    shown = client.post(reveal_url("entry", entry.pk), {"reason": "to call about her pair"})
    assert f'href="tel:{PHONE}"' in shown.content.decode()
    reveal = PhoneReveal.objects.get()
    assert (reveal.user, reveal.reason) == (user, "to call about her pair")
    assert reveal.subject == f"demand.waitlistentry #{entry.pk}" and reveal.masked != PHONE


def test_phone_reveal_without_a_reason_shows_nothing(client):
    entry = WaitlistEntryFactory(phone=PHONE)
    client.force_login(allowed())
    response = client.post(reveal_url("entry", entry.pk), {"reason": " "})
    assert PHONE not in response.content.decode() and not PhoneReveal.objects.exists()


def test_phone_reveal_is_refused_without_the_permission(client):
    entry = WaitlistEntryFactory(phone=PHONE)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reveal_url("entry", entry.pk)).status_code == 403
    response = client.post(reveal_url("entry", entry.pk), {"reason": "curious"})
    assert response.status_code == 403 and not PhoneReveal.objects.exists()


def test_phone_reveal_of_a_hold_for_its_stores_staff_only(client, store):
    from inventory.models import Hold

    hold = HoldFactory(store=store, status=Hold.Status.ACTIVE, ended_at=None, customer_phone=PHONE)
    client.force_login(staff_user("Salespeople"))  # another store's
    assert client.get(reveal_url("hold", hold.pk)).status_code == 403
    client.force_login(staff_user("Salespeople", store=store))
    shown = client.post(reveal_url("hold", hold.pk), {"reason": "customer asked us to call"})
    assert PHONE in shown.content.decode() and PhoneReveal.objects.count() == 1


def test_phone_reveal_of_an_unknown_record_is_not_found(client):
    client.force_login(allowed())
    assert client.get(reveal_url("entry", 999999)).status_code == 404
    assert client.get(reveal_url("nothing", 1)).status_code == 404


def test_phone_reveals_are_listed_in_the_admin(client):
    entry = WaitlistEntryFactory(phone=PHONE)
    client.force_login(allowed())
    client.post(reveal_url("entry", entry.pk), {"reason": "to call about her pair"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:notifications_phonereveal_changelist")).content.decode()
    assert "to call about her pair" in page and PHONE not in page


def test_transfer_admin_masks_the_customers_number(client):
    from tests.factories import TransferFactory

    transfer = TransferFactory(customer_phone=PHONE, customer_name="Dana")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:inventory_transfer_change", args=[transfer.pk]))
    html = page.content.decode()
    assert PHONE not in html and "+97250•••••78" in html
    assert reveal_url("transfer", transfer.pk) in html
