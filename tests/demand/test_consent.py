"""Consent records: what a customer agreed to, in the words her page showed, kept when her
number is proven, exportable for one number."""

import csv
import io
import re

import pytest
from django.urls import reverse as any_reverse
from django.utils import translation

from notifications.models import ConsentRecord
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def reverse(name):
    """The Hebrew (unprefixed) path, whatever language the last request left active."""
    with translation.override("he"):
        return any_reverse(name)


def signup_path(variant, store):
    return f"{reverse('demand:signup')}?variant={variant.pk}&store={store.pk}"


def post_signup(client, variant, store, prefix="", **extra):
    data = {"variant": variant.pk, "store": store.pk, "phone": "050-234-5678", "language": "he"}
    return client.post(prefix + signup_path(variant, store), {**data, **extra})


def code_in(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def test_signup_confirmed_by_code_keeps_the_service_consent_in_the_words_shown(
    client, variant, store, outbox
):
    page = client.get("/en" + signup_path(variant, store)).content.decode()
    post_signup(client, variant, store, prefix="/en")
    assert not ConsentRecord.objects.exists()  # not before the number is proven
    client.post("/en" + reverse("demand:confirm"), {"code": code_in(outbox)})
    record = ConsentRecord.objects.get()
    assert (record.phone, record.purpose, record.language) == (PHONE, "service", "en")
    assert record.by_code and record.channel == "sms"
    assert record.page == "/en" + signup_path(variant, store)
    assert record.wording.startswith("By sending this form you agree")
    assert record.wording in page  # exactly the words the page showed


def test_signup_in_hebrew_keeps_the_hebrew_words(client, variant, store, outbox):
    page = client.get(signup_path(variant, store)).content.decode()
    post_signup(client, variant, store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    record = ConsentRecord.objects.get()
    assert record.language == "he" and "STOP" in record.wording
    assert record.wording in page and "By sending" not in record.wording


def test_signup_promotional_consent_only_when_ticked(client, store, outbox):
    page = client.get(signup_path(VariantFactory(), store)).content.decode()
    assert re.search(r'<input type="checkbox" name="promotional"(?![^>]*checked)', page)
    post_signup(client, VariantFactory(), store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    assert list(ConsentRecord.objects.values_list("purpose", flat=True)) == ["service"]
    # The same browser, trusted now: a second form with the tick is recorded at once.
    post_signup(client, VariantFactory(), store, promotional="on")
    purposes = sorted(ConsentRecord.objects.values_list("purpose", "by_code"))
    assert purposes == [("promotional", False), ("service", False), ("service", True)]


def test_pair_request_confirmed_by_code_keeps_its_consent(client, shop, outbox):
    query = f"?variant={shop.size_42.pk}&store={shop.haifa.pk}"
    path = reverse("demand:pair_hold") + query
    client.post(path, {"phone": "050-234-5678", "language": "he", "promotional": "on"})
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    records = ConsentRecord.objects.order_by("purpose")
    assert [(r.purpose, r.page) for r in records] == [("promotional", path), ("service", path)]


def test_opt_out_withdraws_the_numbers_consent(client, variant, store, outbox):
    from notifications import services as messaging

    post_signup(client, variant, store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    messaging.phone_opt_out(phone=PHONE, source="reply")
    assert ConsentRecord.objects.get().withdrawn_at is not None


def test_consent_export_csv_has_every_record_of_the_selected_number_only(client, store, outbox):
    from notifications.services import Consent, consent_record

    shown = Consent(page="/alerts/", language="he", service="שירות", promotional="חדשות")
    consent_record(phone=PHONE, consent=shown, channel="sms", by_code=True)
    consent_record(phone=PHONE, consent=shown, channel="whatsapp", by_code=False)
    consent_record(phone="+972509999999", consent=shown, channel="sms", by_code=True)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    one = ConsentRecord.objects.filter(phone=PHONE).first()
    response = client.post(
        any_reverse("admin:notifications_consentrecord_changelist"),
        {"action": "export_csv", "_selected_action": [one.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["mobile", "purpose", "channel"]
    # (a leading "+" is kept as text, never read as a formula)
    assert len(rows) == 5 and {row[0] for row in rows[1:]} == {"'+97250•••••78"}
    assert {row[5] for row in rows[1:]} == {"שירות", "חדשות"}


def test_transfer_for_a_customer_keeps_her_consent_recorded_by_the_staff_member(
    client, shop, outbox
):
    from inventory.permissions import ROLE_SALESPEOPLE
    from tests.inventory.views.helpers import staff

    dana = staff(ROLE_SALESPEOPLE, shop.tel_aviv, "dana")
    client.force_login(dana)
    form = client.get(reverse("inventory:transfer_request")).content.decode()
    client.post(
        reverse("inventory:transfer_request"),
        {
            "variant": shop.size_42.sku,
            "from_store": shop.haifa.pk,
            "to_store": shop.tel_aviv.pk,
            "quantity": 1,
            "customer_name": "Noa",
            "customer_phone": "050-234-5678",
            "customer_language": "he",
        },
    )
    record = ConsentRecord.objects.get()
    assert (record.phone, record.purpose, record.by_code) == (PHONE, "service", False)
    assert record.recorded_by == dana and record.page == reverse("inventory:transfer_request")
    assert record.wording in form  # the words the staff member was shown to tell her


def open_launch(shop):
    from datetime import timedelta

    from django.utils import timezone

    from demand import services

    now = timezone.now()
    return services.launch_create(
        product=shop.product,
        times=services.LaunchTimes(
            now - timedelta(minutes=5), now + timedelta(hours=1), now + timedelta(hours=2)
        ),
        pairs={(shop.haifa.pk, shop.size_42.pk): 1},
    )


def test_launch_entry_confirmed_by_code_keeps_a_service_consent_for_the_draw(client, shop, outbox):
    launch = open_launch(shop)
    with translation.override("he"):
        path = any_reverse("demand:launch", args=[launch.pk])
    page = client.get(path).content.decode()
    assert reverse("storefront:privacy") in page
    assert re.search(r'<input type="checkbox" name="promotional"(?![^>]*checked)', page)
    entry = {"variant": shop.size_42.pk, "store": shop.haifa.pk, "language": "he"}
    client.post(path, {**entry, "phone": "050-234-5678", "result_text": "on"})
    assert not ConsentRecord.objects.exists()  # not before the number is proven
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    record = ConsentRecord.objects.get()  # no offers: the tick was left off
    assert (record.phone, record.purpose, record.page) == (PHONE, "service", path)
    assert "תוצאת ההגרלה" in record.wording  # the draw's result is a service text
    assert record.wording in page  # exactly the words the page showed
