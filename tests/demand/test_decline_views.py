"""Staff decline a customer's request on its own page: the text the customer will get, in
their language, with what it costs, shown before it goes (as they type, and by the Preview
button without JavaScript); a reason in the other language is held back until they say so;
bad input and a request someone else decided change nothing."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory import services as inventory
from inventory.models import Transfer
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import Channel, ConfirmedNumber, Message
from notifications.segments import sms_segments
from tests.factories import ConfirmedNumberFactory, ProductFactory, VariantFactory
from tests.inventory.views.helpers import available, staff, stock, store_in
from tests.notifications.bidi import isolates_balance

pytestmark = pytest.mark.django_db
PHONE = "+972502345678"
LONG_MODEL = "Novablast 4 Platinum Wide TR"
LONG_STORE = "Sole Dizengoff Center Tel Aviv"
HEBREW_REASON = "אין זוג תואם במלאי של הסניף, מצטערים מאוד על אי הנוחות שנגרמה"


@pytest.fixture
def english_request():
    """An English-speaking customer asked for a long-named model at a long-named store."""
    tel_aviv = store_in("tel-aviv", name_en=LONG_STORE, name_he="סול דיזנגוף סנטר")
    warehouse = store_in("rishon-lezion", code="warehouse", is_warehouse=True)
    size = VariantFactory(
        product=ProductFactory(name=LONG_MODEL), eu_size=Decimal("40.5"), sku="NB4-405"
    )
    stock(warehouse, size, 3)
    ConfirmedNumberFactory(phone=PHONE)
    transfer = inventory.transfer_request_for_customer(
        variant=size, to_store=tel_aviv, customer_phone=PHONE, customer_language="en"
    )
    return transfer


@pytest.fixture
def dana(english_request):
    return staff(ROLE_SALESPEOPLE, english_request.to_store, "dana")


def url(transfer) -> str:
    return reverse("declines:decline", args=[transfer.pk])


def preview_text(html: str) -> str:
    """The text the preview shows, as the customer's phone reads it (each <bdi> an isolate)."""
    body = re.search(r'<blockquote class="text-preview__body"[^>]*>(.*?)</blockquote>', html, re.S)
    assert body is not None, html
    text = body.group(1).replace("<bdi>", "\u2068").replace("</bdi>", "\u2069")
    text = re.sub(r"<[^>]+>", "", text)  # the link urlize made clickable
    return text.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"')


def segments_shown(html: str) -> int:
    match = re.search(r'data-segments="(\d+)"', html)
    assert match is not None, html
    return int(match.group(1))


def test_decline_page_previews_the_english_text_and_its_segments(client, dana, english_request):
    client.force_login(dana)
    page = client.get(url(english_request)).content.decode()
    text = preview_text(page)
    assert text.startswith(f"Sorry, we cannot bring {LONG_MODEL} size 40.5 to {LONG_STORE}.")
    assert segments_shown(page) == sms_segments(text)
    assert "GSM-7" in page
    # The page is Hebrew (the staff's language); the text is English, laid out left to right.
    assert 'lang="en" dir="ltr"' in page


def test_decline_preview_is_exactly_the_text_sent(
    client, dana, english_request, outbox, django_capture_on_commit_callbacks
):
    client.force_login(dana)
    form = {"reason": "That pair is on display.", "next": "/staff/transfers/requests/"}
    preview = client.post(url(english_request), {**form, "action": "preview"})
    shown = preview_text(preview.content.decode())
    assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL
    assert not Message.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(english_request), {**form, "action": "send"})
    assert response.status_code == 302 and response["Location"] == "/staff/transfers/requests/"
    sent = Message.objects.get(transfer=english_request)
    assert sent.body == shown == outbox[-1].body
    assert sent.language == "en" and ": That pair is on display. Join the" in sent.body
    assert segments_shown(preview.content.decode()) == sms_segments(sent.body)


