"""The alert pages, as a customer uses them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demand.models import WaitlistEntry
from notifications.models import Message
from notifications.texts import manage_link, manage_path
from tests.factories import ConfirmedNumberFactory, StoreFactory, VariantFactory, put_stock

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def signup_url(variant, store, **extra):
    query = "&".join(
        f"{k}={v}" for k, v in {"variant": variant.pk, "store": store.pk, **extra}.items()
    )
    return f"{reverse('demand:signup')}?{query}"


def post_signup(client, variant, store, phone="050-234-5678", language="he"):
    return client.post(
        signup_url(variant, store),
        {
            "variant": variant.pk,
            "store": store.pk,
            "phone": phone,
            "language": language,
        },
    )


def code_in(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def test_signup_page_offers_the_sizes_and_stores_in_hebrew(client, variant, store):
    response = client.get(signup_url(variant, store))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="he"' in page and 'dir="rtl"' in page
    assert f'value="{store.pk}" selected' in page
    assert f'value="{variant.pk}" selected' in page
    assert 'type="tel"' in page


def test_signup_page_orders_stores_by_distance_from_the_city(client, variant):
    haifa = StoreFactory(name_en="Haifa Grand Canyon", latitude="32.7890", longitude="35.0070")
    eilat = StoreFactory(name_en="Eilat Ice Mall", latitude="29.5510", longitude="34.9540")
    page = client.get(signup_url(variant, haifa, city="eilat")).content.decode()
    stores = re.search(r'<select name="store".*?</select>', page, re.S).group(0)
    assert stores.index(f'value="{eilat.pk}"') < stores.index(f'value="{haifa.pk}"')
    assert "ק״מ" in stores  # distances, in the page's language


def test_signup_page_without_a_size_explains_what_to_do(client):
    response = client.get(reverse("demand:signup") + "?variant=nope")
    assert response.status_code == 404
    assert reverse("storefront:product_list") in response.content.decode()


def test_signup_landline_shows_a_clear_message_in_the_pages_language(client, variant, store):
    response = post_signup(client, variant, store, phone="03-5551234")
    assert response.status_code == 200
    assert "נייח" in response.content.decode()
    english = client.post(
        "/en" + signup_url(variant, store),
        {"variant": variant.pk, "store": store.pk, "phone": "03-5551234", "language": "en"},
    )
    assert "landline" in english.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_signup_then_confirm_turns_the_alert_on(client, variant, store, outbox):
    response = post_signup(client, variant, store)
    assert response.status_code == 302
    assert response["Location"] == reverse("demand:confirm")
    assert PHONE not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "78" in page  # the number's last two digits, nothing more
    assert "2345678" not in page
    response = client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert WaitlistEntry.objects.get().status == "active"
    assert "/a/" in done  # a link to see and cancel the alerts


def test_confirm_wrong_code_says_so_and_keeps_the_alert_off(client, variant, store, outbox):
    post_signup(client, variant, store)
    wrong = "000000" if code_in(outbox) != "000000" else "111111"
    response = client.post(reverse("demand:confirm"), {"code": wrong})
    assert response.status_code == 200
    assert "4" in response.content.decode()  # tries left
    assert WaitlistEntry.objects.get().status == "pending"


def test_signup_after_confirming_in_this_browser_is_active_at_once(client, store, outbox):
    post_signup(client, VariantFactory(), store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    response = post_signup(client, VariantFactory(), store)
    assert response["Location"] == reverse("demand:done")
    assert len(outbox) == 1  # no second code
    assert WaitlistEntry.objects.filter(status="active").count() == 2


def test_signup_never_reveals_whether_a_number_is_known(variant, store, outbox):
    ConfirmedNumberFactory(phone="+972523456789")
    known = post_signup(Client(), variant, store, phone="052-345-6789")
    unknown = post_signup(Client(), variant, store, phone="054-456-7890")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_confirm_resend_sends_a_new_code(client, variant, store, outbox):
    post_signup(client, variant, store)
    response = client.post(reverse("demand:confirm"), {"resend": "1"}, follow=True)
    assert len(outbox) == 2
    assert response.status_code == 200


def test_manage_page_lists_and_cancels_the_numbers_alerts(client, variant, store, outbox):
    post_signup(client, variant, store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    entry = WaitlistEntry.objects.get()
    link = manage_link(Message.objects.get().pk, "he")
    path = link.split("testserver")[-1].replace("http://127.0.0.1:8000", "")
    page = Client().get(path)
    assert page.status_code == 200
    assert entry.variant.product.name in page.content.decode()
    Client().post(path, {"cancel": entry.pk})
    entry.refresh_from_db()
    assert entry.status == "cancelled"


def test_manage_page_forged_token_is_not_found(client):
    assert client.get("/a/1-aaaaaaaaaaaa").status_code == 404
    assert client.get("/a/garbage").status_code == 404


def test_manage_page_cannot_cancel_another_numbers_alert(client, variant, store, outbox):
    post_signup(client, variant, store)
    other = WaitlistEntry.objects.create(
        phone="+972523456789", variant=VariantFactory(), store=store, status="active"
    )
    path = manage_link(Message.objects.get().pk, "he").replace("http://127.0.0.1:8000", "")
    Client().post(path, {"cancel": other.pk})
    other.refresh_from_db()
    assert other.status == "active"


def test_manage_page_stop_all_texts_opts_the_number_out(client, variant, store, outbox):
    post_signup(client, variant, store)
    path = manage_link(Message.objects.get().pk, "he").replace("http://127.0.0.1:8000", "")
    Client().post(path, {"stop": "1"})
    from notifications.models import OptOut

    assert OptOut.objects.filter(phone=PHONE).exists()
    assert WaitlistEntry.objects.get().status == "cancelled"


def test_dev_inbox_only_with_debug(client, settings):
    assert client.get(reverse("notifications:dev_inbox")).status_code == 404
    settings.DEBUG = True
    assert client.get(reverse("notifications:dev_inbox")).status_code == 200


def test_manage_link_expires_and_offers_a_way_back_with_a_code(
    client, variant, store, outbox, settings
):
    post_signup(client, variant, store)
    client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    entry = WaitlistEntry.objects.get()
    message = Message.objects.get()
    path = manage_link(message.pk, "en").replace("http://127.0.0.1:8000", "")
    Message.objects.filter(pk=message.pk).update(
        created_at=message.created_at - timedelta(days=settings.MANAGE_LINK_DAYS + 1)
    )
    stranger = Client()

    expired = stranger.get(path)
    assert expired.status_code == 410
    assert entry.variant.product.name not in expired.content.decode()
    assert 'type="tel"' in expired.content.decode()
    stranger.post(path, {"cancel": entry.pk})
    entry.refresh_from_db()
    assert entry.status == "active"  # an expired link changes nothing

    answer = stranger.post(reverse("demand:find"), {"phone": "050-234-5678"})
    assert answer.status_code == 302
    stranger.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    mine = stranger.get(reverse("demand:mine"))
    assert entry.variant.product.name in mine.content.decode()
    stranger.post(reverse("demand:mine"), {"cancel": entry.pk})
    entry.refresh_from_db()
    assert entry.status == "cancelled"


def test_my_alerts_without_a_confirmed_code_asks_for_the_number(client):
    response = client.get(reverse("demand:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("demand:find")


def test_find_alerts_looks_the_same_for_a_known_and_an_unknown_number(client, outbox):
    ConfirmedNumberFactory(phone=PHONE)
    known = Client().post(reverse("demand:find"), {"phone": "050-234-5678"})
    unknown = Client().post(reverse("demand:find"), {"phone": "052-345-6789"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def _sign_up_in_stock(client, variant, store, outbox):
    put_stock(store, variant, on_hand=2)
    post_signup(client, variant, store)
    response = client.post(reverse("demand:confirm"), {"code": code_in(outbox)})
    return client.get(response["Location"]).content.decode()


def test_done_size_in_stock_says_a_pair_is_held_until(client, variant, store, outbox):
    page = _sign_up_in_stock(client, variant, store, outbox)
    entry = WaitlistEntry.objects.get()
    assert entry.status == "held" and entry.hold.expires_at is not None
    until = timezone.localtime(entry.hold.expires_at).strftime("%-d/%-m %H:%M")
    assert f"שמרנו לך זוג עד {until}" in page
    assert "כשהמידה תגיע" not in page  # not "when the size arrives": it is here


def test_done_size_in_stock_at_night_says_when_the_text_goes(
    client, variant, store, outbox, settings
):
    local = timezone.localtime()
    settings.QUIET_HOURS = f"{local - timedelta(hours=1):%H:%M}-{local + timedelta(hours=3):%H:%M}"
    page = _sign_up_in_stock(client, variant, store, outbox)
    held = Message.objects.get(purpose=Message.Purpose.HOLD_READY)
    assert held.status == Message.Status.QUEUED
    send_at = timezone.localtime(held.send_after).strftime("%H:%M")
    assert "שמרנו לך זוג" in page
    assert "ההודעה תישלח" in page and send_at in page
    manage = Client().get(manage_path(held.pk, "he")).content.decode()
    assert "זוג שמור עבורך" in manage and send_at in manage
    settings.DEBUG = True
    inbox = client.get(reverse("notifications:dev_inbox")).content.decode()
    assert "ההודעה תישלח" in inbox and send_at in inbox
    # The text waiting for the morning shows as it will read, with the link to the held pair.
    assert held.body == "" and manage_path(held.pk, "he") in inbox
    assert "Pegasus" in inbox or variant.product.name in inbox


CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


def test_signup_while_the_cache_is_down_asks_to_try_again_and_texts_nothing(
    client, variant, store, outbox, settings
):
    settings.CACHES = CACHE_DOWN
    response = post_signup(client, variant, store)
    assert response.status_code == 200
    assert "נא לנסות שוב בעוד דקה" in response.content.decode()  # "try again in a minute"
    assert not outbox
    assert not Message.objects.exists()
    assert not WaitlistEntry.objects.exists()
