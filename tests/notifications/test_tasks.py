"""The periodic tasks: what beat runs, and how often."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_beat_schedule_runs_expiry_every_minute_and_the_sweeps():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["holds-expire-due"]["schedule"] == 60.0
    tasks = {entry["task"] for entry in schedule.values()}
    assert {
        "inventory.holds_expire_due",
        "notifications.messages_dispatch_due",
        "notifications.messages_requeue_stale",
        "demand.waitlist_allocate_pending",
        "demand.purge",
    } <= tasks


def test_beat_schedule_finds_due_pick_up_reminders():
    from demand.tasks import pickup_reminders_due_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert pickup_reminders_due_task.name in tasks


def test_beat_schedule_catches_up_within_a_minute_of_a_broker_or_a_worker_coming_back():
    schedule = settings.CELERY_BEAT_SCHEDULE
    # A restock whose allocation could not be queued, a text whose time came.
    assert schedule["waitlist-allocate-pending"]["schedule"] <= 30
    assert schedule["messages-dispatch-due"]["schedule"] <= 30
    # A text handed over and not sent: stale, then the next sweep.
    sweep = schedule["messages-requeue-stale"]["schedule"]
    assert settings.SMS_STALE_AFTER.total_seconds() + sweep <= 60


@pytest.mark.django_db
def test_the_catch_ups_cost_one_query_each_when_there_is_nothing_to_do():
    from demand.services import waitlist_allocate_pending
    from notifications.services import messages_dispatch_due, messages_requeue_stale

    for catch_up in (waitlist_allocate_pending, messages_dispatch_due, messages_requeue_stale):
        with CaptureQueriesContext(connection) as queries:
            assert catch_up() == []
        # Savepoints are this test's own transaction's.
        statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) == 1, statements
