"""A launch draw on a real Celery worker: a few hundred entries, the draw task at draw time,
exactly the winners texted, at the SMS sender's pace; only Twilio is faked."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from demand import services
from demand.models import Launch, LaunchEntry
from demand.tasks import launch_draws_due_task
from notifications.models import ConfirmedNumber, Message
from tests.factories import ProductFactory, StoreFactory, VariantFactory, put_stock
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

RATE = 10  # texts a second the SMS sender takes


@pytest.fixture(scope="module")
def paced_worker(start_worker):
    return start_worker(extra_env={"SMS_SEND_RATE_PER_SECOND": str(RATE)})


def test_draw_on_the_worker_texts_exactly_the_winners_paced(paced_worker, twilio, settings):
    product = ProductFactory(name="Jordan 4 Bred")
    sizes = [VariantFactory(product=product) for _ in range(2)]
    stores = [StoreFactory() for _ in range(3)]
    pairs = {}
    for store in stores:
        for size in sizes:
            put_stock(store, size, on_hand=6)
            pairs[(store.pk, size.pk)] = 5
    now = timezone.now()
    launch = services.launch_create(
        product=product,
        times=services.LaunchTimes(
            now - timedelta(minutes=10), now + timedelta(minutes=5), now + timedelta(minutes=6)
        ),
        pairs=pairs,
    )
    numbers = [f"+97250{4000000 + i:07d}" for i in range(300)]
    ConfirmedNumber.objects.bulk_create(
        [ConfirmedNumber(phone=p, confirmed_at=now, last_used_at=now) for p in numbers]
    )
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "launch_enter_per_ip": (1000, 3600)}
    keys = sorted(pairs)
    for i, phone in enumerate(numbers):
        store_id, variant_id = keys[i % len(keys)]
        services.launch_enter(
            launch=launch,
            store=store_id,
            variant=variant_id,
            phone=phone,
            client_ip=f"10.2.{i // 200}.{i % 200 + 1}",
            result_text=False,
        )
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=timezone.now() - timedelta(seconds=2),
        draw_at=timezone.now() - timedelta(seconds=1),
    )
    launch_draws_due_task.delay()  # the periodic sweep, on the worker

    winners = 30  # 5 pairs at each of 3 stores x 2 sizes
    accepted = twilio.wait_for(winners, timeout=60)
    wait_until(
        lambda: Launch.objects.get(pk=launch.pk).status == Launch.Status.DRAWN,
        what="the launch drawn",
    )
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == winners,
        timeout=60,
        what="every winner's text marked sent",
    )
    won = set(
        LaunchEntry.objects.filter(status=LaunchEntry.Status.WON).values_list("phone", flat=True)
    )
    assert len(won) == winners
    assert sorted(r.form["To"] for r in twilio.accepted) == sorted(won)  # each winner once
    assert all("Jordan 4 Bred" in r.form["Body"] for r in accepted)
    # Paced: the sender's counter lets RATE texts go in each second of the clock. Each text's
    # claim is renewed the moment it may go, so the claims show the pace (a claim renewed a
    # millisecond into the next second may count there: +2).
    claimed = Counter(
        int(at.timestamp()) for at in Message.objects.values_list("claimed_at", flat=True)
    )
    assert len(claimed) >= winners // RATE
    assert max(claimed.values()) <= RATE + 2
    times = sorted(r.at for r in accepted)
    assert times[-1] - times[0] >= winners / RATE - 2  # unpaced, 30 texts take a blink
