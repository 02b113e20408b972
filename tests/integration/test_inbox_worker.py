"""Customers answer back, through a real Celery worker, Redis and Postgres; only Twilio is
faked. Replies arrive signed by SMS and WhatsApp, staff answer from the inbox pages, and the
worker sends the answers on the right channel."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from inventory.models import Hold
from inventory.permissions import ROLE_SALESPEOPLE
from notifications.models import Conversation, Message, WhatsAppNumber, WhatsAppTemplate
from tests.factories import HoldFactory, StoreFactory, VariantFactory, staff_user
from tests.integration.conftest import TWILIO_ENV, wait_until
from tests.notifications.conversations.conftest import open_hours

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972503100077"
OTHER = "+972503100078"
ANSWER_SID = "HX" + "b" * 32


def reply(body: str, n: int, *, sender: str = PHONE, whatsapp: bool = False):
    params = {
        "MessageSid": f"SM{n:032x}",
        "From": f"whatsapp:{sender}" if whatsapp else sender,
        "To": "whatsapp:+14155238886" if whatsapp else "+972531234567",
        "Body": body,
        "AccountSid": "AC1",
    }
    url = "http://testserver/sms/inbound/"
    signature = RequestValidator(TWILIO_ENV["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    return Client().post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)


def hold_at(store, phone=PHONE):
    return HoldFactory(
        store=store,
        variant=VariantFactory(),
        customer_phone=phone,
        status=Hold.Status.ACTIVE,
        ended_at=None,
        language="en",
    )


@pytest.fixture
def stores():
    haifa = StoreFactory(name_en="Haifa", name_he="חיפה")
    tel_aviv = StoreFactory(name_en="Tel Aviv", name_he="תל אביב")
    open_hours(haifa)
    open_hours(tel_aviv)
    return haifa, tel_aviv


def seller(store, name):
    client = Client()
    client.force_login(staff_user(ROLE_SALESPEOPLE, store, username=name))
    return client


def answer(client, conversation, body, last_seen=None):
    seen = last_seen if last_seen is not None else conversation.messages.latest("pk").pk
    return client.post(
        f"/en/staff/inbox/{conversation.pk}/answer/", {"body": body, "last_seen_id": seen}
    )


def test_sms_reply_reaches_the_holds_store_and_its_answer_goes_by_sms(worker, twilio, stores):
    haifa, tel_aviv = stores
    hold_at(haifa)
    hold_at(tel_aviv, phone=OTHER)
    assert reply("can you keep it until Sunday?", 1).status_code == 200

    conversation = Conversation.objects.get(phone=PHONE)
    assert conversation.store == haifa
    tel_aviv_inbox = seller(tel_aviv, "dana").get("/en/staff/inbox/").content.decode()
    assert "can you keep" not in tel_aviv_inbox and "1 new" not in tel_aviv_inbox
    noa = seller(haifa, "noa")
    assert "1 new" in noa.get("/en/staff/inbox/").content.decode()

    assert answer(noa, conversation, "Yes, until Sunday 20:00").status_code == 302

    [sent] = twilio.wait_for(1)
    assert sent.form["To"] == PHONE and sent.form["Body"] == "Yes, until Sunday 20:00"
    wait_until(
        lambda: Message.objects.filter(purpose="answer", status="sent").exists(),
        what="the answer marked sent",
    )


def test_whatsapp_answer_is_free_form_inside_the_window_and_a_template_outside(
    worker, twilio, stores
):
    haifa, _tel_aviv = stores
    hold_at(haifa)
    WhatsAppTemplate.objects.create(
        purpose="answer",
        language="en",
        content_sid=ANSWER_SID,
        variables={"1": "store", "2": "text"},
        text="A message from {{1}}: {{2}}",
        approved=True,
    )
    reply("is it the white one?", 1, whatsapp=True)
    twilio.customer_wrote(PHONE)
    conversation = Conversation.objects.get(phone=PHONE)
    noa = seller(haifa, "noa")

    answer(noa, conversation, "Yes, the white one.")
    [inside] = twilio.wait_for(1)
    assert inside.form["To"] == f"whatsapp:{PHONE}"
    assert inside.form["Body"] == "Yes, the white one." and "ContentSid" not in inside.form

    WhatsAppNumber.objects.filter(phone=PHONE).update(
        last_inbound_at=timezone.now() - timedelta(hours=25)
    )
    answer(noa, conversation, "It is still here for you.")
    outside = twilio.wait_for(2)[1]
    assert outside.form["ContentSid"] == ANSWER_SID and "Body" not in outside.form
    assert twilio.outside_window == []


def test_outside_opening_hours_the_customer_gets_one_automatic_reply(worker, twilio):
    closed = StoreFactory(name_en="Eilat", name_he="אילת")
    now = timezone.localtime()
    opens, closes = (now + timedelta(hours=1)), (now + timedelta(hours=2))
    if opens.date() != closes.date() or opens.date() != now.date():
        open_hours(closed, "00:00", (now - timedelta(minutes=1)).strftime("%H:%M"))
    else:
        open_hours(closed, opens.strftime("%H:%M"), closes.strftime("%H:%M"))
    hold_at(closed)

    reply("hello?", 1)
    reply("anyone there?", 2)

    [sent] = twilio.wait_for(1)
    assert "Eilat is closed now" in sent.form["Body"]
    assert "your pair stays held" in sent.form["Body"]
    wait_until(lambda: Message.objects.filter(status="sent").count() == 1, what="one reply")
    assert len(twilio.requests) == 1
    assert Conversation.objects.get().status == "waiting"  # a person still has to answer


def test_two_salespeople_answering_at_once_send_one_answer(worker, twilio, stores):
    haifa, _tel_aviv = stores
    hold_at(haifa)
    reply("do you have it in 43?", 1)
    conversation = Conversation.objects.get()
    seen = conversation.messages.get().pk
    clients = [seller(haifa, "noa"), seller(haifa, "avi")]
    start = threading.Barrier(2)
    codes: list[int] = []

    def post(client, body):
        start.wait()
        try:
            codes.append(answer(client, conversation, body, last_seen=seen).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(client, body))
        for client, body in zip(clients, ["Yes, in 43!", "No, sorry."], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [302, 409]
    [sent] = twilio.wait_for(1)
    wait_until(lambda: Message.objects.filter(status="sent").count() == 1, what="one answer")
    assert len(twilio.requests) == 1
    assert conversation.messages.filter(direction="out").get().body == sent.form["Body"]


def test_an_opted_out_number_cannot_be_answered(worker, twilio, stores):
    haifa, _tel_aviv = stores
    hold_at(haifa)
    reply("where is my pair?", 1)
    reply("STOP", 2)
    conversation = Conversation.objects.get()

    response = answer(seller(haifa, "noa"), conversation, "It is here")

    assert response.status_code == 400
    assert "cannot be messaged" in response.content.decode()
    assert not Message.objects.filter(purpose="answer").exists()
    assert twilio.requests == []
