"""Hold expiry is an inventory job: its task, and its place in the beat schedule."""

import pytest
from django.conf import settings
from django.utils import timezone

from inventory import services
from inventory.models import Hold
from inventory.tasks import holds_expire_due_task


def test_beat_schedule_expires_holds_every_minute_with_the_inventory_task():
    entry = settings.CELERY_BEAT_SCHEDULE["holds-expire-due"]
    assert (entry["task"], entry["schedule"]) == (holds_expire_due_task.name, 60.0)
    assert holds_expire_due_task.name == "inventory.holds_expire_due"


@pytest.mark.django_db
def test_holds_expire_due_task_expires_lapsed_holds(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=1)
    hold = services.hold_place(store=store, variant=variant)
    services.hold_start_clock(hold=hold, at=timezone.now() - settings.HOLD_DURATION * 2)
    # The result is read, not joined: EagerResult.get() consults a process-wide flag that
    # eager tasks run at once in a live server's threads can leave set (a race in Celery).
    result = holds_expire_due_task.delay()
    assert (result.successful(), result.result) == (True, 1)
    hold.refresh_from_db()
    assert hold.status == Hold.Status.EXPIRED
