"""Nothing is lost and nothing is sent twice when the broker goes away or a worker dies."""

import json
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client

from core.tasks import broker
from demand import services
from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold
from inventory.tills import till_token_create
from notifications import services as messaging
from notifications.models import Message
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import CountingRelay, use_broker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def waiting(store, variant, count, start):
    return [
        WaitlistEntryFactory(store=store, variant=variant, phone=f"+97254{start + i:07d}")
        for i in range(count)
    ]


def test_redis_stopped_during_a_restock_every_text_sent_after_the_sweep_none_twice(
    start_worker, twilio, private_redis
):
    worker = start_worker(broker_url=private_redis.url, concurrency=2)
    # A: the restock commits while the broker is down, so its allocation cannot be queued.
    # B: the allocation commits (holds and texts written) just as the broker goes down.
    store_a, variant_a = StoreFactory(), VariantFactory()
    store_b, variant_b = StoreFactory(), VariantFactory()
    people_a = waiting(store_a, variant_a, 3, start=4000000)
    people_b = waiting(store_b, variant_b, 2, start=5000000)

    private_redis.stop()
    inventory.stock_receive(store=store_a, variant=variant_a, quantity=2)
    inventory.stock_receive(store=store_b, variant=variant_b, quantity=2)
    services.waitlist_allocate(store_id=store_b.pk, variant_id=variant_b.pk)
    assert not Hold.objects.filter(store=store_a).exists()  # A's allocation was never queued
    assert Counter(Message.objects.values_list("status", flat=True)) == {"queued": 2}
    time.sleep(1)
    assert twilio.requests == []

    private_redis.start()
    # The periodic sweeps, as beat runs them once the broker is back (twice: harmless), in a
    # worker that has just had them from the broker, so knows it is up (core.tasks).
    broker.reset()
    for _ in range(2):
        services.waitlist_allocate_pending()
        messaging.messages_requeue_stale(stale_after=timedelta(0))

    wait_until(
        lambda: Message.objects.filter(status="sent").count() == 4,
        timeout=60,
        what="every text sent after the broker came back",
    )
    time.sleep(1.5)  # anything sent twice would show up by now
    sent = Counter(r.form["To"] for r in twilio.accepted)
    expected = [p.phone for p in people_a[:2]] + [p.phone for p in people_b]
    assert sent == Counter(expected)  # each once, none twice, the first in line
    assert Hold.objects.filter(status="active").count() == 4
    worker.stop()  # while its broker is still there to say goodbye to


def test_worker_killed_mid_batch_every_text_sent_within_a_minute_duplicates_only_in_flight(
    start_worker, start_beat, twilio
):
    """SIGKILL a worker in the middle of its texts: with beat's sweep on its real schedule and
    the real staleness, a new worker sends the rest within about a minute; only a text that was
    at Twilio when the worker died may go twice."""
    concurrency = 4
    worker = start_worker(concurrency=concurrency)
    start_beat()
    twilio.delay = 1.0  # a slow provider: the worker dies with texts at Twilio
    store, variant = StoreFactory(), VariantFactory()
    people = waiting(store, variant, 24, start=6000000)
    inventory.stock_receive(store=store, variant=variant, quantity=24)

    twilio.wait_for(4, timeout=60)
    worker.kill()
    killed = time.monotonic()
    sent_before = set(Message.objects.filter(status="sent").values_list("recipient", flat=True))
    in_flight = set(twilio.arrived) - sent_before  # at Twilio, not marked sent
    assert len(sent_before) < 24, "the batch had already finished"
    assert len(in_flight) <= concurrency
    twilio.delay = 0.05

    start_worker(concurrency=concurrency)
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == 24,
        timeout=75 - (time.monotonic() - killed),
        what="all 24 texts sent within 75 s of the kill",
    )
    recovered = time.monotonic() - killed
    time.sleep(1)
    per_number = Counter(r.form["To"] for r in twilio.accepted)
    assert set(per_number) == {p.phone for p in people}  # every text went
    twice = {number for number, count in per_number.items() if count > 1}
    assert max(per_number.values()) <= 2, per_number
    assert twice <= in_flight, (twice, in_flight)  # only the sends cut off mid-call repeat
    # A repeat is word for word its first: the hold's "until" was fixed at the first claim.
    bodies: dict[str, set[str]] = {}
    for request in twilio.accepted:
        bodies.setdefault(request.form["To"], set()).add(request.form["Body"])
    assert all(len(texts) == 1 for texts in bodies.values()), bodies
    print(f"killed worker: every text sent {recovered:.1f} s after the kill")


def test_broker_down_a_till_receipt_tries_it_once_and_the_catch_up_texts_everyone_within_a_minute(
    start_worker, start_beat, twilio, private_redis
):
    """A receipt of ten sizes, each with someone waiting, while the broker is down: the till
    gets its answer after one try at the broker (not one per line), and once the broker is back
    beat's catch-up, on its real schedule, texts all ten within a minute."""
    worker = start_worker(broker_url=private_redis.url, concurrency=2)
    beat = start_beat(broker_url=private_redis.url)
    relay = CountingRelay(private_redis.port)  # this process (the web) reaches the broker here
    use_broker(relay.url)
    store = StoreFactory()
    variants = [VariantFactory() for _ in range(10)]
    people = [
        WaitlistEntryFactory(store=store, variant=variant, phone=f"+97254{7000000 + i:07d}")
        for i, variant in enumerate(variants)
    ]
    _token, key = till_token_create(store=store, name="till 1")
    receipt = {
        "lines": [
            {"type": "receipt", "sku": variant.sku, "quantity": 1, "reference": f"r-{i}"}
            for i, variant in enumerate(variants)
        ]
    }

    till = Client(headers={"Authorization": f"Bearer {key}"})
    assert till.get("/api/v1/till").status_code == 200  # the till's app is up and warm

    private_redis.stop()
    started = time.monotonic()
    response = till.post(
        "/api/v1/movements",
        json.dumps(receipt),
        content_type="application/json",
    )
    took = time.monotonic() - started

    assert response.status_code == 200, response.content
    assert response.json()["applied"] == 10
    assert relay.connections == 1  # one try for the whole receipt, not one per line
    assert took < 2, took  # was 0.65 s a line
    # Nothing is lost: the pairs are on the shelf and everyone is still waiting for them.
    assert WaitlistEntry.objects.filter(status="active").count() == 10
    assert not Hold.objects.exists()

    private_redis.start()
    back = time.monotonic()
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == 10,
        timeout=60,
        what="all ten texts sent within a minute of the broker's return",
    )
    caught_up = time.monotonic() - back
    assert sorted(r.form["To"] for r in twilio.accepted) == sorted(p.phone for p in people)
    print(f"broker outage: receipt {took:.2f} s; texts sent {caught_up:.1f} s after the return")
    relay.close()
    beat.stop()
    worker.stop()  # while its broker is still there to say goodbye to