def test_decline_preview_for_htmx_is_the_preview_alone(client, dana, english_request):
    client.force_login(dana)
    response = client.post(
        url(english_request),
        {"reason": "The last pair is damaged"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="decline-preview"')
    assert "The last pair is damaged" in preview_text(html)
    assert not Message.objects.exists()


def test_decline_hebrew_reason_for_an_english_reader_is_held_back_until_confirmed(
    client, dana, english_request, outbox, django_capture_on_commit_callbacks
):
    client.force_login(dana)
    # While she types (or previews), the preview says so; nothing is refused yet.
    typing = client.post(
        url(english_request), {"reason": HEBREW_REASON}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "הסיבה כתובה בעברית, אבל הלקוח הזה קורא אנגלית" in typing
    previewed = client.post(url(english_request), {"reason": HEBREW_REASON, "action": "preview"})
    assert "הסיבה כתובה בעברית, אבל הלקוח הזה קורא אנגלית" in previewed.content.decode()
    assert 'value="send_as_written"' not in previewed.content.decode()
    assert 'class="errorlist' not in previewed.content.decode()
    response = client.post(url(english_request), {"reason": HEBREW_REASON, "action": "send"})
    html = response.content.decode()
    assert response.status_code == 200
    # (The staff page is in Hebrew: "this customer reads texts in English, and this reason is in
    # Hebrew".)
    assert "מקבל הודעות באנגלית, והסיבה כתובה בעברית" in html
    assert 'value="send_as_written"' in html
    assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL
    assert not Message.objects.exists() and outbox == []
    # Sent as written: still English, the names whole, the Hebrew run isolated and closed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(english_request), {"reason": HEBREW_REASON, "action": "send_as_written"})
    body = Message.objects.get().body
    assert outbox[-1].body == body
    assert body.startswith(f"Sorry, we cannot bring {LONG_MODEL} size 40.5 to {LONG_STORE}")
    assert isolates_balance(body) and sms_segments(body) <= 2


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("   ", "Say why"),
        ("x" * 121, "under 120 characters"),
        ("\u2068\u2069 \u202e", "Say why"),
        ("Damaged\x00", "Null characters are not allowed"),
    ],
)
def test_decline_bad_reason_says_why_and_changes_nothing(
    client, dana, english_request, reason, said
):
    client.force_login(dana)
    # The page is in English for the assertion's sake; Hebrew is the staff default.
    response = client.post("/en" + url(english_request), {"reason": reason, "action": "send"})
    assert response.status_code == 200 and said in response.content.decode()
    assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL
    assert not Message.objects.exists()
    assert available(english_request.from_store, english_request.variant) == 2


def test_decline_garbled_fields_only_preview(client, dana, english_request):
    client.force_login(dana)
    response = client.post(
        url(english_request), {"reason": ["a", "b"], "action": "drop tables", "next": "//evil"}
    )
    assert response.status_code == 200
    assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL
    assert not Message.objects.exists()


def test_decline_of_a_request_someone_else_declined_says_so_and_texts_once(
    client, dana, english_request, outbox, django_capture_on_commit_callbacks
):
    other = staff(ROLE_SALESPEOPLE, english_request.to_store, "yossi")
    client.force_login(dana)
    page = client.get(url(english_request))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        inventory.transfer_decline(transfer=english_request, user=other, reason="Sold at the till")
    response = client.post(
        "/en" + url(english_request), {"reason": "Damaged", "action": "send"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "already declined by yossi" in messages[0]
    assert Message.objects.count() == 1 and len(outbox) == 1
    assert "Sold at the till" in outbox[0].body


def test_decline_by_staff_of_another_store_is_refused(client, english_request):
    client.force_login(staff(ROLE_SALESPEOPLE, store_in("haifa"), "yael"))
    response = client.post(url(english_request), {"reason": "Damaged", "action": "send"})
    assert response.status_code == 403
    assert Transfer.objects.get().status == Transfer.Status.AWAITING_APPROVAL


def test_decline_preview_for_a_whatsapp_customer_says_whatsapp(
    client, dana, english_request, settings
):
    settings.WHATSAPP_ENABLED = True
    ConfirmedNumber.objects.filter(phone=PHONE).update(channel=Channel.WHATSAPP)
    client.force_login(dana)
    html = client.get("/en" + url(english_request)).content.decode()
    assert "By WhatsApp" in html and "data-segments" not in html


def test_decline_for_a_hebrew_reader_previews_and_sends_hebrew(
    client, dana, english_request, outbox, django_capture_on_commit_callbacks
):
    Transfer.objects.filter(pk=english_request.pk).update(customer_language="he")
    client.force_login(dana)
    # An English reason for a Hebrew reader is held back too.
    held = client.post(url(english_request), {"reason": "Damaged", "action": "send"})
    assert "מקבל הודעות בעברית, והסיבה כתובה באנגלית" in held.content.decode()
    assert not Message.objects.exists()
    page = client.post(url(english_request), {"reason": "הזוג פגום", "action": "preview"})
    shown = preview_text(page.content.decode())
    assert 'lang="he" dir="rtl"' in page.content.decode()
    assert shown.startswith(f"לא נוכל להביא \u2068{LONG_MODEL}\u2069 מידה 40.5 לסול דיזנגוף סנטר")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(english_request), {"reason": "הזוג פגום", "action": "send"})
    sent = Message.objects.get()
    assert sent.language == "he" and sent.body == shown == outbox[-1].body
    assert isolates_balance(sent.body)


def test_decline_of_a_request_approved_meanwhile_says_so(client, dana, english_request):
    inventory.transfer_approve(transfer=english_request, user=None)
    client.force_login(dana)
    response = client.post(
        "/en" + url(english_request), {"reason": "Damaged", "action": "send"}, follow=True
    )
    assert "no longer awaiting a decision" in str(list(response.context["messages"])[0])
    assert Transfer.objects.get().status == Transfer.Status.REQUESTED
    assert not Message.objects.exists()
