"""Customers' own requests by confirmed number: a pair held on request with its text, a pair
brought from another store, the limit per number, and a declined request's text."""

from datetime import timedelta
from decimal import Decimal

import pytest

from demand import services
from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, Transfer
from notifications import services as messaging
from notifications.models import Message
from tests.factories import ConfirmedNumberFactory
from tests.inventory.views.helpers import available

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


@pytest.fixture
def confirmed():
    return ConfirmedNumberFactory(phone=PHONE)


def test_pair_hold_for_customer_holds_and_texts_with_the_pair_hold_time(
    shop, confirmed, outbox, settings
):
    settings.PAIR_HOLD_DURATION = timedelta(hours=24)
    hold = services.pair_hold_for_customer(
        phone=PHONE, variant=shop.size_42, store=shop.haifa, language="en"
    )
    hold.refresh_from_db()
    assert hold.purpose == Hold.Purpose.REQUEST and available(shop.haifa, shop.size_42) == 1
    message = Message.objects.get(hold=hold)
    assert message.purpose == Message.Purpose.PAIR_HELD and message.status == "sent"
    # The clock runs from the text: 24 hours from when it went.
    assert hold.expires_at - message.sent_at < timedelta(hours=24, seconds=1)
    assert hold.expires_at - message.sent_at > timedelta(hours=23, minutes=59)
    body = outbox[-1].body
    assert "Pegasus 41 size 42 is held for you at Haifa" in body and "as you asked" in body


def test_pair_hold_for_customer_in_hebrew_fits_two_segments(shop, confirmed, outbox):
    services.pair_hold_for_customer(
        phone=PHONE, variant=shop.size_42, store=shop.haifa, language="he"
    )
    from notifications.segments import sms_segments

    assert "שמרנו לך" in outbox[-1].body and sms_segments(outbox[-1].body) <= 2


def test_pair_hold_for_customer_refuses_past_the_limit_per_number(shop, confirmed, settings):
    settings.CUSTOMER_PAIRS_PER_NUMBER = 2
    services.pair_hold_for_customer(
        phone=PHONE, variant=shop.size_42, store=shop.haifa, language="he"
    )
    services.bring_to_store(phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="he")
    with pytest.raises(services.PairLimitReached):
        services.pair_hold_for_customer(
            phone=PHONE, variant=shop.size_42, store=shop.jerusalem, language="he"
        )
    assert available(shop.jerusalem, shop.size_42) == 1
    assert services.pairs_for_number(PHONE) == 2


def test_pair_hold_for_customer_says_no_longer_available_for_the_last_pair_gone(shop, confirmed):
    inventory.stock_sell(store=shop.jerusalem, variant=shop.size_42)
    with pytest.raises(services.NoLongerAvailable):
        services.pair_hold_for_customer(
            phone=PHONE, variant=shop.size_42, store=shop.jerusalem, language="he"
        )
    assert not Message.objects.exists()


def test_pair_hold_for_customer_needs_a_confirmed_number(shop):
    with pytest.raises(messaging.AlertError):
        services.pair_hold_for_customer(
            phone=PHONE, variant=shop.size_42, store=shop.haifa, language="he"
        )
    assert available(shop.haifa, shop.size_42) == 2


def test_a_pair_held_on_request_whose_text_fails_goes_back_on_sale(shop, confirmed, settings):
    settings.SMS_BACKEND = "notifications.backends.disabled.DisabledBackend"
    hold = services.pair_hold_for_customer(
        phone=PHONE, variant=shop.size_42, store=shop.haifa, language="he"
    )
    hold.refresh_from_db()
    assert hold.status == Hold.Status.RELEASED
    assert available(shop.haifa, shop.size_42) == 2


def test_bring_to_store_once_per_size_and_store(shop, confirmed):
    transfer = services.bring_to_store(
        phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="en"
    )
    assert transfer.status == Transfer.Status.AWAITING_APPROVAL
    assert transfer.customer_language == "en"
    with pytest.raises(messaging.AlertError):
        services.bring_to_store(
            phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="en"
        )
    assert Transfer.objects.count() == 1


def test_bring_to_store_says_no_longer_available_without_a_source(shop, confirmed):
    inventory.stock_sell(store=shop.haifa, variant=shop.size_42)
    with pytest.raises(services.NoLongerAvailable):
        services.bring_to_store(
            phone=PHONE, variant=shop.size_42, store=shop.tel_aviv, language="he"
        )


