"""'My data': everything kept about one number — shown, downloaded, corrected, deleted — from
every app that keeps some, and nothing about another number."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from demand import services
from demand.models import Launch, LaunchEntry, WaitlistEntry
from demand.views.session import MINE_KEY
from inventory.models import Hold, Transfer
from notifications import services as messaging
from notifications.models import (
    ConfirmedNumber,
    ConsentRecord,
    Conversation,
    Message,
    OptOut,
    PhoneVerification,
    PrivacyRequest,
)
from reviews.models import Rating
from tests.factories import (
    ConfirmedNumberFactory,
    HoldFactory,
    StoreFactory,
    TransferFactory,
    UserFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
)
from tests.inventory.views.conftest import shop  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"
OTHER = "+972509876543"


def he(name, *args):
    with translation.override("he"):
        return reverse(name, args=args)


def holdings(phone, store):
    """One of every kind of record for `phone`: a confirmed number, consent, a code, a text, an
    alert waiting, a pair held on an alert, a rating of an ended visit, a transfer, an opt-out
    of the promotional kind is not needed (the number's own opt-out comes last)."""
    ConfirmedNumberFactory(phone=phone, language="en")
    shown = messaging.Consent(page="/alerts/", language="he", service="מילים", promotional="")
    messaging.consent_record(phone=phone, consent=shown, channel="sms", by_code=True)
    PhoneVerification.objects.create(
        phone=phone, code_hash="x$y", expires_at=timezone.now() + timedelta(minutes=5)
    )
    WaitlistEntryFactory(phone=phone, store=store)
    variant = VariantFactory()
    put_stock(store, variant, on_hand=1)
    held = WaitlistEntryFactory(phone=phone, store=store, variant=variant)
    services.waitlist_allocate(store_id=store.pk, variant_id=variant.pk)
    held.refresh_from_db()
    ended = HoldFactory(customer_phone=phone, store=store, customer_name="Dana")
    Rating.objects.create(
        hold=ended,
        store=store,
        interaction="hold_collected",
        score=2,
        comment="slow",
        language="he",
    )
    TransferFactory(customer_phone=phone, to_store=store, customer_name="Dana")
    launch_entry(phone, store, variant)
    reply = messaging.Inbound(phone, "sms", f"SM{phone[1:]}", "is it still there?")
    messaging.conversation_inbound(message=reply)
    return held


def launch_entry(phone, store, variant):
    """`phone` drawn second (next in line) in a draw held half an hour ago."""
    now = timezone.now()
    launch = Launch.objects.create(
        product=variant.product,
        opens_at=now - timedelta(hours=2),
        closes_at=now - timedelta(hours=1),
        draw_at=now - timedelta(minutes=30),
        status=Launch.Status.DRAWN,
        seed="00" * 32,
        commitment="c" * 64,
    )
    return LaunchEntry.objects.create(
        launch=launch,
        public_id=f"code{phone[-6:]}",
        phone=phone,
        store=store,
        variant=variant,
        status=LaunchEntry.Status.IN_LINE,
        rank=2,
    )


@pytest.fixture
def mine(client):
    session = client.session
    session[MINE_KEY] = PHONE
    session.save()
    return client


def test_number_data_has_every_kind_of_record_and_nothing_of_another_number(store, outbox):
    from notifications.models import WhatsAppNumber

    for phone, where in ((PHONE, store), (OTHER, StoreFactory())):
        holdings(phone, where)
        WhatsAppNumber.objects.create(phone=phone, last_inbound_at=timezone.now())
        OptOut.objects.create(phone=phone, source="reply")
    sections = {s.key: s.rows for s in messaging.number_data(phone=PHONE)}
    every_kind = ("number", "consents", "texts", "codes", "whatsapp", "opt_out")
    every_kind += ("conversations", "conversation_messages")
    every_kind += ("alerts", "launch_entries", "holds", "transfers", "ratings")
    assert set(every_kind) == set(sections)  # and every kind has this number's rows
    for kind in every_kind:
        assert sections[kind], kind
    assert len(sections["alerts"]) == 2 and sections["number"][0]["language"] == "en"
    assert any(row["purpose"] == "hold_ready" for row in sections["texts"])
    assert sections["ratings"][0]["comment"] == "slow"
    (entry,) = sections["launch_entries"]
    assert (entry["code"], entry["status"], entry["place"]) == ("code345678", "in_line", "2")
    assert entry["store"] == str(store) and entry["size"].startswith("EU ")
    assert entry["signed_up_at"] and entry["draw_at"]
    dump = json.dumps(sections, ensure_ascii=False)
    assert OTHER not in dump and "9876543" not in dump


def test_my_data_download_json_and_csv_hold_the_numbers_records_only(mine, store, outbox):
    holdings(PHONE, store)
    holdings(OTHER, StoreFactory())
    response = mine.get(he("demand:my_data_download", "json"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["number"] == PHONE
    keys = {section["key"] for section in data["sections"] if section["rows"]}
    assert {"number", "consents", "texts", "alerts", "holds", "transfers", "ratings"} <= keys
    assert "launch_entries" in keys and "code345678" in response.content.decode()
    assert OTHER not in response.content.decode()
    table = mine.get(he("demand:my_data_download", "csv")).content.decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["ratings", "1", "comment", "slow"] in rows
    assert ["launch_entries", "1", "place", "2"] in rows
    assert OTHER not in table
    assert PrivacyRequest.objects.filter(kind="export").count() == 2  # staff see each download


def test_my_data_page_shows_every_section_in_the_pages_language(mine, store, outbox):
    holdings(PHONE, store)
    page = mine.get(he("demand:my_data")).content.decode()
    assert "הודעות שנשלחו אליך" in page and "slow" in page and "מילים" in page
    # Coded values read as words on the page (the downloads keep the codes).
    assert "זוג שמור (רשימת המתנה)" in page and "hold_ready" not in page
    assert "השתתפות בהגרלות השקה" in page and "code345678" in page
    assert he("demand:my_data_delete") in page and he("storefront:privacy") in page


def test_my_data_without_a_code_asks_for_one(client):
    response = client.get(he("demand:my_data"))
    assert response["Location"] == he("demand:find")
    assert client.get(he("demand:my_data_download", "json"))["Location"] == he("demand:find")
    assert client.post(he("demand:my_data_erase")).status_code == 302


def test_my_data_download_unknown_format_is_not_found(mine):
    assert mine.get(he("demand:my_data_download", "xml")).status_code == 404


def test_my_data_corrects_language_and_channel(mine, store, settings):
    settings.WHATSAPP_ENABLED = True
    ConfirmedNumberFactory(phone=PHONE, language="he", channel="sms")
    entry = WaitlistEntryFactory(phone=PHONE, store=store, language="he")
    mine.post(he("demand:my_data"), {"language": "en", "channel": "whatsapp"})
    number = ConfirmedNumber.objects.get(phone=PHONE)
    entry.refresh_from_db()
    assert (number.language, number.channel, entry.language) == ("en", "whatsapp", "en")


def test_my_data_erase_leaves_only_the_keyed_opt_out(mine, store, outbox):
    held = holdings(PHONE, store)
    holdings(OTHER, StoreFactory())
    confirm = mine.get(he("demand:my_data_delete")).content.decode()
    assert he("demand:my_data_erase") in confirm
    response = mine.post(he("demand:my_data_erase"))
    assert response.status_code == 200 and "נמחק" in response.content.decode()
    # Nothing about the number is left but its opt-out, as a keyed hash.
    assert not WaitlistEntry.objects.filter(phone=PHONE).exists()
    assert not Message.objects.filter(recipient=PHONE).exists()
    assert not ConfirmedNumber.objects.filter(phone=PHONE).exists()
    assert not ConsentRecord.objects.filter(phone=PHONE).exists()
    assert not PhoneVerification.objects.filter(phone=PHONE).exists()
    assert not Hold.objects.filter(customer_phone=PHONE).exists()
    assert not Transfer.objects.filter(customer_phone=PHONE).exists()
    assert not Hold.objects.filter(customer_name="Dana", store=store).exists()
    assert not Rating.objects.filter(store=store).exists()
    assert not Conversation.objects.filter(phone=PHONE).exists()
    assert Conversation.objects.filter(phone=OTHER).exists()
    assert Hold.objects.get(pk=held.hold_id).status == "released"  # the pair goes back
    # Out of the draw's line; its place stays in the published order, without the number.
    drawn = LaunchEntry.objects.get(public_id="code345678")
    assert drawn.erased and drawn.status == "withdrawn" and drawn.rank == 2
    opt_out = OptOut.objects.get(source="erased")
    assert opt_out.phone == "" and PHONE not in str(opt_out.phone_key)
    # The other number keeps everything.
    assert WaitlistEntry.objects.filter(phone=OTHER).count() == 2
    assert Rating.objects.count() == 1
    # Staff see the deletion in the audit trail, without the number.
    audit = PrivacyRequest.objects.get(kind="erasure")
    assert audit.counts["alerts"] == 2 and audit.counts["texts"] >= 1
    assert PHONE not in json.dumps(audit.counts) and audit.masked != PHONE
    # This browser no longer sees the number's pages.
    assert mine.get(he("demand:my_data"))["Location"] == he("demand:find")


def test_erased_number_is_never_texted_again(store, outbox):
    holdings(PHONE, store)
    messaging.number_erase(phone=PHONE)
    outbox.clear()
    result = services.waitlist_signup(
        phone=PHONE, variant=VariantFactory(), store=store, language="he", client_ip="10.0.0.9"
    )
    assert result.verification_id is None and outbox == []  # no code goes to it
    text = messaging.message_create(
        recipient=PHONE, purpose="other", idempotency_key="staff:1", body="hello"
    )
    text.refresh_from_db()
    assert text.status == "failed" and text.error_code == "opted_out" and outbox == []


def test_privacy_request_is_in_the_admin_for_staff(client, store, outbox):
    holdings(PHONE, store)
    messaging.number_erase(phone=PHONE)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:notifications_privacyrequest_changelist")).content.decode()
    assert "+97250" in page and PHONE not in page


def test_my_data_gives_and_withdraws_consent_to_news_and_offers(mine, store):
    ConfirmedNumberFactory(phone=PHONE, language="he", channel="sms")
    page = mine.get(he("demand:my_data")).content.decode()
    assert 'name="promotional"' in page and not messaging.promotional_consent(PHONE)
    mine.post(he("demand:my_data"), {"language": "he", "promotional": "on"})
    record = ConsentRecord.objects.get(phone=PHONE, purpose="promotional")
    assert record.page == he("demand:my_data") and record.withdrawn_at is None
    assert record.wording in mine.get(he("demand:my_data")).content.decode()
    mine.post(he("demand:my_data"), {"language": "he"})
    record.refresh_from_db()
    assert record.withdrawn_at is not None and not messaging.promotional_consent(PHONE)


def test_number_erase_gives_back_the_pairs_a_customer_asked_for(shop, outbox):  # noqa: F811
    from demand.services import PairWanted
    from tests.inventory.views.helpers import available

    ConfirmedNumberFactory(phone=PHONE)
    before = available(shop.haifa, shop.size_42), available(shop.warehouse, shop.size_43)
    outcomes = services.requests_fulfil(
        phone=PHONE,
        wanted=[
            PairWanted("hold", shop.size_42.pk, shop.haifa.pk, "he"),
            PairWanted("bring", shop.size_43.pk, shop.tel_aviv.pk, "he"),
        ],
    )
    assert all(outcome.hold_id or outcome.transfer_id for outcome in outcomes)
    assert available(shop.haifa, shop.size_42) == before[0] - 1

    audit = messaging.number_erase(phone=PHONE)

    # The held pair and the pair set aside for the trip are back on sale.
    assert (available(shop.haifa, shop.size_42), available(shop.warehouse, shop.size_43)) == before
    assert audit.counts["requests_ended"] == 2
    assert set(Hold.objects.values_list("status", "customer_phone")) == {("released", "")}
    assert set(Transfer.objects.values_list("status", "customer_phone")) == {("cancelled", "")}


def test_staff_erase_a_number_that_asked_them_after_a_confirm_page(client, store, outbox):
    holdings(PHONE, store)
    holdings(OTHER, StoreFactory())
    manager = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(manager)
    url = reverse("admin:notifications_confirmednumber_changelist")
    number = ConfirmedNumber.objects.get(phone=PHONE)
    ask = client.post(url, {"action": "erase_numbers", "_selected_action": [number.pk]})
    assert ask.status_code == 200 and "+97250•••••78" in ask.content.decode()
    assert ConfirmedNumber.objects.filter(phone=PHONE).exists()  # nothing yet
    client.post(url, {"action": "erase_numbers", "_selected_action": [number.pk], "confirm": "yes"})
    assert not WaitlistEntry.objects.filter(phone=PHONE).exists()
    assert WaitlistEntry.objects.filter(phone=OTHER).count() == 2
    audit = PrivacyRequest.objects.get(kind="erasure")
    assert audit.staff == manager and messaging.is_opted_out(PHONE)
