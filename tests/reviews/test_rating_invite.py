"""After a visit ends, the customer gets a text with a one-tap rating link that works once."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from inventory import services as inventory
from notifications.backends import locmem
from notifications.models import Message, OptOut
from notifications.segments import sms_segments
from notifications.services import budget_status
from reviews.models import Rating
from tests.factories import (
    ProductFactory,
    StoreFactory,
    TransferFactory,
    VariantFactory,
    put_stock,
)

PHONE = "+972528765432"


@pytest.fixture(autouse=True)
def _clean_outbox():
    cache.clear()
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def hold(db):
    store, variant = StoreFactory(phone="03-5550000"), VariantFactory(product=ProductFactory())
    put_stock(store, variant, on_hand=1)
    placed = inventory.hold_place(
        store=store,
        variant=variant,
        transfer=TransferFactory(variant=variant, to_store=store),
        customer_phone=PHONE,
        language="en",
    )
    return inventory.hold_start_clock(hold=placed)


def _end(django_capture_on_commit_callbacks, action, hold):
    with django_capture_on_commit_callbacks(execute=True):
        return action(hold=hold)


def _rating_texts():
    return Message.objects.filter(purpose=Message.Purpose.RATING_INVITE)


@pytest.mark.django_db
def test_collected_hold_texts_a_rating_link_that_works_once(
    hold, django_capture_on_commit_callbacks
):
    _end(django_capture_on_commit_callbacks, inventory.hold_collect, hold)
    text = _rating_texts().get()
    assert text.recipient == PHONE and text.status == Message.Status.SENT
    assert sms_segments(text.body) <= 2
    assert [m for m in locmem.outbox if "Rate us" in m.body]
    path = re.search(r"https?://[^/]+(/\S+)", text.body).group(1)
    client = Client()
    assert client.get(path).status_code == 200
    assert client.post(path, {"score": "4", "comment": "quick"}).status_code == 200
    assert Rating.objects.get().score == 4
    again = client.post(path, {"score": "1"})
    assert b"already rated" in again.content
    assert Rating.objects.get().score == 4


@pytest.mark.django_db
def test_lapsed_hold_also_invites_a_rating(hold, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        inventory.hold_expire_due(now=timezone.now() + settings.HOLD_DURATION * 2)
    assert _rating_texts().count() == 1


@pytest.mark.django_db
def test_rating_invite_lapsed_hold_asks_about_the_alert_not_the_visit(
    hold, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        inventory.hold_expire_due(now=timezone.now() + settings.HOLD_DURATION * 2)
    body = _rating_texts().get().body
    assert "How was the alert?" in body and "we held a pair for you" in body
    assert "visit" not in body
    assert sms_segments(body) <= 2
    path = re.search(r"https?://[^/]+(/\S+)", body).group(1)
    page = Client().get(path).content.decode()
    assert "How was the alert?" in page and "How did we do?" not in page


@pytest.mark.django_db
def test_released_hold_invites_nothing(hold, django_capture_on_commit_callbacks):
    _end(django_capture_on_commit_callbacks, inventory.hold_release, hold)
    assert not _rating_texts().exists()


@pytest.mark.django_db
def test_opted_out_customer_gets_no_rating_text(hold, django_capture_on_commit_callbacks):
    OptOut.objects.create(phone=PHONE, source="sms")
    _end(django_capture_on_commit_callbacks, inventory.hold_collect, hold)
    assert not [m for m in locmem.outbox if m.to == PHONE]


@pytest.mark.django_db
def test_quiet_hours_delay_the_rating_text(hold, settings, django_capture_on_commit_callbacks):
    settings.QUIET_HOURS = "00:00-23:59"
    _end(django_capture_on_commit_callbacks, inventory.hold_collect, hold)
    text = _rating_texts().get()
    assert text.status == Message.Status.QUEUED and text.send_after is not None
    assert not locmem.outbox


@pytest.mark.django_db
def test_spent_budget_skips_the_rating_text(hold, settings, django_capture_on_commit_callbacks):
    settings.SMS_DAILY_BUDGET = budget_status()[0]
    _end(django_capture_on_commit_callbacks, inventory.hold_collect, hold)
    assert not _rating_texts().exists()


@pytest.mark.django_db
def test_hebrew_rating_text_fits_two_segments(django_capture_on_commit_callbacks):
    store = StoreFactory(name_he="סניף קניון הגרנד קניון באר שבע הגדול והמפואר")
    variant = VariantFactory(product=ProductFactory())
    put_stock(store, variant, on_hand=1)
    hold = inventory.hold_place(
        store=store,
        variant=variant,
        transfer=TransferFactory(variant=variant, to_store=store),
        customer_phone=PHONE,
        language="he",
    )
    _end(django_capture_on_commit_callbacks, inventory.hold_collect, hold)
    body = _rating_texts().get().body
    assert "דרגו" in body and sms_segments(body) <= 2
