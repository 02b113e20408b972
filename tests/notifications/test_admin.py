"""The admin: masked numbers, a read-only SMS log with a retry action, the budget banner."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from demand.models import WaitlistEntry
from notifications.models import Message, OptOut
from tests.factories import UserFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def staff(*perms, superuser=False):
    user = UserFactory(is_staff=True, is_superuser=superuser)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return user


@pytest.fixture
def viewer(client):
    client.force_login(
        staff(
            "demand.view_waitlistentry",
            "demand.change_waitlistentry",
            "notifications.view_message",
            "notifications.view_optout",
        )
    )
    return client


def test_waitlist_admin_masks_numbers_without_the_permission(viewer):
    WaitlistEntryFactory(phone=PHONE)
    page = viewer.get(reverse("admin:demand_waitlistentry_changelist")).content.decode()
    assert PHONE not in page
    assert "+97250•••••78" in page


def test_waitlist_admin_masks_numbers_even_for_those_allowed_and_links_the_reveal(client):
    client.force_login(staff("demand.view_waitlistentry", "notifications.view_phone_numbers"))
    entry = WaitlistEntryFactory(phone=PHONE)
    page = client.get(reverse("admin:demand_waitlistentry_changelist") + "?q=%2B972502345678")
    assert page.context["cl"].result_count == 1  # they may look a number up
    assert "+97250•••••78" in page.content.decode()
    reveal = reverse("notifications:phone_reveal", kwargs={"kind": "entry", "pk": entry.pk})
    assert reveal in page.content.decode()
    detail = client.get(reverse("admin:demand_waitlistentry_change", args=[entry.pk]))
    assert PHONE not in detail.content.decode() and reveal in detail.content.decode()


def test_waitlist_admin_search_by_number_is_only_for_those_allowed(viewer):
    WaitlistEntryFactory(phone=PHONE)
    url = reverse("admin:demand_waitlistentry_changelist") + "?q=%2B972502345678"
    # Searching a number must not confirm that it is on a list.
    assert viewer.get(url).context["cl"].result_count == 0


def test_waitlist_admin_cancel_action(viewer):
    entry = WaitlistEntryFactory(phone=PHONE)
    viewer.post(
        reverse("admin:demand_waitlistentry_changelist"),
        {"action": "cancel_entries", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.status == "cancelled"


def test_sms_admin_is_read_only_and_hides_codes(viewer):
    code = Message.objects.create(
        recipient=PHONE, body="123456 is your code", purpose="verification", idempotency_key="v1"
    )
    page = viewer.get(reverse("admin:notifications_message_change", args=[code.pk]))
    assert page.status_code == 200
    assert "123456" not in page.content.decode()
    assert "_save" not in page.content.decode()


def test_sms_admin_retry_action_requeues_failed_texts(client, outbox):
    client.force_login(staff("notifications.view_message", "notifications.change_message"))
    failed = Message.objects.create(
        recipient=PHONE,
        body="hi",
        purpose="other",
        idempotency_key="f1",
        status="failed",
        attempts=6,
    )
    client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "retry_failed", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert outbox[0].body == "hi"


def test_sms_admin_filters_by_status_and_purpose(viewer):
    Message.objects.create(
        recipient=PHONE, body="a", purpose="other", idempotency_key="a", status="failed"
    )
    page = viewer.get(
        reverse("admin:notifications_message_changelist")
        + "?status__exact=failed&purpose__exact=other"
    )
    assert page.status_code == 200


def test_admin_budget_banner_when_the_daily_budget_is_spent(viewer, settings):
    settings.SMS_DAILY_BUDGET = 1
    Message.objects.create(recipient=PHONE, body="a", purpose="other", idempotency_key="a")
    with translation.override("he"):  # the Hebrew admin, whatever an earlier test activated
        page = viewer.get(reverse("admin:notifications_message_changelist"))
    banner = [str(m) for m in page.context["messages"]]
    assert any("תקציב" in m and "1 מתוך 1" in m for m in banner)


def test_optout_admin_add_normalises_and_cancels_waiting_alerts(client):
    client.force_login(staff(superuser=True))
    entry = WaitlistEntryFactory(phone=PHONE)
    response = client.post(reverse("admin:notifications_optout_add"), {"phone": "050-234-5678"})
    assert response.status_code == 302
    assert OptOut.objects.get().phone == PHONE
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "cancelled"
