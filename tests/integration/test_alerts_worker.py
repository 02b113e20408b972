"""The alert journey through a real Celery worker, Redis and Postgres; only Twilio is faked.

Each test restocks as the web process would (the restock signal queues the allocation after
commit) and watches what reaches the Twilio-compatible fake.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from demand.models import WaitlistEntry
from demand.tasks import waitlist_allocate_task
from inventory import services as inventory
from inventory.models import Hold, StockLevel
from notifications import services
from notifications.models import Message, OptOut
from tests.demand.helpers import entry_held_by
from tests.factories import ProductFactory, StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import TWILIO_ENV, wait_until
from tests.integration.twilio_fake import Answer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair():
    store = StoreFactory(name_he="דיזנגוף סנטר", phone="03-5551234")
    variant = VariantFactory(product=ProductFactory(name="Pegasus 41"))
    return store, variant


def queue(store, variant, count, start=0):
    """`count` people waiting, in sign-up order."""
    base = timezone.now() - timedelta(hours=1)
    entries = []
    for i in range(count):
        entry = WaitlistEntryFactory(
            store=store, variant=variant, phone=f"+97250{3000000 + start + i:07d}"
        )
        WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=base + timedelta(seconds=i))
        entries.append(entry)
    return entries


def statuses():
    return Counter(Message.objects.values_list("status", flat=True))


def test_restock_holds_pairs_and_texts_the_first_in_line(worker, twilio, pair):
    store, variant = pair
    entries = queue(store, variant, 5)
    inventory.stock_receive(store=store, variant=variant, quantity=3)

    accepted = twilio.wait_for(3)
    wait_until(lambda: statuses() == {"sent": 3}, what="three texts marked sent")
    assert sorted(r.form["To"] for r in accepted) == sorted(e.phone for e in entries[:3])
    for request in accepted:
        body = request.form["Body"]
        assert "Pegasus 41" in body and "מידה" in body and variant.size_label in body
        assert "דיזנגוף סנטר" in body and "03-5551234" in body
        assert "https://sole.example/a/" in body
        assert request.form["MessagingServiceSid"] == TWILIO_ENV["TWILIO_MESSAGING_SERVICE_SID"]
        assert request.form["StatusCallback"] == "https://sole.example/sms/status/"
    holds = Hold.objects.filter(status="active")
    assert holds.count() == 3
    assert all(h.expires_at == h.notified_at + timedelta(hours=24) for h in holds)
    for hold in holds:
        # The text names until when: written just before it went, the clock started as it
        # went, so the customer has at least what the text says (to the minute).
        sent = Message.objects.get(hold=hold)
        said = {
            timezone.localtime(hold.expires_at - timedelta(seconds=s)).strftime("%d/%m %H:%M")
            for s in (0, 5)
        }
        assert any(until in sent.body for until in said)
        assert sent.provider_id in {r.sid for r in accepted}
    assert WaitlistEntry.objects.filter(status="active").count() == 2
    level = StockLevel.objects.get(store=store, variant=variant)
    assert (level.on_hand, level.reserved) == (3, 3)


def test_provider_errors_twice_then_accepts_one_text_sent_once(worker, twilio, pair):
    store, variant = pair
    (entry,) = queue(store, variant, 1)
    twilio.script(Answer(500), Answer(500))
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: statuses() == {"sent": 1}, what="the text sent after two 500s")
    assert [r.answered for r in twilio.requests] == [500, 500, 201]
    assert {r.form["To"] for r in twilio.requests} == {entry.phone}
    message = Message.objects.get()
    assert message.attempts == 3 and message.provider_id == twilio.accepted[0].sid


def test_invalid_number_fails_at_once_and_the_pair_goes_to_the_next(worker, twilio, pair):
    store, variant = pair
    first, second = queue(store, variant, 2)
    twilio.fail_for(first.phone, 400, 21211)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: statuses() == {"failed": 1, "sent": 1}, what="failed, then next sent")
    failed = Message.objects.get(status="failed")
    assert failed.recipient == first.phone
    assert (failed.error_code, failed.attempts) == ("21211", 1)  # no retry
    assert [r.form["To"] for r in twilio.requests] == [first.phone, second.phone]
    assert entry_held_by(Hold.objects.get(status="active")) == second.pk
    assert not OptOut.objects.exists()


def test_unsubscribed_number_is_opted_out_and_never_texted_again(worker, twilio, pair):
    store, variant = pair
    (entry,) = queue(store, variant, 1)
    elsewhere = WaitlistEntryFactory(phone=entry.phone)  # the same customer, another size
    twilio.fail_for(entry.phone, 400, 21610)
    inventory.stock_receive(store=store, variant=variant, quantity=1)

    wait_until(lambda: OptOut.objects.filter(phone=entry.phone).exists(), what="the opt-out")
    wait_until(lambda: statuses() == {"failed": 1}, what="the failed text")
    assert Message.objects.get().error_code == "21610"
    assert WaitlistEntry.objects.get(pk=elsewhere.pk).status == "cancelled"
    # Their other size arrives: nobody is waiting for it any more, so nothing is sent.
    inventory.stock_receive(store=elsewhere.store, variant=elsewhere.variant, quantity=1)
    late = services.message_create(
        recipient=entry.phone, purpose="other", idempotency_key="late", body="one more"
    )
    wait_until(
        lambda: Message.objects.get(pk=late.pk).status == "failed", what="a later text refused"
    )
    assert len(twilio.requests) == 1
    assert Message.objects.get(pk=late.pk).error_code == "opted_out"


def test_concurrent_restocks_for_one_pair_hold_it_once(worker, twilio, pair):
    store, variant = pair
    inventory.stock_receive(store=store, variant=variant, quantity=1)  # nobody waits yet
    queue(store, variant, 3)
    for _ in range(4):  # duplicate restock events, handled by four processes at once
        waitlist_allocate_task.delay(store.pk, variant.pk)

    twilio.wait_for(1)
    wait_until(lambda: statuses() == {"sent": 1}, what="one text")
    assert Hold.objects.count() == 1
    assert StockLevel.objects.get(store=store, variant=variant).reserved == 1
    assert WaitlistEntry.objects.filter(status="active").count() == 2
    assert len(twilio.requests) == 1


def test_concurrent_restock_threads_for_one_pair_hold_it_once(worker, twilio, pair):
    """The same race from two web processes: two receipts of one pair each at once."""
    store, variant = pair
    queue(store, variant, 3)
    barrier = threading.Barrier(2)

    def receive() -> None:
        barrier.wait()
        try:
            inventory.stock_receive(store=store, variant=variant, quantity=1)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    twilio.wait_for(2)
    wait_until(lambda: statuses() == {"sent": 2}, what="two texts")
    assert Hold.objects.count() == 2
    assert len(twilio.requests) == 2


def test_status_callback_signed_updates_delivery_unsigned_is_refused(worker, twilio, pair):
    store, variant = pair
    queue(store, variant, 1)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    wait_until(lambda: statuses() == {"sent": 1}, what="the text")
    sid = Message.objects.get().provider_id
    params = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC1"}

    client = Client()
    assert client.post("/sms/status/", params).status_code == 403
    assert Message.objects.get().status == "sent"

    url = "http://testserver/sms/status/"
    signature = RequestValidator(TWILIO_ENV["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    response = client.post("/sms/status/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 204
    message = Message.objects.get()
    assert message.status == "delivered" and message.delivered_at is not None
