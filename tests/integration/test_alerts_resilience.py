"""Nothing is lost and nothing is sent twice when the broker goes away or a worker dies."""

import time
from collections import Counter
from datetime import timedelta

import pytest

from demand import services
from inventory import services as inventory
from inventory.models import Hold
from notifications import services as messaging
from notifications.models import Message
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import wait_until

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
    # The periodic sweeps, as beat runs them once the broker is back (twice: harmless).
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


def test_worker_killed_mid_batch_every_text_sent_duplicates_at_most_in_flight(start_worker, twilio):
    concurrency = 4
    worker = start_worker(concurrency=concurrency)
    twilio.delay = 0.25  # slow enough that the batch is mid-way when the worker dies
    store, variant = StoreFactory(), VariantFactory()
    people = waiting(store, variant, 24, start=6000000)
    inventory.stock_receive(store=store, variant=variant, quantity=24)

    twilio.wait_for(6, timeout=60)
    worker.kill()
    assert Message.objects.exclude(status="sent").exists(), "the batch had already finished"
    # Claimed in batches (SMS_SEND_BATCH a task), but each task had one text at the provider.
    assert Message.objects.filter(status="sending").count() <= concurrency * 10

    # The sweep (here at once, rather than after SMS_STALE_AFTER) and a fresh worker.
    messaging.messages_requeue_stale(stale_after=timedelta(0))
    start_worker(concurrency=concurrency)
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == 24,
        timeout=90,
        what="all 24 texts sent",
    )
    time.sleep(1)
    per_number = Counter(r.form["To"] for r in twilio.accepted)
    assert set(per_number) == {p.phone for p in people}  # every text went
    duplicates = sum(per_number.values()) - len(people)
    assert duplicates <= concurrency, per_number  # only the sends cut off mid-call repeat
    # A repeat is word for word its first: the hold's "until" was fixed at the first claim.
    bodies: dict[str, set[str]] = {}
    for request in twilio.accepted:
        bodies.setdefault(request.form["To"], set()).add(request.form["Body"])
    assert all(len(texts) == 1 for texts in bodies.values()), bodies