def test_declined_request_texts_the_reason_and_its_link_offers_the_waitlist(
    shop, confirmed, outbox
):
    transfer = services.bring_to_store(
        phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="en"
    )
    inventory.transfer_decline(transfer=transfer, user=None, reason="That pair is on display")
    message = Message.objects.get(purpose=Message.Purpose.TRANSFER_DECLINED)
    assert message.transfer == transfer and message.status == "sent"
    body = outbox[-1].body
    assert "Sorry, we cannot bring Pegasus 41 size 43 to Tel Aviv" in body
    assert "That pair is on display" in body and "/a/" in body
    entry = services.waitlist_join_declined(message=message, phone=PHONE)
    assert (entry.status, entry.store, entry.variant) == ("active", shop.tel_aviv, shop.size_43)
    # Twice is the same place in the line.
    assert services.waitlist_join_declined(message=message, phone=PHONE).pk == entry.pk
    with pytest.raises(messaging.AlertError):
        services.waitlist_join_declined(message=message, phone="+972509999999")
    assert WaitlistEntry.objects.count() == 1


def test_declined_text_in_hebrew_shortens_a_long_reason_to_two_segments(shop, confirmed, outbox):
    from notifications.segments import sms_segments

    transfer = services.bring_to_store(
        phone=PHONE, variant=shop.size_43, store=shop.tel_aviv, language="he"
    )
    inventory.transfer_decline(transfer=transfer, user=None, reason="הזוג האחרון " * 9)
    body = outbox[-1].body
    assert "לא נוכל להביא \u2068Pegasus 41\u2069 מידה 43 לתל אביב" in body
    assert sms_segments(body) <= 2


def test_declined_text_is_in_the_customers_language_with_the_names_whole(
    shop, confirmed, outbox, settings
):
    """The defect an outside review found: "Sorry, we cannot bring Novablast… size 40.5 to Sole
    Dize…: אין זוג ת…". The English text keeps the model, the size and the store whole, and the
    Hebrew reason gives way first — isolated, so it does not turn the words around it."""
    from notifications.segments import sms_segments
    from tests.factories import ProductFactory, VariantFactory
    from tests.inventory.views.helpers import stock
    from tests.notifications.bidi import isolates_balance

    settings.SITE_URL = "https://sole.co.il"
    shop.tel_aviv.name_en = "Sole Dizengoff Center Tel Aviv"
    shop.tel_aviv.save()
    size = VariantFactory(
        product=ProductFactory(name="Novablast 4 Platinum Wide TR"), eu_size=Decimal("40.5")
    )
    stock(shop.warehouse, size, 2)
    transfer = services.bring_to_store(
        phone=PHONE, variant=size, store=shop.tel_aviv, language="en"
    )
    reason = "אין זוג תואם במלאי של הסניף, מצטערים מאוד על אי הנוחות שנגרמה"
    preview = services.declined_text_preview(transfer=transfer, reason=reason)
    inventory.transfer_decline(transfer=transfer, user=None, reason=reason)
    body = outbox[-1].body
    assert body.startswith(
        "Sorry, we cannot bring Novablast 4 Platinum Wide TR size 40.5 to "
        "Sole Dizengoff Center Tel Aviv"
    )
    assert "Join the waitlist: https://sole.co.il/en/a/" in body
    assert sms_segments(body) <= 2 and isolates_balance(body)
    assert reason not in body  # shortened or left out, never the names
    assert preview is not None and preview.body == body
    assert "reason" in preview.shortened + preview.dropped


def test_pair_request_start_gates_like_an_alert(shop, settings):
    settings.SMS_DAILY_BUDGET = 0
    with pytest.raises(messaging.BudgetExhausted):
        services.pair_request_start(phone=PHONE, language="he", client_ip="10.0.0.1")
    settings.SMS_DAILY_BUDGET = 100
    start = services.pair_request_start(phone=PHONE, language="he", client_ip="10.0.0.1")
    assert not start.confirmed and start.verification_id is not None
    ConfirmedNumberFactory(phone=PHONE)
    again = services.pair_request_start(
        phone=PHONE, language="he", client_ip="10.0.0.1", trusted=True
    )
    assert again.confirmed
    # Not trusted by this browser: a code, whatever the number's history.
    assert not services.pair_request_start(
        phone=PHONE, language="he", client_ip="10.0.0.1"
    ).confirmed
