"""Pick-up reminders through a real Celery worker, Redis and Postgres; only Twilio is faked."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from demand.tasks import pickup_reminders_due_task
from inventory import services as inventory
from inventory.models import Hold
from notifications.models import Message
from tests.factories import ProductFactory, StoreFactory, VariantFactory, WaitlistEntryFactory
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def statuses():
    return Counter(Message.objects.values_list("status", flat=True))


def test_pickup_reminder_task_on_the_worker_texts_the_customer_once(worker, twilio):
    store = StoreFactory(
        name_he="דיזנגוף סנטר", phone="03-5551234", pickup_reminder=True, pickup_reminder_hours=2
    )
    variant = VariantFactory(product=ProductFactory(name="Pegasus 41"))
    entry = WaitlistEntryFactory(store=store, variant=variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    twilio.wait_for(1)
    wait_until(lambda: statuses() == {"sent": 1}, what="the hold text sent")

    Hold.objects.filter(status=Hold.Status.ACTIVE).update(
        expires_at=timezone.now() + timedelta(minutes=90)
    )
    pickup_reminders_due_task.delay()
    pickup_reminders_due_task.delay()  # beat and a retry at once: still one reminder
    accepted = twilio.wait_for(2)
    wait_until(lambda: statuses() == {"sent": 2}, what="the reminder sent")
    time.sleep(1)
    assert len(twilio.requests) == 2
    reminder = accepted[-1]
    assert reminder.form["To"] == entry.phone
    assert reminder.form["Body"].startswith("תזכורת:") and "/a/" in reminder.form["Body"]
