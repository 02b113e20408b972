"""The "hold a pair for me" and "bring it to my store" pages, as a customer uses them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from inventory import services as inventory
from inventory.models import Hold, Transfer
from notifications.models import Message
from notifications.texts import manage_path
from tests.factories import ConfirmedNumberFactory
from tests.inventory.views.helpers import available

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def page_url(kind, variant, store):
    return f"{reverse('demand:pair_' + kind)}?variant={variant.pk}&store={store.pk}"


def code_in(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def ask(client, kind, variant, store, phone="050-234-5678", language="he"):
    return client.post(page_url(kind, variant, store), {"phone": phone, "language": language})


def test_hold_page_says_what_happens_in_hebrew(client, shop):
    page = client.get(page_url("hold", shop.size_42, shop.haifa)).content.decode()
    assert "שמרו לי זוג" in page and "24 שעות" in page
    assert 'name="phone"' in page


@pytest.mark.parametrize(
    ("hold", "pair", "alert_says", "pair_says"),
    [
        (timedelta(minutes=90), timedelta(minutes=45), "90 דקות", "45 דקות"),
        (timedelta(hours=2), timedelta(hours=1), "שעתיים", "למשך שעה"),
    ],
)
def test_pages_say_how_long_a_pair_is_held_as_configured(
    client, shop, settings, hold, pair, alert_says, pair_says
):
    """A hold shorter than a day, or not whole hours, reads as it is: never "1 hour" for 90
    minutes, never "24 hours" whatever the setting."""
    settings.HOLD_DURATION, settings.PAIR_HOLD_DURATION = hold, pair
    signup = client.get(
        f"{reverse('demand:signup')}?variant={shop.size_43.pk}&store={shop.tel_aviv.pk}"
    ).content.decode()
    holding = client.get(page_url("hold", shop.size_42, shop.haifa)).content.decode()
    bringing = client.get(page_url("bring", shop.size_43, shop.tel_aviv)).content.decode()
    home = client.get("/").content.decode()

    for page in (signup, bringing, home):
        assert alert_says in page
    assert pair_says in holding
    for page in (signup, holding, bringing, home):
        assert "24 שעות" not in page and "שעה אחת" not in page


def test_hold_request_asks_for_a_code_then_holds_and_texts(client, shop, outbox):
    response = ask(client, "hold", shop.size_42, shop.haifa)
    assert response.status_code == 302 and response.url == reverse("demand:confirm")
    assert not Hold.objects.exists()  # nothing before the code
    done = client.post(reverse("demand:confirm"), {"code": code_in(outbox)}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("demand:request_done")
    hold = Hold.objects.get()
    assert (hold.purpose, hold.customer_phone, hold.store) == ("request", PHONE, shop.haifa)
    assert available(shop.haifa, shop.size_42) == 1
    assert "שמרנו לך" in outbox[-1].body
    assert "שמור לך זוג עד" in done.content.decode()


def test_hold_request_from_a_browser_that_confirmed_the_number_needs_no_code(client, shop, outbox):
    ask(client, "hold", shop.size_42, shop.haifa)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    texts = len(outbox)
    response = ask(client, "hold", shop.size_42, shop.jerusalem)
    assert response.url == reverse("demand:request_done")
    assert Hold.objects.filter(store=shop.jerusalem).exists()
    assert len(outbox) == texts + 1  # the hold's text, no code


def test_bring_request_after_the_code_awaits_approval(client, shop, outbox):
    page = client.get(page_url("bring", shop.size_43, shop.tel_aviv)).content.decode()
    assert "הביאו לסניף שלי" in page and "יכול להגיע" in page
    ask(client, "bring", shop.size_43, shop.tel_aviv, language="en")
    done = client.post(reverse("demand:confirm"), {"code": code_in(outbox)}, follow=True)
    transfer = Transfer.objects.get()
    assert (transfer.status, transfer.from_store, transfer.customer_language) == (
        "awaiting",
        shop.warehouse,
        "en",
    )
    assert "יכול להגיע" in done.content.decode()


def test_request_pages_without_an_offer_point_to_the_waitlist(client, shop):
    page = client.get(page_url("hold", shop.size_42, shop.tel_aviv)).content.decode()
    assert reverse("demand:signup") in page and 'name="phone"' not in page
    inventory.stock_sell(store=shop.haifa, variant=shop.size_42)
    page = client.get(page_url("bring", shop.size_42, shop.tel_aviv)).content.decode()
    assert "אין סניף" in page and 'name="phone"' not in page


@pytest.mark.parametrize("query", ["", "?variant=abc&store=1", "?variant=999999&store=1"])
def test_request_pages_refuse_a_bad_link_clearly(client, shop, query):
    response = client.get(reverse("demand:pair_hold") + query)
    assert response.status_code == 404


def test_request_for_the_warehouse_is_not_offered(client, shop):
    assert client.get(page_url("hold", shop.size_43, shop.warehouse)).status_code == 404


def test_bad_number_gets_a_clear_message_and_changes_nothing(client, shop, outbox):
    response = ask(client, "hold", shop.size_42, shop.haifa, phone="12")
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    assert not Hold.objects.exists() and not outbox


def test_last_pair_gone_before_the_code_says_so_and_offers_the_waitlist(client, shop, outbox):
    ask(client, "hold", shop.size_42, shop.jerusalem)
    inventory.stock_sell(store=shop.jerusalem, variant=shop.size_42)
    done = client.post(reverse("demand:confirm"), {"code": code_in(outbox)}, follow=True)
    page = done.content.decode()
    assert "הזוג האחרון" in page and reverse("demand:signup") in page
    assert not Hold.objects.exists()


def test_signup_page_says_an_in_stock_size_is_held_at_once(client, shop):
    url = f"{reverse('demand:signup')}?variant={shop.size_42.pk}&store={shop.haifa.pk}"
    page = client.get(url).content.decode()
    assert "במלאי" in page and reverse("demand:pair_hold") in page
    url = f"{reverse('demand:signup')}?variant={shop.size_42.pk}&store={shop.tel_aviv.pk}"
    assert reverse("demand:pair_hold") not in client.get(url).content.decode()


def test_declined_text_link_puts_the_number_on_the_waitlist(client, shop, outbox):
    ConfirmedNumberFactory(phone=PHONE)
    from demand import services

    transfer = services.bring_to_store(
        phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="he"
    )
    inventory.transfer_decline(transfer=transfer, user=None, reason="הזוג פגום")
    message = Message.objects.get(purpose="transfer_declined")
    url = manage_path(message.pk, "he")
    page = client.get(url).content.decode()
    assert "הזוג פגום" in page and 'name="waitlist"' in page
    client.post(url, {"waitlist": "1"})
    entry = transfer.to_store.waitlist.get()
    assert (entry.phone, entry.variant, entry.status) == (PHONE, shop.size_43, "active")


def test_hold_request_over_whatsapp_sends_the_code_there_and_keeps_the_choice(client, shop, outbox):
    from notifications.models import ConfirmedNumber, PhoneVerification
    from notifications.whatsapp_templates import whatsapp_templates_load

    whatsapp_templates_load(content_sids={("verification", "he"): "HX" + "2" * 32}, approved=True)
    page = client.get(page_url("hold", shop.size_42, shop.haifa)).content.decode()
    assert 'name="channel" value="whatsapp"' in page
    response = client.post(
        page_url("hold", shop.size_42, shop.haifa),
        {"phone": "050-234-5678", "language": "he", "channel": "whatsapp"},
    )
    assert response.status_code == 302
    assert PhoneVerification.objects.get().channel == "whatsapp"
    assert outbox[-1].channel == "whatsapp" and outbox[-1].content_sid == "HX" + "2" * 32
    client.post(reverse("demand:confirm"), {"code": outbox[-1].content_variables["1"]})
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"
    assert Hold.objects.get().customer_phone == PHONE


@pytest.mark.parametrize(
    ("kind", "language", "page_says", "text_says"),
    [
        ("hold", "en", "we set the pair aside for you", "code to hold your pair"),
        ("bring", "en", "we ask for the pair to be brought", "code to have your pair brought"),
        ("hold", "he", "ונשמור לך את הזוג", "לשמירת הזוג שלך"),
        ("bring", "he", "ונבקש להביא את הזוג", "להבאת הזוג שלך"),
    ],
)
def test_pair_request_code_page_and_text_name_the_pair_not_an_alert(
    client, shop, outbox, kind, language, page_says, text_says
):
    variant, store = (shop.size_42, shop.haifa) if kind == "hold" else (shop.size_43, shop.tel_aviv)
    with translation.override(language):
        asked = client.post(
            page_url(kind, variant, store),
            {"phone": "050-234-5678", "language": language},
        )
    page = client.get(asked.url).content.decode()
    prose = page.split('<p class="prose">', 1)[1].split("</p>", 1)[0]
    assert page_says in prose
    assert "alert" not in prose.lower() and "התראה" not in prose
    assert text_says in outbox[-1].body
    assert "alerts code" not in outbox[-1].body and "להתראות" not in outbox[-1].body


@pytest.mark.parametrize(
    ("channel", "approved", "heading", "sent"),
    [
        ("whatsapp", True, "Check WhatsApp", "We have sent a WhatsApp message"),
        # No approved template yet: the code can only go by SMS, and the page says so.
        ("whatsapp", False, "Check your text messages", "We have texted"),
        ("sms", True, "Check your text messages", "We have texted"),
    ],
)
def test_pair_request_code_page_names_the_channel_the_code_goes_by(
    client, shop, outbox, settings, channel, approved, heading, sent
):
    from notifications.whatsapp_templates import whatsapp_templates_load

    settings.WHATSAPP_ENABLED = True
    whatsapp_templates_load(
        content_sids={("verification", "en"): "HX" + "2" * 32}, approved=approved
    )
    with translation.override("en"):
        asked = client.post(
            page_url("hold", shop.size_42, shop.haifa),
            {"phone": "050-234-5678", "language": "en", "channel": channel},
        )
    page = client.get(asked.url).content.decode()
    assert heading in page and sent in page
