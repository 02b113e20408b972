"""WhatsApp on the customer's pages: the choice at sign-up, the manage page, the debug inbox,
the console backend."""

import io
import re

import pytest
from django.urls import reverse

from notifications.backends.console import ConsoleBackend
from notifications.models import ConfirmedNumber, Message, PhoneVerification
from notifications.texts import manage_link
from tests.factories import ConfirmedNumberFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def signup_url(variant, store):
    return f"{reverse('demand:signup')}?variant={variant.pk}&store={store.pk}"


def post_signup(client, variant, store, **extra):
    return client.post(
        signup_url(variant, store),
        {
            "variant": variant.pk,
            "store": store.pk,
            "phone": "050-234-5678",
            "language": "he",
            **extra,
        },
    )


def test_signup_page_offers_sms_or_whatsapp_with_the_default_checked(
    client, variant, store, settings
):
    settings.ALERT_CHANNEL_DEFAULT = "whatsapp"
    page = client.get(signup_url(variant, store)).content.decode()
    assert 'name="channel" value="sms"' in page
    assert re.search(r'name="channel" value="whatsapp"[^>]*checked', page)
    assert "וואטסאפ" in page and "איך לשלוח לך את ההודעות" in page


def test_signup_page_without_whatsapp_asks_nothing(client, variant, store, settings):
    settings.WHATSAPP_ENABLED = False
    assert 'name="channel"' not in client.get(signup_url(variant, store)).content.decode()


def test_signup_choosing_whatsapp_is_kept_once_confirmed(client, variant, store, outbox):
    assert post_signup(client, variant, store, channel="whatsapp").status_code == 302
    assert PhoneVerification.objects.get().channel == "whatsapp"
    code = re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)
    client.post(reverse("demand:confirm"), {"code": code})
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"


def test_signup_with_a_bad_channel_says_so_and_changes_nothing(client, variant, store, outbox):
    response = post_signup(client, variant, store, channel="pigeon")
    assert response.status_code == 200
    assert "pigeon" in response.content.decode()  # Django's "not one of the choices"
    assert not PhoneVerification.objects.exists() and outbox == []


def test_manage_page_changes_the_channel(client, outbox):
    ConfirmedNumberFactory(phone=PHONE)
    message = Message.objects.create(
        recipient=PHONE, body="x", purpose="other", idempotency_key="k", status="sent"
    )
    path = manage_link(message.pk, "he").replace("http://127.0.0.1:8000", "")
    page = client.get(path).content.decode()
    assert re.search(r'name="channel" value="sms"[^>]*checked', page)
    response = client.post(path, {"channel": "whatsapp"}, follow=True)
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"
    assert "מעכשיו ההודעות יישלחו אליך ב־וואטסאפ" in response.content.decode()
    client.post(path, {"channel": "fax"})
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"


def test_dev_inbox_shows_the_channel_and_the_read_time(client, settings):
    settings.DEBUG = True
    Message.objects.create(
        recipient=PHONE,
        body="שלום",
        purpose="other",
        channel="whatsapp",
        idempotency_key="k",
        status="delivered",
        read_at="2026-12-02T08:02:00Z",
    )
    page = client.get(reverse("notifications:dev_inbox")).content.decode()
    assert 'data-channel="whatsapp"' in page and "וואטסאפ" in page
    assert "נקראה ב-10:02" in page


def test_console_backend_says_which_channel_and_template():
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send(
        to=PHONE,
        body="שלום",
        channel="whatsapp",
        content_sid="HX" + "1" * 32,
        content_variables={"1": "a"},
    )
    ConsoleBackend(stream=stream).send(to=PHONE, body="שלום")
    out = stream.getvalue()
    assert "--- WhatsApp to" in out and "template HX111" in out and "--- SMS to" in out
    assert PHONE not in out
